// snapshot list|create|mount|unmount|remove planned from real captures of the lab (the running demo's
// crm_mon, CIB, events2, lsblk, vgs, lvs; node1 Primary with snapshot snap1 of vg0/nfs), then run by the
// one engine through the real run lock: the commands each one changed, and what it read back.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { snapshotCreateAction, snapshotListAction, snapshotMountAction, snapshotRemoveAction, snapshotUnmountAction, SNAPSHOT_SERVICE } from '../../../src/plan/actions/snapshot.js';
import { defaultSnapshotDir, findmntAt, snapshotMountOptions, snapshotUnmountStep } from '../../../src/plan/actions/snapshot-steps.js';
import { ageText, dmName, STORAGE_ARGV, storageFactsFrom, type StorageFacts } from '../../../src/plan/actions/storage-facts.js';
import { formatActionPlan, prepareAction, type ActionDef, type ActionPlan } from '../../../src/apply/action-run.js';
import { SNAPSHOT_SCRIPT } from '../../../src/generate/snapshot-units.js';
import { parseCibFacts } from '../../../src/probes/cib-facts.js';
import { MONITOR_ARGV } from '../../../src/monitor/collect.js';
import { createDemoRunners } from '../../../src/exec/demo-lab.js';
import type { After } from '../../helpers/capture-node.js';
import { ACT, CIB, LC, LSBLK, LVS_SNAP, N1, N2, ROOT, RUN, res, runningFacts as facts, runPlan as run, storageFacts, storageNode, type PerNode } from '../../helpers/storage-captures.js';

const VGS = { node1: RUN('node1', 'vgs_reportformat_json_units_b.snapshot-fresh.node1.json'), node2: RUN('node2', 'vgs_reportformat_json_units_b.no-snapshot.node2.json') };
/** node1: vg0/nfs with snap1 (LVS_SNAP); node2: vg0/nfs alone. */
const LVS_NONE = { node1: LC('raid/pvs_vgs_lvs_reportformat_json_units_b.full-stack-active.node1.json'), node2: RUN('node2', 'lvs_reportformat_json_units_b.no-snapshot.node2.json') };
const LVS_FRESH = LC('raid/lvs_reportformat_json_units_b.snapshot-fresh.node1.json');
const MOUNTED = ACT('findmnt_n_o_SOURCE,OPTIONS_mountpoint.snapshot-mounted-ro-noload.txt');
const NOT_MOUNTED = ACT('findmnt_n_o_SOURCE,OPTIONS_mountpoint.not-mounted.txt');
/** snap1's lv_time is 2026-11-25 19:31:36 UTC: a day and a half later. */
const NOW = Date.parse('2026-11-27T07:31:36Z');

const cib = () => {
  const p = parseCibFacts(readFileSync(CIB, 'utf8'));
  if (!p.ok) throw new Error(p.error);
  return p.facts;
};
const storage = (lvs: PerNode, lsblk = LSBLK): StorageFacts => storageFacts(VGS, lvs, lsblk);
const nodes = [{ name: 'node1', runner: null as never }, { name: 'node2', runner: null as never }];
function parse<A>(def: ActionDef<A>, p: string[]): A {
  const r = def.parse(p, {});
  if (!r.ok) throw new Error(r.error.message);
  return { ...r.args, now: NOW };
}

/** A node answering the running demo's reads; `lvs` and `after` as the test needs. */
function node(name: 'node1' | 'node2', lvs: string, after: After[] = [], extra: [readonly string[], string[]][] = [], codes: [readonly string[], number][] = []) {
  return storageNode(name, { vgs: VGS[name], lvs, after, reads: extra, exitCodes: codes });
}

