// split-brain planned from the lab's real split brain (both Primary, StandAlone, "Split-Brain detected but
// unresolved"), with Pacemaker stopped (as captured) and with the running cluster's crm_mon/CIB (node1 serving
// the clients), then run by the one engine: the order of its commands, the snapshot first, the clone held in
// maintenance and released, the read-back.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Argv } from '../../../src/exec/runner.js';
import { FACT_ARGV } from '../../../src/plan/actions/cluster-facts.js';
import { findmntArgv, LVS_SNAP_ARGV, llDevArgv, splitBrainAction, type SplitBrainArgs, type SplitBrainRead } from '../../../src/plan/actions/split-brain.js';
import { executeAction, formatActionPlan, prepareAction } from '../../../src/apply/action-run.js';
import { Journal } from '../../../src/apply/journal.js';
import { Redactor } from '../../../src/apply/redact.js';
import { PROC_DRBD_ARGV } from '../../../src/probes/drbd-module.js';
import { KERNEL_LOG_ARGV, kernelLogSummary, parseDrbdKernelLog } from '../../../src/probes/drbd-kernel-log.js';
import { VGS_ARGV } from '../../../src/probes/lvm.js';
import { CaptureNode, type Reply } from '../../helpers/capture-node.js';
import { readFileSync } from 'node:fs';

const ROOT = resolve(import.meta.dirname, '../../..');
const SB = (n: string, f: string) => `${ROOT}/demo-lab/split-brain/${n}/${f}`;
const RUN = (n: string, f: string) => `${ROOT}/demo-lab/running/${n}/${f}`;
const FIX = (f: string) => `${ROOT}/test/fixtures/recovery/${f}`;
const EVENTS_SB = (n: string) => SB(n, `drbdsetup_events2_now_statistics.split-brain-standalone.${n}.txt`);
const EVENTS_OK = (n: string) => RUN(n, `drbdsetup_events2_now_statistics.pcmk-managed.${n}.txt`);
const KLOG = (n: string) => SB(n, `journalctl_k_grep_split-brain.split-brain-standalone.${n}.txt`);
const CRM_STOPPED = (n: string) => SB(n, `crm_mon_1_xml.bare-pacemaker-stopped.${n}.xml`);
const CRM_RUNNING = RUN('node1', 'crm_mon_1_xml.nfs-running.node1.xml');
const CIB = RUN('node1', 'cibadmin_Q.nfs-running.xml');
const LVS = (n: string) => (n === 'node1' ? SB(n, 'lvs_o_+snap_percent,lv_time_reportformat_json_units_b.snapshot-written.node1.json') : SB(n, 'lvs_reportformat_json_units_b.no-snapshot.node2.json'));
const VGS = (n: string) => (n === 'node1' ? SB(n, 'vgs_reportformat_json_units_b.snapshot-fresh.node1.json') : SB(n, 'vgs_reportformat_json_units_b.no-snapshot.node2.json'));

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const made = (changes: { node: string; argv: Argv }[], node: string, argv: string[]) => changes.some((c) => c.node === node && same(c.argv, argv));

/**
 * The cluster as the changes leave it. DRBD: split until the victim discarded its data (its own view then
 * the running Secondary's) and the survivor connected (then the running Primary's). Pacemaker: running or
 * stopped; the clone's maintenance attribute follows the crm_resource calls.
 */
function world(pacemaker: boolean) {
  return (name: string) => (argv: Argv, changes: { node: string; argv: Argv }[]): Reply => {
    const victimDone = made(changes, 'node2', ['drbdadm', 'connect', '--discard-my-data', 'r0']);
    const survivorDone = made(changes, 'node1', ['drbdadm', 'connect', 'r0']);
    if (same(argv, FACT_ARGV.events2Now)) {
      const resolved = name === 'node2' ? victimDone : victimDone && survivorDone;
      return { file: resolved ? EVENTS_OK(name) : EVENTS_SB(name) };
    }
    if (same(argv, FACT_ARGV.crmMon)) return pacemaker ? { file: CRM_RUNNING } : { file: CRM_STOPPED(name), exitCode: 102 };
    if (same(argv, FACT_ARGV.cib)) return pacemaker ? { file: CIB } : 'missing';
    if (same(argv, PROC_DRBD_ARGV)) return { file: SB(name, `proc_drbd.split-brain-standalone.${name}.txt`) };
    if (same(argv, KERNEL_LOG_ARGV)) return { file: KLOG(name) };
    if (same(argv, LVS_SNAP_ARGV)) return { file: LVS(name) };
    if (same(argv, VGS_ARGV)) return { file: VGS(name) };
    if (same(argv, findmntArgv('/dev/drbd0'))) return { file: FIX('findmnt_n_o_TARGET_S_drbd0.not-mounted.txt'), exitCode: 1 };
    if (same(argv, llDevArgv('r0'))) return 'missing';
    // The snapshot's own lvs: exit 5 (no such LV) until lvcreate ran.
    if (argv[0] === 'lvs') return { file: LVS(name), exitCode: changes.some((c) => c.node === name && c.argv[0] === 'lvcreate') ? 0 : 5 };
    if (argv[0] === 'crm_resource' && argv.includes('--get-parameter')) {
      const sets = changes.filter((c) => c.argv[0] === 'crm_resource');
      const on = sets.length > 0 && sets.at(-1)!.argv.includes('--set-parameter');
      return { file: FIX(on ? 'crm_resource_meta_get_maintenance.true.txt' : 'crm_resource_meta_get_maintenance.unset.txt') };
    }
    return null;
  };
}

