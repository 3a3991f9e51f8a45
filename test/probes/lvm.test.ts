import { describe, expect, it } from 'vitest';
import { parseLvmReports } from '../../src/probes/lvm.js';
import { fixture } from './fixture.js';

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