describe('storage facts from real captures', () => {
  it('finds the LV under DRBD on each node through lsblk (node2 assembled its array as md127), and node1\'s snapshot', () => {
    const st = storage({ node1: LVS_SNAP, node2: LVS_NONE.node2 });
    expect(st.config).toEqual({ resource: 'r0', device: '/dev/drbd0', mount: '/srv/nfs', fstype: 'ext4' });
    const [n1, n2] = st.nodes;
    expect(n1).toMatchObject({ error: null, vg: 'vg0', lv: 'nfs', lvBytes: 209715200, vgFreeBytes: 37748736 });
    expect(n1!.mounts).toContainEqual({ device: 'drbd0', dir: '/srv/nfs' });
    expect(n1!.snapshots).toEqual([{ name: 'snap1', vg: 'vg0', sizeBytes: 16777216, percent: 37.7, createdAt: Date.parse('2026-11-25T19:31:36Z'), invalid: false, timer: false, mountpoints: [] }]);
    expect(n2).toMatchObject({ error: null, vg: 'vg0', lv: 'nfs', snapshots: [] });
  });

  it('says so when lsblk shows no DRBD device on an LV (the lab before DRBD, with a snapshot stacked)', () => {
    const st = storage({ node1: LVS_SNAP, node2: LVS_NONE.node2 }, { node1: LC('raid/lsblk_J_b_O.md-lvm-snapshot.node1.json'), node2: LSBLK.node2 });
    expect(st.nodes[0]!.error).toBe('lsblk shows no LVM volume under /dev/drbd0 on node1');
    expect(st.nodes[1]!.error).toBeNull();
  });

  it('finds vg_nfs/lv_nfs under drbd0 in the wizard-applied lab (its lsblk, vgs and lvs captures)', () => {
    const L = (f: string) => `${ROOT}/test/fixtures/lab/running/${f}`;
    const st = storageFactsFrom(cib(), null, (['lab1', 'lab2'] as const).map((name) => ({
      name,
      lsblk: res(STORAGE_ARGV.lsblk, L(`lsblk_J_b_O.${name}.json`)),
      vgs: res(STORAGE_ARGV.vgs, L(`vgs_reportformat_json_units_b.${name}.json`)),
      lvs: res(STORAGE_ARGV.lvs, L(`lvs_a_o_snap_percent_lv_time_reportformat_json_units_b.${name}.json`)),
    })));
    for (const n of st.nodes) expect(n).toMatchObject({ error: null, vg: 'vg_nfs', lv: 'lv_nfs', lvBytes: 209715200, vgFreeBytes: 54525952, snapshots: [] });
  });

  it('reads vgs and lvs as the demo lab records them; the monitor\'s one `lvm fullreport` is answered from the same captures', () => {
    for (const runner of createDemoRunners('running')) {
      const known = runner.knownCommands().map((a) => a.join(' '));
      for (const argv of [STORAGE_ARGV.vgs, STORAGE_ARGV.lvs, MONITOR_ARGV.lvm]) expect(known, `${runner.label}: ${argv.join(' ')}`).toContain(argv.join(' '));
    }
  });

  it('says a snapshot\'s age in minutes, hours, then days and hours', () => {
    expect([40, 5 * 60, 76 * 60].map((m) => ageText(m * 60_000))).toEqual(['40 min', '5 h', '3 d 4 h']);
  });

  it('names device-mapper devices as lsblk does (dashes doubled)', () => {
    expect(dmName('vg0', 'nfs')).toBe('vg0-nfs');
    expect(dmName('vg-nfs', 'lv_nfs_snap_20261125T193136Z')).toBe('vg--nfs-lv_nfs_snap_20261125T193136Z');
  });
});

describe('snapshot list', () => {
  it('lists each node\'s snapshots with age, size and fill, and runs nothing', () => {
    const plan = snapshotListAction.plan({ nodes, facts: facts(), args: { now: NOW } }, storage({ node1: LVS_SNAP, node2: LVS_NONE.node2 }));
    expect(plan.refusals).toEqual([]);
    expect(plan.steps).toEqual([]);
    expect(plan.summary).toMatch(/^1 snapshot\(s\) of the LV under DRBD r0/);
    const text = plan.facts.join('\n');
    expect(text).toContain('node1: vg0/snap1, 36 h old, 16 MiB, 37.7% full, not the timer\'s');
    expect(text).toMatch(/node2: vg0\/nfs \(200 MiB\) under \/dev\/drbd0, 52 MiB free in vg0: 0 snapshot/);
  });

  it('through the engine: done, nothing changed', async () => {
    const a = node('node1', LVS_SNAP);
    const b = node('node2', LVS_NONE.node2);
    const ns = [{ name: N1, runner: a }, { name: N2, runner: b }];
    const plan = await prepareAction(snapshotListAction, ns, parse(snapshotListAction, []));
    const { out } = await run(plan, ns);
    expect(out.kind).toBe('done');
    expect(a.changes).toEqual([]);
    expect(b.changes).toEqual([]);
  });
});

