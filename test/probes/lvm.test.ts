import { describe, expect, it } from 'vitest';
import { parseLvmReports } from '../../src/probes/lvm.js';
import { fixture } from './fixture.js';
import { trixie } from '../helpers/lab-trixie.js';

const rep = (...names: string[]) => {
  const r = parseLvmReports(names.map(fixture).join('\n'));
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('parseLvmReports', () => {
  it('pvs, vgs, lvs with a snapshot filling up', () => {
    const r = rep('pvs_reportformat_json_units_b.snapshot-fresh.node1.json', 'vgs_reportformat_json_units_b.snapshot-fresh.node1.json', 'lvs_reportformat_json_units_b.snapshot-written.node1.json');
    expect(r.pvs).toEqual([{ name: '/dev/md0', vg: 'vg0', sizeBytes: 264241152, freeBytes: 37748736, attr: 'a--' }]);
    expect(r.vgs).toEqual([{ name: 'vg0', sizeBytes: 264241152, freeBytes: 37748736, pvCount: 1, lvCount: 2, snapCount: 1, attr: 'wz--n-' }]);
    expect(r.lvs).toEqual([
      { name: 'nfs', vg: 'vg0', sizeBytes: 209715200, attr: 'owi-a-s---', origin: null, dataPercent: null, isSnapshot: false, open: false, invalid: false, createdAt: null },
      { name: 'snap1', vg: 'vg0', sizeBytes: 16777216, attr: 'swi-a-s---', origin: 'nfs', dataPercent: 37.7, isSnapshot: true, open: false, invalid: false, createdAt: null },
    ]);
  });

  it('three reports concatenated in one output (full stack, the LV open under DRBD)', () => {
    const r = rep('pvs_vgs_lvs_reportformat_json_units_b.full-stack-active.node1.json');
    expect(r.pvs.map((p) => [p.name, p.freeBytes])).toEqual([["/dev/md0", 54525952]]);
    expect(r.vgs.map((v) => v.name)).toEqual(['vg0']);
    expect(r.lvs).toHaveLength(1);
    expect(r.lvs[0]).toMatchObject({ name: 'nfs', open: true, isSnapshot: false });
  });

  it('sizes without --units b are not guessed', () => {
    const r = rep('lvs_o_+snap_percent,lv_time_reportformat_json.snapshot-written.node1.json');
    expect(r.lvs.find((l) => l.name === 'snap1')).toMatchObject({ sizeBytes: null, dataPercent: 37.7, isSnapshot: true });
  });

  it('lv_time (-o +lv_time) becomes the creation time; the snapshot of a healthy capture is not invalid', () => {
    const r = rep('lvs_o_+snap_percent,lv_time_reportformat_json.snapshot-written.node1.json');
    // The capture's "2026-11-25 19:31:35 +0000" and "... 19:31:36 +0000".
    expect(r.lvs.map((l) => [l.name, l.createdAt === null ? null : new Date(l.createdAt).toISOString(), l.invalid])).toEqual([
      ['nfs', '2026-11-25T19:31:35.000Z', false],
      ['snap1', '2026-11-25T19:31:36.000Z', false],
    ]);
  });

  it('a node without PVs, and garbage', () => {
    expect(rep('pvs_reportformat_json_units_b.bare.node1.json', 'lvs_reportformat_json_units_b.bare.node1.json')).toEqual({ pvs: [], vgs: [], lvs: [] });
    expect(parseLvmReports('  WARNING: Failed to connect to lvmetad').ok).toBe(false);
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie, lvm2 2.03.31)', () => {
  const report = (node: string, lvs = `lvs_reportformat_json_units_b.${node}.json`) => {
    const r = parseLvmReports([`pvs_reportformat_json_units_b.${node}.json`, `vgs_reportformat_json_units_b.${node}.json`, lvs].map((f) => trixie('running', f)).join('\n'));
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };

  it('reads the PV on md0, vg_nfs and lv_nfs open under DRBD, in bytes', () => {
    const r = report('lab1');
    expect(r.pvs).toEqual([{ name: '/dev/md0', vg: 'vg_nfs', sizeBytes: 532676608, freeBytes: 109051904, attr: 'a--' }]);
    expect(r.vgs).toEqual([expect.objectContaining({ name: 'vg_nfs', pvCount: 1, lvCount: 1, snapCount: 0 })]);
    expect(r.lvs).toEqual([expect.objectContaining({ name: 'lv_nfs', vg: 'vg_nfs', sizeBytes: 423624704, open: true, isSnapshot: false, createdAt: null })]);
  });

  it('reads the creation time of `lvs -o +snap_percent,lv_time` (no snapshot in this lab)', () => {
    const lv = report('lab2', 'lvs_a_o_snap_percent_lv_time_reportformat_json_units_b.lab2.json').lvs;
    expect(lv.map((l) => [l.name, l.dataPercent, l.isSnapshot])).toEqual([['lv_nfs', null, false]]);
    expect(lv[0]!.createdAt).toBe(Date.parse('2026-12-07T17:05:42Z')); // lv_time "2026-12-07 17:05:42 +0000"
  });
});
