import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/monitor/model.js';
import { reduce, reduceAll, type MonitorEvent } from '../../src/monitor/reducer.js';
import { assessHealth as assessAll, SEVERITY_RANK, type Severity } from '../../src/monitor/health.js';
import type { MonitorState } from '../../src/monitor/model.js';

// These tests feed DRBD only: the other components' readings (fail closed, states.test.ts) and the
// fencing warning (health-admin.test.ts) are left out of the verdicts judged here.
function assessHealth(s: MonitorState) {
  const problems = assessAll({ ...s, acceptNoFencing: true }).problems.filter((p) => !p.subject.endsWith(' reading'));
  const overall = problems.reduce<Severity>((w, x) => (SEVERITY_RANK[x.severity] > SEVERITY_RANK[w] ? x.severity : w), 'OK');
  return { overall, problems };
}
import { fixture, stream, streamEvents } from '../helpers/monitor-fixtures.js';

const start = () => initialState([{ name: 'node1', target: 'replay' }, { name: 'node2', target: 'replay' }], 0);
const pd = (s: ReturnType<typeof start>, node: string) => s.nodes[node]!.drbd.resources['r0']!.connections[0]!.peerDevices[0]!;

describe('reduce on real events2 sequences (DRBD 8.4 lab)', () => {
  it('initial sync: Inconsistent -> SyncSource/SyncTarget -> UpToDate on both nodes', () => {
    let s = start();
    const e1 = streamEvents(stream('initial-sync', 1), 'node1');
    const e2 = streamEvents(stream('initial-sync', 2), 'node2');
    // Up to the start of the sync on node1.
    const i = e1.findIndex((e) => e.type === 'events2-line' && e.line.includes('replication:SyncSource'));
    s = reduceAll(s, e1.slice(0, i + 1));
    expect(pd(s, 'node1')).toMatchObject({ replication: 'SyncSource', oosKiB: 204756 });
    expect(pd(s, 'node1').sync).toMatchObject({ totalKiB: 204756, percent: 0 });
    expect(assessHealth(s).problems.some((p) => p.subject === 'drbd r0' && p.text.startsWith('resynchronising'))).toBe(true);
    s = reduceAll(s, [...e1.slice(i + 1), ...e2]);
    const r1 = s.nodes['node1']!.drbd.resources['r0']!;
    const r2 = s.nodes['node2']!.drbd.resources['r0']!;
    expect([r1.role, r1.devices[0]!.disk, pd(s, 'node1').replication, pd(s, 'node1').peerDisk, pd(s, 'node1').sync]).toEqual(['Primary', 'UpToDate', 'Established', 'UpToDate', null]);
    expect([r2.role, r2.devices[0]!.disk, pd(s, 'node2').replication, r2.connections[0]!.peerRole]).toEqual(['Secondary', 'UpToDate', 'Established', 'Primary']);
    expect(r1.events.length).toBe(5);
    expect(r1.events.map((e) => e.text.slice(9)).slice(-2)).toEqual(['change replication Established', 'peer disk UpToDate']);
    expect(s.nodes['node1']!.drbd.initialDumpDone).toBe(true);
  });

  it('/proc/drbd polls move the 8.4 gauge between the events (never frozen, never negative)', () => {
    const e1 = streamEvents(stream('initial-sync', 1), 'node1');
    const i = e1.findIndex((e) => e.type === 'events2-line' && e.line.includes('replication:SyncSource'));
    let s = reduceAll(start(), e1.slice(0, i + 1));
    expect(pd(s, 'node1').replication).toBe('SyncSource');
    const at = Date.parse('2026-11-25T19:32:16Z');
    s = reduce(s, { type: 'proc-drbd', node: 'node1', at, text: fixture('proc_drbd.syncsource.node1.txt') });
    expect(pd(s, 'node1').sync!.percent).toBeCloseTo(((204756 - 165844) / 204756) * 100, 5);
    s = reduce(s, { type: 'proc-drbd', node: 'node1', at: at + 2000, text: fixture('proc_drbd.e2e-syncing.node1.txt') });
    const sync = pd(s, 'node1').sync!;
    expect(sync.percent).toBeCloseTo(((204756 - 21972) / 204756) * 100, 5);
    // The moving window starts at the events2 line that began the resync (WFBitMapS, 204756 KiB out of sync).
    const start84 = e1.find((e) => e.type === 'events2-line' && e.line.includes('replication:WFBitMapS')) as { line: string };
    const t0 = Date.parse(start84.line.split(' ')[0]!);
    const rate = ((204756 - 21972) / (at + 2000 - t0)) * 1000;
    expect(sync.samples[0]).toEqual({ t: t0, oosKiB: 204756 });
    expect(sync.rateKiBs).toBeCloseTo(rate, 5);
    expect(sync.etaSec).toBe(Math.round(21972 / rate));
    // The resource was named by events2 (r0), not duplicated as minor0.
    expect(Object.keys(s.nodes['node1']!.drbd.resources)).toEqual(['r0']);
  });

  it('a failover (Pacemaker standby of the active node): node1 becomes Primary, peer gone', () => {
    let s = reduceAll(start(), [...streamEvents(stream('pcmk-standby-failover', 1), 'node1'), ...streamEvents(stream('pcmk-standby-failover', 2), 'node2')]);
    expect(s.nodes['node1']!.drbd.resources['r0']!.role).toBe('Primary');
    expect(s.nodes['node1']!.drbd.resources['r0']!.connections[0]!.connection).toBe('Connecting');
    // node2 stopped DRBD entirely: the resource is destroyed there.
    expect(s.nodes['node2']!.drbd.resources).toEqual({});
    const h = assessHealth(s);
    expect(h.overall).toBe('WARNING');
    expect(h.problems[0]).toMatchObject({ node: 'node1', subject: 'drbd r0', text: 'waiting for the peer (not replicating)' });
    s = reduce(s, { type: 'tick', at: s.now + 1 });
    expect(s.nodes['node1']!.drbd.resources['r0']!.events.map((e) => e.text.slice(9))).toContain('change role Primary');
  });

  it('peer killed, writes, peer back: bitmap resync of 24 MiB with progress from 0 to done', () => {
    const e1 = streamEvents(stream('peer-killed-restarted-resync', 1), 'node1');
    let s = reduceAll(start(), e1.slice(0, 11));
    const c = s.nodes['node1']!.drbd.resources['r0']!.connections[0]!;
    expect(c.connection).toBe('Connecting');
    expect(s.nodes['node1']!.drbd.resources['r0']!.errors.map((e) => e.text.slice(9))).toEqual(['change connection NetworkFailure']);
    s = reduce(s, { type: 'proc-drbd', node: 'node1', at: Date.parse('2026-11-25T19:33:00Z'), text: fixture('proc_drbd.peer-lost-after-writes.node1.txt') });
    expect(pd(s, 'node1').oosKiB).toBe(24576);
    expect(assessHealth(s).problems.find((p) => p.node === 'node1')!.text).toBe('waiting for the peer (not replicating) (24.0 MiB out of sync)');
    const j = e1.findIndex((e) => e.type === 'events2-line' && e.line.includes('replication:SyncSource'));
    s = reduceAll(s, e1.slice(11, j + 1));
    expect(pd(s, 'node1').sync).toMatchObject({ totalKiB: 24576, percent: 0 });
    s = reduceAll(s, e1.slice(j + 1));
    expect(pd(s, 'node1')).toMatchObject({ replication: 'Established', peerDisk: 'UpToDate', oosKiB: 0, sync: null });
    expect(assessHealth(s).problems.filter((p) => p.node === 'node1')).toEqual([]);
  });

  it('under Pacemaker: passive node killed, rejoins, 10 MiB bitmap resync, back to OK', () => {
    const e1 = streamEvents(stream('pcmk-passive-killed-rejoin', 1), 'node1');
    const seen: string[] = [];
    let s = start();
    for (const e of e1) {
      s = reduce(s, e);
      const c = s.nodes['node1']!.drbd.resources['r0']!.connections[0];
      const p = c?.peerDevices[0];
      if (c) seen.push(`${c.connection}/${p?.replication ?? null}${p?.sync ? ` ${p.sync.percent.toFixed(0)}%` : ''}`);
    }
    // Consecutive duplicates collapsed: the states in the order the screen would show them.
    expect(seen.filter((x, i) => x !== seen[i - 1])).toEqual([
      'Connected/null', 'Connected/Established', 'NetworkFailure/Established', 'NetworkFailure/Off', 'Unconnected/Off',
      'Connecting/Off', 'Connected/Off', 'Connected/WFBitMapS 0%', 'Connected/SyncSource 0%', 'Connected/Established',
    ]);
    expect(pd(s, 'node1')).toMatchObject({ peerDisk: 'UpToDate', oosKiB: 0, sync: null });
    expect(s.nodes['node1']!.drbd.resources['r0']!.role).toBe('Primary');
  });

  it('split brain: critical, kept after the connection object is destroyed', () => {
    const s = reduceAll(start(), [...streamEvents(stream('split-brain', 1), 'node1'), ...streamEvents(stream('split-brain', 2), 'node2')]);
    const r1 = s.nodes['node1']!.drbd.resources['r0']!;
    expect(r1.splitBrainAt).toBe(Date.parse('2026-11-25T19:34:01.711632+00:00'));
    expect(r1.connections).toEqual({});
    const h = assessHealth(s);
    expect(h.overall).toBe('CRITICAL');
    expect(h.problems[0]!.text).toMatch(/^SPLIT BRAIN/);
    expect(h.problems.some((p) => p.text === 'Primary on node1 and node2 at once')).toBe(true);
  });

  it('split brain seen only through /proc/drbd (monitor started later): StandAlone is critical', () => {
    const s = reduce(start(), { type: 'proc-drbd', node: 'node1', at: 1, text: fixture('proc_drbd.split-brain-standalone.node1.txt') });
    expect(Object.keys(s.nodes['node1']!.drbd.resources)).toEqual(['/dev/drbd0']);
    const h = assessHealth(s);
    expect(h.problems.find((p) => p.node === 'node1')).toMatchObject({ severity: 'CRITICAL', text: expect.stringMatching(/^StandAlone.*\(3.0 MiB out of sync\)$/) });
  });

  it('detach and attach of the secondary: Diskless is critical, then resync, then OK', () => {
    const e2 = streamEvents(stream('detach-attach-secondary', 2), 'node2');
    let s = reduceAll(start(), e2.slice(0, 7));
    expect(s.nodes['node2']!.drbd.resources['r0']!.devices[0]!.disk).toBe('Diskless');
    expect(assessHealth(s).problems[0]).toMatchObject({ severity: 'CRITICAL', node: 'node2', text: expect.stringMatching(/Diskless/) });
    s = reduceAll(s, e2.slice(7));
    expect(s.nodes['node2']!.drbd.resources['r0']!.devices[0]!.disk).toBe('UpToDate');
    expect(s.nodes['node2']!.drbd.resources['r0']!.errors.map((e) => e.text.slice(9))).toEqual(['change disk Failed', 'change disk Diskless']);
  });

  it('a degraded RAID from /proc/mdstat: failed member, then recovery with progress, then clean', () => {
    let s = reduce(start(), { type: 'mdstat', node: 'node1', at: 1, text: fixture('proc_mdstat.degraded-vdc-faulty.node1.txt') });
    let h = assessHealth(s);
    expect(h.problems.filter((p) => p.subject === 'raid md0').map((p) => p.text)).toEqual(['member failed vdc', 'degraded [U_]']);
    s = reduce(s, { type: 'mdstat', node: 'node1', at: 2, text: fixture('proc_mdstat.recovering.node1.txt') });
    h = assessHealth(s);
    expect(h.problems.filter((p) => p.subject === 'raid md0').map((p) => p.text)).toEqual(['rebuilding recovery 5.8%']);
    s = reduce(s, { type: 'mdstat', node: 'node1', at: 3, text: fixture('proc_mdstat.clean-after-recovery.node1.txt') });
    expect(assessHealth(s).problems.filter((p) => p.subject === 'raid md0')).toEqual([]);
  });

  it('reachability: down is a state with since and retry, not a crash', () => {
    let s = reduce(start(), { type: 'reachability', node: 'node2', at: 1000, reachable: false, error: 'connect ECONNREFUSED', retryAt: 5000 });
    s = reduce(s, { type: 'reachability', node: 'node2', at: 2000, reachable: false, error: 'connect ECONNREFUSED', retryAt: 6000 });
    expect(s.nodes['node2']!.reach).toEqual({ status: 'down', since: 1000, error: 'connect ECONNREFUSED', retryAt: 6000 });
    expect(s.nodes['node2']!.errors).toHaveLength(1);
    const p = assessHealth(s).problems.find((x) => x.node === 'node2')!;
    expect(p).toMatchObject({ severity: 'CRITICAL', text: 'unreachable since 00:00:01, retrying in 4 s (connect ECONNREFUSED)' });
  });

  it('keeps only the last five errors per node', () => {
    const evs: MonitorEvent[] = Array.from({ length: 8 }, (_, i) => ({ type: 'probe-error' as const, node: 'node1', at: i * 1000, probe: 'x', error: `e${i}` }));
    const s = reduceAll(start(), evs);
    expect(s.nodes['node1']!.errors.map((e) => e.text.slice(9))).toEqual(['x: e3', 'x: e4', 'x: e5', 'x: e6', 'x: e7']);
  });

  it('DRBD 9 (drbd-utils golden output): named peer, done: and eta: give the progress', () => {
    const text = fixture('drbd9-utils-tests-events2-sync.test.txt');
    // The file holds two runs; the second (after "events2 --statistics") carries the statistics.
    const lines = text.slice(text.indexOf('events2 --statistics')).split('\n').filter((l) => /^(exists|create|change|destroy) /.test(l));
    const s = reduceAll(initialState([{ name: 'n', target: 'x' }], 0), lines.map((line) => ({ type: 'events2-line' as const, node: 'n', at: 1000, line })));
    const r = s.nodes['n']!.drbd.resources['some-resource']!;
    expect(s.nodes['n']!.errors).toEqual([]);
    expect(r.connections[1]).toMatchObject({ connName: 'some-peer', connection: 'Connected', peerRole: 'Secondary' });
    expect(r.connections[1]!.peerDevices[0]!.sync).toMatchObject({ percent: 37.5, oosKiB: 2500, etaSec: 10 });
    expect(r.devices[0]).toMatchObject({ minor: 1000, disk: 'UpToDate' });
  });

  it('a bad events2 line is kept as an error and changes nothing else', () => {
    const s0 = start();
    const s = reduce(s0, { type: 'events2-line', node: 'node1', at: 5, line: 'garbage here' });
    expect(s.nodes['node1']!.drbd).toEqual(s0.nodes['node1']!.drbd);
    expect(s.nodes['node1']!.errors[0]!.text).toMatch(/events2: unknown action garbage/);
  });
});
