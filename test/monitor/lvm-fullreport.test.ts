// The monitor's one LVM command (MONITOR_ARGV.lvm, `lvm fullreport`) read by its parser, on real outputs
// of the real lvm2 2.03.16 (test/fixtures/monitor/lvm-fullreport/SOURCE.md: loop devices, torn down), with
// the vgs and lvs it replaced run on the same state.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MONITOR_ARGV } from '../../src/monitor/collect.js';
import { parseLvmForMonitor, type LvmResult } from '../../src/monitor/lvm-adapter.js';

const DIR = join(import.meta.dirname, '../fixtures/monitor/lvm-fullreport');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
const STATE = 'snapshot-and-empty-vg';
const byName = <T extends { name: string; vg?: string }>(xs: T[]) => [...xs].sort((a, b) => `${a.vg ?? ''}/${a.name}`.localeCompare(`${b.vg ?? ''}/${b.name}`));
function ok(r: LvmResult) {
  if (!r.ok) throw new Error(r.error);
  return r;
}

describe('lvm fullreport: one LVM command per node per round', () => {
  it('the fixtures were made by the exact command the monitor runs, exiting 0', () => {
    const script = read('make.sh');
    const block = /^MONITOR=\(([^)]*)\)/m.exec(script)?.[1];
    expect(block, 'make.sh names the command in MONITOR=(...)').toBeDefined();
    expect(block!.split(/\s+/).filter((w) => w !== '')).toEqual([...MONITOR_ARGV.lvm]);
    for (const f of [`fullreport.${STATE}`, 'fullreport.orphan-pvs-no-vg', 'fullreport.no-pv']) expect(read(`${f}.exit`).trim(), f).toBe('0');
  });

  it('the lab captures the same command (test/lab/capture.sh), so its lab fixtures answer the monitor exactly', () => {
    const script = readFileSync(join(import.meta.dirname, '../lab/capture.sh'), 'utf8');
    const line = /^ {2}"lvm_fullreport_monitor\|json\|([^"]*)"$/m.exec(script)?.[1];
    expect(line, 'capture.sh lists lvm_fullreport_monitor').toBeDefined();
    expect(line!.split(' ')).toEqual([...MONITOR_ARGV.lvm]);
  });

  it('gives every VG (the empty one too) and every LV with its snapshot, as vgs and lvs did on the same state', () => {
    const full = ok(parseLvmForMonitor(read(`fullreport.${STATE}.json`)));
    const old = ok(parseLvmForMonitor(read(`vgs_reportformat_json_units_b.${STATE}.json`) + '\n' + read(`lvs_o_+snap_percent,lv_time_reportformat_json_units_b.${STATE}.json`)));
    expect(byName(full.vgs)).toEqual(byName(old.vgs));
    expect(byName(full.lvs)).toEqual(byName(old.lvs));
    // What the monitor shows from it: free space of both VGs, the snapshot with its origin and age.
    const [vg, empty] = byName(full.vgs);
    expect(vg!.name).toMatch(/^hanfs-test-\d+$/);
    expect(empty!.name).toBe(`${vg!.name}-empty`);
    expect(empty!.freeBytes).toBe(empty!.sizeBytes);
    expect(vg!.freeBytes).toBeLessThan(vg!.sizeBytes);
    const origin = full.lvs.find((l) => l.name === 'nfs')!;
    const snap = full.lvs.find((l) => l.name === 'snap1')!;
    expect(origin).toMatchObject({ vg: vg!.name, isSnapshot: false, origin: null, snapPercent: null });
    expect(snap).toMatchObject({ vg: vg!.name, isSnapshot: true, origin: 'nfs', invalid: false });
    // The LVs the VG holds use what the VG no longer has free.
    expect(origin.sizeBytes + snap.sizeBytes).toBe(vg!.sizeBytes - vg!.freeBytes);
    expect(snap.createdAt).toBeGreaterThan(origin.createdAt!);
    // No device-mapper where these were made: no fill to read (the lab's capture has it), said as null, not 0.
    expect(snap.snapPercent).toBeNull();
  });

  it('vgs with the LV fields would have dropped the VG without LV: why the monitor runs fullreport', () => {
    const one = ok(parseLvmForMonitor(read(`vgs_o_vg_and_lv_fields.${STATE}.json`)));
    const full = ok(parseLvmForMonitor(read(`fullreport.${STATE}.json`)));
    expect(full.vgs.map((v) => v.name)).toContain(`${one.vgs[0]!.name}-empty`);
    expect(one.vgs.map((v) => v.name)).not.toContain(`${one.vgs[0]!.name}-empty`);
  });

  it('PVs in no VG, and no PV at all, are an answer with nothing in it, not a failure', () => {
    expect(ok(parseLvmForMonitor(read('fullreport.orphan-pvs-no-vg.json')))).toMatchObject({ vgs: [], lvs: [] });
    expect(ok(parseLvmForMonitor(read('fullreport.no-pv.json')))).toMatchObject({ vgs: [], lvs: [] });
  });

  it('an LV listed without vg_name takes the VG of its report (fullreport nests LVs under their VG)', () => {
    // The real report with the lv list's vg_name field taken out: the shape of a fullreport asked without it.
    const text = read(`fullreport.${STATE}.json`).replace(/"vg_name":"[^"]*", (?="lv_name")/g, '');
    expect(text).not.toMatch(/"vg_name":"[^"]*", "lv_name"/);
    const r = ok(parseLvmForMonitor(text));
    const vg = r.vgs.find((v) => !v.name.endsWith('-empty'))!.name;
    expect(r.lvs.map((l) => l.vg)).toEqual([vg, vg]);
  });

  it('output that is not a report is a failed reading, not an empty LVM', () => {
    expect(parseLvmForMonitor(read(`fullreport.${STATE}.stderr.txt`)).ok).toBe(false);
    expect(parseLvmForMonitor('').ok).toBe(false);
  });
});
