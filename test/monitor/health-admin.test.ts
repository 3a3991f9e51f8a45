// What an HA admin must never miss (issue 24, point 3), each rule on a real tool's output: the CIB and
// crm_mon of test/fixtures/monitor-admin (made by the real Pacemaker tools on a captured CIB), and the
// lab's /proc captures for stalled resyncs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPONENTS, initialState, type MonitorState } from '../../src/monitor/model.js';
import { reduceAll, type MonitorEvent } from '../../src/monitor/reducer.js';
import { assessHealth } from '../../src/monitor/health.js';
import { formatCheck } from '../../src/monitor/format.js';
import { AdaptiveTimeout } from '../../src/monitor/timeouts.js';
import { fixture } from '../helpers/monitor-fixtures.js';

const admin = (f: string) => readFileSync(new URL(`../fixtures/monitor-admin/${f}`, import.meta.url), 'utf8');
const nodes = [{ name: 'node1', target: 'replay' }, { name: 'node2', target: 'replay' }];
const T = Date.parse('2026-11-25T19:40:00Z');
const fresh = (at: number): MonitorEvent[] => nodes.map((n) => ({ type: 'fresh', node: n.name, at, components: [...COMPONENTS] }));
const up = (at: number): MonitorEvent[] => nodes.map((n) => ({ type: 'reachability', node: n.name, at, reachable: true }));
const state = (events: MonitorEvent[], accept = false): MonitorState => reduceAll({ ...initialState(nodes, T), acceptNoFencing: accept }, [...up(T), ...fresh(T), ...events]);
const texts = (s: MonitorState) => assessHealth(s).problems.map((p) => `${p.severity} ${p.node ?? 'cluster'} ${p.subject}: ${p.text}`);