function cluster(pacemaker: boolean) {
  const changes: { node: string; argv: Argv }[] = [];
  const w = world(pacemaker);
  const n1 = new CaptureNode('node1', { log: changes, answer: w('node1') });
  const n2 = new CaptureNode('node2', { log: changes, answer: w('node2') });
  return { changes, nodes: [{ name: 'node1', runner: n1 }, { name: 'node2', runner: n2 }] };
}

const parse = (flags: Record<string, string | boolean>): SplitBrainArgs => {
  const r = splitBrainAction.parse([], flags);
  if (!r.ok) throw new Error(r.error.message);
  return r.args;
};

const run = async (pacemaker: boolean, args: SplitBrainArgs) => {
  const c = cluster(pacemaker);
  const plan = await prepareAction(splitBrainAction, c.nodes, args);
  return { ...c, plan };
};

describe('split-brain: the kernel log', () => {
  it("reads the lab's split-brain detection time from journalctl -k", () => {
    const ev = parseDrbdKernelLog(readFileSync(KLOG('node1'), 'utf8'));
    expect(kernelLogSummary(ev).splitBrainAt).toBe('Nov 25 19:34:01.715539');
    expect(ev.filter((e) => e.kind === 'connection').at(-1)?.text).toBe('Disconnecting -> StandAlone');
  });
});