describe('snapshot create', () => {
  it('starts the timer\'s service on the Primary and reads back a new snapshot of the LV', async () => {
    const a = node('node1', LVS_NONE.node1, [{ read: STORAGE_ARGV.lvs, ranPrefix: ['systemctl', 'start'], file: LVS_FRESH }], [[['test', '-x', SNAPSHOT_SCRIPT], [ACT('test_x_usr_local_sbin_hanfs-snapshot.txt')]]]);
    const b = node('node2', LVS_NONE.node2);
    const ns = [{ name: N1, runner: a }, { name: N2, runner: b }];
    const plan = await prepareAction(snapshotCreateAction, ns, parse(snapshotCreateAction, []));
    expect(plan.refusals).toEqual([]);
    expect(plan.confirm.kind).toBe('yes');
    expect(formatActionPlan(plan).join('\n')).toContain(`[${N1}] Snapshot vg0/nfs now, as the timer does (${SNAPSHOT_SERVICE})`);
    const { out, journal } = await run(plan, ns);
    expect(out.kind).toBe('done');
    expect(a.changes).toEqual([['systemctl', 'start', SNAPSHOT_SERVICE]]);
    expect(b.changes).toEqual([]);
    expect(journal.entries.some((e) => e.argv === `systemctl start ${SNAPSHOT_SERVICE}`)).toBe(true);
  });

  it('fails (not done) when no new snapshot appears: the script refused (the VG too full) or was not Primary', async () => {
    const a = node('node1', LVS_NONE.node1, [], [[['test', '-x', SNAPSHOT_SCRIPT], [ACT('test_x_usr_local_sbin_hanfs-snapshot.txt')]]]);
    const ns = [{ name: N1, runner: a }, { name: N2, runner: node('node2', LVS_NONE.node2) }];
    const plan = await prepareAction(snapshotCreateAction, ns, parse(snapshotCreateAction, []));
    const { out } = await run(plan, ns);
    expect(out.kind).toBe('failed');
  });

  it('refuses when no node is DRBD Primary (both Secondary), and takes no argument', () => {
    const f = facts();
    for (const n of f.nodes) for (const d of n.drbd ?? []) d.role = 'Secondary';
    const plan = snapshotCreateAction.plan({ nodes, facts: f, args: { now: NOW } }, storage(LVS_NONE));
    expect(plan.refusals[0]).toMatch(/^no node is DRBD Primary of r0/);
    expect(snapshotCreateAction.parse(['x'], {})).toMatchObject({ ok: false, error: { field: 'snapshot create' } });
  });
});

describe('snapshot mount / unmount', () => {
  it('mounts read-only without replaying the journal (ext4 noload, xfs norecovery,nouuid) under /mnt/hanfs-snapshot by default', () => {
    expect(snapshotMountOptions('ext4')).toBe('ro,noload');
    expect(snapshotMountOptions('xfs')).toBe('ro,norecovery,nouuid');
    const plan = snapshotMountAction.plan({ nodes, facts: facts(), args: parse(snapshotMountAction, ['snap1']) }, storage({ node1: LVS_SNAP, node2: LVS_NONE.node2 }));
    expect(plan.refusals).toEqual([]);
    expect(plan.steps.map((s) => [s.node, s.commands])).toEqual([
      ['node1', [['mkdir', '-p', '/mnt/hanfs-snapshot/snap1'], ['mount', '-t', 'ext4', '-o', 'ro,noload', '/dev/vg0/snap1', '/mnt/hanfs-snapshot/snap1']]],
    ]);
    expect(plan.facts.join('\n')).toContain('node1 is the DRBD Primary: copy files back into /srv/nfs there');
  });

  it('through the engine: mounts, and reads back a read-only mount (findmnt, real output)', async () => {
    const dir = defaultSnapshotDir('snap1');
    const a = node('node1', LVS_SNAP, [{ read: findmntAt(dir), ranPrefix: ['mount'], file: MOUNTED }], [[findmntAt(dir), [NOT_MOUNTED]]], [[findmntAt(dir), 1]]);
    const ns = [{ name: N1, runner: a }, { name: N2, runner: node('node2', LVS_NONE.node2) }];
    const plan = await prepareAction(snapshotMountAction, ns, parse(snapshotMountAction, [`${N1}:snap1`]));
    const { out } = await run(plan, ns);
    expect(out.kind).toBe('done');
    expect(a.changes).toEqual([['mkdir', '-p', dir], ['mount', '-t', 'ext4', '-o', 'ro,noload', '/dev/vg0/snap1', dir]]);
  });

  it('names bad input: a snapshot that does not exist, a node that does not, a directory inside the export or not absolute', () => {
    const st = storage({ node1: LVS_SNAP, node2: LVS_NONE.node2 });
    const nope = snapshotMountAction.plan({ nodes, facts: facts(), args: parse(snapshotMountAction, ['nope']) }, st);
    expect(nope.bad).toEqual({ field: 'NAME', message: 'no snapshot "nope" of the LV under DRBD; known: node1:snap1' });
    const badNode = snapshotMountAction.plan({ nodes, facts: facts(), args: parse(snapshotMountAction, ['node9:snap1']) }, st);
    expect(badNode.bad?.message).toMatch(/"node9" is no node of this cluster/);
    const inside = snapshotMountAction.plan({ nodes, facts: facts(), args: parse(snapshotMountAction, ['snap1', '/srv/nfs/old']) }, st);
    expect(inside.bad?.field).toBe('DIR');
    const onExport = snapshotMountAction.plan({ nodes, facts: facts(), args: parse(snapshotMountAction, ['snap1', '/srv/nfs']) }, st);
    expect(onExport.bad?.field).toBe('DIR');
    expect(snapshotMountAction.parse(['snap1', 'relative/dir'], {})).toMatchObject({ ok: false, error: { field: 'DIR' } });
    expect(snapshotMountAction.parse(['snap1', '/mnt/../etc'], {})).toMatchObject({ ok: false, error: { field: 'DIR' } });
    expect(snapshotMountAction.parse(['snap1;rm'], {})).toMatchObject({ ok: false, error: { field: 'NAME' } });
    expect(snapshotMountAction.parse([], {})).toMatchObject({ ok: false, error: { field: 'NAME' } });
  });

  it('refuses a directory where something else is mounted (the step would take that mount for its own)', () => {
    const st = storage({ node1: LVS_SNAP, node2: LVS_NONE.node2 });
    st.nodes[0]!.mounts.push({ device: 'sdz1', dir: '/mnt/old' });
    const plan = snapshotMountAction.plan({ nodes, facts: facts(), args: parse(snapshotMountAction, ['snap1', '/mnt/old']) }, st);
    expect(plan.refusals).toEqual(['/mnt/old on node1 already has sdz1 mounted: choose another directory']);
  });

  it('unmount of a snapshot that is not mounted runs nothing', () => {
    const plan = snapshotUnmountAction.plan({ nodes, facts: facts(), args: { ref: { node: null, name: 'snap1' } } }, storage({ node1: LVS_SNAP, node2: LVS_NONE.node2 }));
    expect(plan.steps).toEqual([]);
    expect(plan.summary).toMatch(/not mounted: nothing to do/);
  });

  it('the unmount step (shared with the restore): umount, read back nothing mounted there', async () => {
    const dir = '/mnt/hanfs-snapshot/snap1';
    const a = node('node1', LVS_SNAP, [{ read: findmntAt(dir), ranPrefix: ['umount'], file: NOT_MOUNTED, exitCode: 1 }], [[findmntAt(dir), [MOUNTED]]]);
    const ns = [{ name: N1, runner: a }, { name: N2, runner: node('node2', LVS_NONE.node2) }];
    const plan: ActionPlan = { action: 'snapshot unmount', summary: 't', facts: [], refusals: [], steps: [snapshotUnmountStep({ node: N1, name: 'snap1', dir })], confirm: { kind: 'none' }, done: '', names: { raidDevice: '', drbdResource: '' } };
    const { out } = await run(plan, ns);
    expect(out.kind).toBe('done');
    expect(a.changes).toEqual([['umount', dir]]);
  });
});