describe('must-never-miss rules', () => {
  it('fencing disabled is a WARNING, silenced only by --accept-no-fencing, which the check line then says', () => {
    const events: MonitorEvent[] = [{ type: 'crm-mon', node: 'node2', at: T, xml: fixture('crm_mon_1_xml.nfs-running-with-ping.node2.xml') }];
    const s = state(events);
    expect(texts(s)).toContainEqual(expect.stringMatching(/^WARNING cluster fencing: fencing disabled \(stonith-enabled=false\): .* --accept-no-fencing/));
    expect(formatCheck(s).exitCode).toBe(1);
    const accepted = state(events, true);
    expect(texts(accepted).filter((t) => t.includes('fencing'))).toEqual([]);
    expect(formatCheck(accepted).line).toMatch(/\(fencing disabled: accepted with --accept-no-fencing\)$/);
  });

  it('a ban, a move, an unmanaged resource and a fail count at half the migration-threshold: each a WARNING saying what to do', () => {
    const s = state([
      { type: 'crm-mon', node: 'node2', at: T, xml: admin('crm_mon_1_xml.admin-traps.xml') },
      { type: 'cib', node: 'node2', at: T, xml: admin('cibadmin_Q.admin-traps.xml') },
    ], true);
    const t = texts(s);
    expect(t).toContainEqual(expect.stringMatching(/^WARNING node2 pacemaker g_nfs: constraint cli-ban-g_nfs-on-node2 left by `crm resource ban`: g_nfs may not run on node2, .*`crm resource clear g_nfs`$/));
    expect(t).toContainEqual(expect.stringMatching(/^WARNING node1 pacemaker cl_ping: constraint cli-prefer-cl_ping left by `crm resource move`: cl_ping is pinned to node1 .*`crm resource clear cl_ping`$/));
    expect(t).toContainEqual(expect.stringMatching(/^WARNING node2 pacemaker p_ip: unmanaged: Pacemaker will not recover or move it; `crm resource manage g_nfs` when done$/));
    expect(t).toContainEqual(expect.stringMatching(/^WARNING node2 pacemaker p_drbd_r0: fail count at or above half the migration-threshold \(2 of 4\): .*`crm resource cleanup p_drbd_r0`$/));
    // (The state holds no DRBD or NFS reading: what is missing there is judged elsewhere, not here.)
    expect(assessHealth(s).problems.filter((p) => p.subject.startsWith('pacemaker')).every((p) => p.severity === 'WARNING')).toBe(true);
  });

  it('the same cluster in maintenance mode: a WARNING that nothing fails over', () => {
    const s = state([{ type: 'crm-mon', node: 'node2', at: T, xml: admin('crm_mon_1_xml.admin-maintenance.xml') }], true);
    expect(texts(s)).toContainEqual(expect.stringMatching(/^WARNING cluster pacemaker: maintenance-mode=true: Pacemaker watches but starts, stops and fails over nothing/));
  });

  it('a RAID member faulty, then missing: WARNING each', () => {
    const s1 = state([{ type: 'mdstat', node: 'node1', at: T, text: fixture('proc_mdstat.degraded-vdc-faulty.node1.txt') }], true);
    expect(texts(s1)).toContainEqual('WARNING node1 raid md0: member failed vdc');
    const s2 = state([{ type: 'mdstat', node: 'node1', at: T, text: fixture('proc_mdstat.degraded-vdc-removed.node1.txt') }], true);
    expect(texts(s2)).toContainEqual(expect.stringMatching(/^WARNING node1 raid md0: degraded/));
  });

  it('an md resync with no progress for 3 intervals is stalled; one that moves is not', () => {
    const md = fixture('proc_mdstat.resyncing.node1.txt');
    const at = (sec: number) => T + sec * 1000;
    // Polled every 2 s, the same percent at 0, 2, 4 and 7 s: stalled after 6 s.
    const stalled = state([0, 2, 4, 7].flatMap((t) => [{ type: 'mdstat' as const, node: 'node1', at: at(t), text: md }, ...fresh(at(t))]), true);
    expect(texts(stalled)).toContainEqual(expect.stringMatching(/^WARNING node1 raid md0: resync stalled at [\d.]+% for 7 s/));
    const moving = state([
      { type: 'mdstat', node: 'node1', at: at(0), text: md }, ...fresh(at(0)),
      { type: 'mdstat', node: 'node1', at: at(7), text: fixture('proc_mdstat.recovering.node1.txt') }, ...fresh(at(7)),
    ], true);
    expect(texts(moving).filter((x) => x.includes('stalled'))).toEqual([]);
  });

  it('a DRBD resync with no progress for 3 intervals is stalled; one that moves is not', () => {
    // The lab's /proc/drbd mid-sync (8.4: minors and out-of-sync, no events2 progress), read every 2 s.
    const proc = fixture('proc_drbd.e2e-syncing.node1.txt');
    const at = (sec: number) => T + sec * 1000;
    const polls = (secs: number[], text: (i: number) => string) => secs.flatMap((t, i) => [{ type: 'proc-drbd' as const, node: 'node1', at: at(t), text: text(i) }, ...fresh(at(t))]);
    const stalled = state(polls([0, 2, 4, 7], () => proc), true);
    expect(texts(stalled)).toContainEqual(expect.stringMatching(/^WARNING node1 drbd \S+: resync stalled: no progress for 7 s \(SyncSource\); check the replication link and `drbdadm status`$/));
    // Not yet at 6 s (3 intervals), and not when the out-of-sync amount moved in between.
    expect(texts(state(polls([0, 2, 4, 6], () => proc), true)).filter((x) => x.includes('stalled'))).toEqual([]);
    // The manual run's earlier moment of a sync (20 %, 165844 KiB out of sync), then the e2e's (90 %).
    const earlier = fixture('proc_drbd.syncsource.node1.txt');
    const moving = state(polls([0, 2, 4, 7], (i) => (i < 2 ? earlier : proc)), true);
    expect(Object.values(moving.nodes['node1']!.drbd.resources)[0]?.connections[0]?.peerDevices[0]?.oosKiB).toBe(21972);
    expect(texts(moving).filter((x) => x.includes('stalled'))).toEqual([]);
    expect(texts(state(polls([0, 2, 4, 7], () => earlier), true))).toContainEqual(expect.stringMatching(/resync stalled: no progress for 7 s/));
  });

  it('clock skew above 2 s between the nodes is a WARNING; 1 s is not', () => {
    const skew = (ms: number) => state([
      { type: 'clock', node: 'node1', at: T, offsetMs: 120 },
      { type: 'clock', node: 'node2', at: T, offsetMs: 120 + ms },
    ], true);
    expect(texts(skew(2500))).toContainEqual(expect.stringMatching(/^WARNING cluster clock: clock skew 2\.5 s between node1 and node2: .*chrony/));
    expect(texts(skew(1000)).filter((x) => x.includes('clock'))).toEqual([]);
  });
});

describe('adaptive per-command timeouts', () => {
  it('a normal node keeps the base; a slow node gets 4x its slowest round, capped; a timeout doubles the next budget', () => {
    const t = new AdaptiveTimeout(10_000, 40_000);
    expect(t.current()).toBe(10_000);
    t.record(800, false);
    expect(t.current()).toBe(10_000);
    t.record(4_000, false);
    expect(t.current()).toBe(16_000);
    t.record(16_000, true);
    expect(t.current()).toBe(32_000);
    t.record(30_000, true);
    expect(t.current()).toBe(40_000);
    // Fast rounds again: the slow ones age out of the last ten.
    for (let i = 0; i < 10; i++) t.record(500, false);
    expect(t.current()).toBe(10_000);
  });
});