describe('split-brain: the plan', () => {
  it('Pacemaker stopped (as captured): recommends node2 from the weak out-of-sync hint, snapshots its LV, runs the 8.4 recovery', async () => {
    const { plan } = await run(false, parse({}));
    expect(plan.refusals).toEqual([]);
    const text = formatActionPlan(plan).join('\n');
    expect(text).toContain('recommended victim: node2');
    expect(text).toMatch(/node1 changed more since the split brain \(3072 KiB out of sync against 2048 KiB\): a weak hint/);
    expect(text).toContain('node2: kernel log: split brain detected Nov 25 19:34:02.569704');
    expect(text).toContain('DRBD 8.4.11 on both nodes');
    expect(text).toMatch(/mount -t ext4 -o ro,noload \/dev\/vg0\/nfs-splitbrain-\d{8}-\d{4}/);
    expect(plan.steps.map((s) => `${s.node} ${s.id}`)).toEqual([
      'node2 node2/snapshot-victim',
      'node2 node2/discard-my-data',
      'node1 node1/connect-survivor',
      'node1 node1/resync',
      'node2 node2/read-back',
    ]);
    // 2048 + 3072 KiB may be overwritten on the victim: twice that and 4 MiB room.
    expect(plan.steps[0]!.commands[0]).toEqual(['lvcreate', '--snapshot', '--name', expect.stringMatching(/^nfs-splitbrain-/), '--size', '14m', 'vg0/nfs']);
    // The captured victim is StandAlone already: 8.4 refuses a disconnect there (seen on the lab).
    expect(plan.steps[1]!.commands).toEqual([['drbdadm', 'secondary', 'r0'], ['drbdadm', 'connect', '--discard-my-data', 'r0']]);
    expect(plan.steps[2]!.commands).toEqual([['drbdadm', 'connect', 'r0']]);
    expect(plan.confirm).toMatchObject({ kind: 'typed', words: 'node2' });
  });

  it('Pacemaker running on node1: node1 keeps its data; the clone is held in maintenance around the DRBD commands', async () => {
    const { plan } = await run(true, parse({}));
    expect(plan.refusals).toEqual([]);
    expect(plan.facts.join('\n')).toMatch(/the clients use node1: Pacemaker runs p_\w+ there now/);
    const ids = plan.steps.map((s) => s.id);
    expect(ids).toEqual(['node2/snapshot-victim', 'cluster/drbd-maintenance', 'node2/discard-my-data', 'node1/connect-survivor', 'node1/resync', 'cluster/drbd-release', 'node2/read-back']);
    expect(plan.steps[1]!.commands).toEqual([['crm_resource', '--resource', 'ms_drbd_r0', '--meta', '--set-parameter', 'maintenance', '--parameter-value', 'true']]);
    expect(plan.steps[5]!.commands).toEqual([['crm_resource', '--resource', 'ms_drbd_r0', '--meta', '--delete-parameter', 'maintenance']]);
  });

  it('refuses to discard the side Pacemaker serves the clients from', async () => {
    const { plan } = await run(true, parse({ victim: 'node1' }));
    expect(plan.refusals.join('\n')).toMatch(/Pacemaker serves the clients from node1 .*Choose node2 as the victim, or move the service to node2 first/);
  });

  it('DRBD 9: the survivor disconnects before it connects', async () => {
    const c = cluster(false);
    const facts = await (await import('../../../src/plan/actions/cluster-facts.js')).readClusterFacts(c.nodes);
    const extra = (await splitBrainAction.read!({ nodes: c.nodes, facts, args: parse({}) })) as SplitBrainRead;
    const nine = { ...extra, nodes: extra.nodes.map((n) => ({ ...n, drbdVersion: '9.2.12' })) };
    const plan = splitBrainAction.plan({ nodes: c.nodes, facts, args: parse({}) }, nine);
    expect(plan.steps.find((s) => s.id === 'node1/connect-survivor')!.commands).toEqual([['drbdadm', 'disconnect', 'r0'], ['drbdadm', 'connect', 'r0']]);
    expect(plan.steps.find((s) => s.id === 'node2/discard-my-data')!.commands[0]).toEqual(['drbdadm', 'disconnect', 'r0']);
  });

  it('both Connected (the after-sb policies resolved it): says so and runs nothing', async () => {
    const changes: { node: string; argv: Argv }[] = [];
    const w = world(true);
    const ok = (name: string) => (argv: Argv, ch: { node: string; argv: Argv }[]): Reply => (same(argv, FACT_ARGV.events2Now) ? { file: EVENTS_OK(name) } : w(name)(argv, ch));
    const nodes = ['node1', 'node2'].map((n) => ({ name: n, runner: new CaptureNode(n, { log: changes, answer: ok(n) }) }));
    const plan = await prepareAction(splitBrainAction, nodes, parse({}));
    expect(plan.steps).toEqual([]);
    expect(plan.summary).toMatch(/no split brain: r0 is Connected on both nodes/);
  });

  it('bad input: a victim that is no node; --yes without --victim', async () => {
    const { plan } = await run(false, parse({ victim: 'node3' }));
    expect(plan.bad).toEqual({ field: '--victim', message: '"node3" is not a node of this cluster; its nodes: node1, node2' });
    expect(plan.steps).toEqual([]);
    expect(splitBrainAction.parse([], { yes: true })).toMatchObject({ ok: false, error: { field: '--victim' } });
    expect(splitBrainAction.parse([], { victim: 'a;b' })).toMatchObject({ ok: false, error: { field: '--victim' } });
  });

  it('refuses when the VG has no room for the snapshot (the victim side would be lost unkept)', async () => {
    const c = cluster(false);
    const facts = await (await import('../../../src/plan/actions/cluster-facts.js')).readClusterFacts(c.nodes);
    const extra = (await splitBrainAction.read!({ nodes: c.nodes, facts, args: parse({}) })) as SplitBrainRead;
    const full = { ...extra, nodes: extra.nodes.map((n) => ({ ...n, lvm: n.lvm ? { ...n.lvm, vgs: n.lvm.vgs.map((g) => ({ ...g, freeBytes: 4 * 1048576 })) } : null })) };
    const plan = splitBrainAction.plan({ nodes: c.nodes, facts, args: parse({}) }, full);
    expect(plan.refusals.join('\n')).toMatch(/the snapshot of vg0\/nfs needs 14 MiB and DRBD's resync snapshot 30 MiB; vg0 on node2 has 4 MiB free/);
  });
});

describe('split-brain: run by the engine', () => {
  const opts = (journal: Journal) => ({ dryRun: false, journal, redactor: new Redactor([]), sleep: async () => {}, holder: 'test', confirmWipe: async () => true });

  it('Pacemaker running: snapshot, hold, victim, survivor, resync, release, in that order; read back', async () => {
    const { plan, nodes, changes } = await run(true, parse({ victim: 'node2' }));
    const journal = new Journal([], new Redactor([]));
    const out = await executeAction(plan, nodes, opts(journal));
    expect(out.kind).toBe('done');
    expect(changes.map((c) => `${c.node}: ${c.argv.join(' ')}`)).toEqual([
      expect.stringMatching(/^node2: lvcreate --snapshot --name nfs-splitbrain-\d{8}-\d{4} --size 14m vg0\/nfs$/),
      'node1: crm_resource --resource ms_drbd_r0 --meta --set-parameter maintenance --parameter-value true',
      'node2: drbdadm secondary r0',
      'node2: drbdadm connect --discard-my-data r0',
      'node1: drbdadm connect r0',
      'node1: crm_resource --resource ms_drbd_r0 --meta --delete-parameter maintenance',
    ]);
    expect(journal.entries.some((e) => e.argv === 'drbdadm connect --discard-my-data r0')).toBe(true);
  });

  it('Pacemaker stopped: no crm step at all', async () => {
    const { plan, nodes, changes } = await run(false, parse({ victim: 'node2' }));
    const out = await executeAction(plan, nodes, opts(new Journal([], new Redactor([]))));
    expect(out.kind).toBe('done');
    expect(changes.some((c) => c.argv[0] === 'crm_resource')).toBe(false);
    expect(changes.filter((c) => c.argv[0] === 'drbdadm').map((c) => c.node)).toEqual(['node2', 'node2', 'node1']);
  });
});