describe('snapshot remove', () => {
  it('asks for the typed words, runs lvremove on the node that has it, reads back that it is gone', async () => {
    const a = node('node1', LVS_SNAP, [{ read: STORAGE_ARGV.lvs, ranPrefix: ['lvremove'], file: LVS_NONE.node1 }]);
    const b = node('node2', LVS_NONE.node2);
    const ns = [{ name: N1, runner: a }, { name: N2, runner: b }];
    const plan = await prepareAction(snapshotRemoveAction, ns, parse(snapshotRemoveAction, ['snap1']));
    expect(plan.confirm).toMatchObject({ kind: 'typed', words: 'remove snap1' });
    expect(plan.steps[0]!.destructive).toBe(true);
    const { out } = await run(plan, ns);
    expect(out.kind).toBe('done');
    expect(a.changes).toEqual([['lvremove', '--yes', 'vg0/snap1']]);
    expect(b.changes).toEqual([]);
  });

  it('refuses a mounted snapshot, and names one that does not exist', () => {
    const st = storage({ node1: LVS_SNAP, node2: LVS_NONE.node2 });
    st.nodes[0]!.snapshots[0]!.mountpoints = ['/mnt/hanfs-snapshot/snap1'];
    const plan = snapshotRemoveAction.plan({ nodes, facts: facts(), args: parse(snapshotRemoveAction, ['snap1']) }, st);
    expect(plan.refusals).toEqual(['snap1 is mounted at /mnt/hanfs-snapshot/snap1 on node1: unmount it first (hanfs-wizard snapshot unmount node1:snap1)']);
    const none = snapshotRemoveAction.plan({ nodes, facts: facts(), args: parse(snapshotRemoveAction, ['snap2']) }, storage(LVS_NONE));
    expect(none.bad?.message).toBe('no snapshot "snap2" of the LV under DRBD; there are none (hanfs-wizard snapshot create)');
  });

  it('a dry run changes nothing', async () => {
    const a = node('node1', LVS_SNAP);
    const ns = [{ name: N1, runner: a }, { name: N2, runner: node('node2', LVS_NONE.node2) }];
    const plan = await prepareAction(snapshotRemoveAction, ns, parse(snapshotRemoveAction, ['snap1']));
    const { out } = await run(plan, ns, true);
    expect(out.kind).toBe('dry-run');
    expect(a.changes).toEqual([]);
  });
});
