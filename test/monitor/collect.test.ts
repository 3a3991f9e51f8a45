// The collectors against the replay runner on the demo-lab states: live loops deliver events2 lines and
// polls to the store, r refreshes, abort stops every loop; a node without answers is unreachable.
import { describe, expect, it, vi } from 'vitest';
import { tryCreateDemoRunners } from '../../src/exec/demo-lab.js';
import { MONITOR_ARGV, ONE_SHOT_TIMEOUT_MS, pingdCovers, SLOW_EVERY, snapshotOnce, TIMEOUT_MS, startCollectors, type MonitoredNode } from '../../src/monitor/collect.js';
import { parseCrmMon } from '../../src/probes/crm-mon.js';
import { createStore } from '../../src/monitor/store.js';
import { initialState } from '../../src/monitor/model.js';
import { parseCorosyncNodelist } from '../../src/monitor/corosync-nodes.js';
import { CONFIG_ARGV } from '../../src/monitor/collect-config.js';
import { fixture } from '../helpers/monitor-fixtures.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { fileURLToPath } from 'node:url';

function demo(scenario: string): MonitoredNode[] {
  const r = tryCreateDemoRunners(scenario);
  if (!r.ok) throw new Error(r.error);
  return r.runners.map((runner) => ({ name: runner.label, runner, pingTargets: [runner.label === 'node1' ? '192.168.100.12' : '192.168.100.11'] }));
}

describe('collectors on replayed nodes', () => {
  it('the live loops stream events2, poll, ping, and stop on abort', async () => {
    const nodes = demo('syncing');
    const store = createStore(initialState(nodes.map((n) => ({ name: n.name, target: n.runner.label })), Date.now()));
    const abort = new AbortController();
    const c = startCollectors(nodes, { intervalMs: 200, dispatch: store.dispatch, now: Date.now, signal: abort.signal, tickMs: 100 });
    // node1 has no events2 capture in this state: its view comes from /proc/drbd polls (the 8.4 path),
    // each poll moving the gauge; node2 replays its events2 stream to the end of the sync.
    const percents = new Set<number>();
    const unsubscribe = store.subscribe(() => {
      // One name per thing: node1 reads only /proc/drbd (minors) and knows "/dev/drbd0" until node2's
      // events2 names minor 0 "r0"; from then on both nodes say r0.
      const rs = store.getState().nodes['node1']!.drbd.resources;
      const p = (rs['r0'] ?? rs['/dev/drbd0'])?.connections[0]?.peerDevices[0]?.sync?.percent;
      if (p !== undefined) percents.add(Math.round(p));
    });
    await vi.waitFor(() => expect(store.getState().nodes['node2']!.drbd.resources['r0']?.connections[0]?.peerDevices[0]?.replication).toBe('Established'), { timeout: 15_000 });
    await vi.waitFor(() => expect(store.getState().nodes['node1']!.drbd.resources['r0']?.connections[0]?.peerDevices[0]?.replication).toBe('Established'), { timeout: 15_000 });
    expect(Object.keys(store.getState().nodes['node1']!.drbd.resources)).toEqual(['r0']);
    unsubscribe();
    expect([...percents]).toEqual([19, 89]);
    const n1 = store.getState().nodes['node1']!;
    expect(n1.drbd.source).toBe('proc');
    expect(store.getState().nodes['node2']!.drbd.source).toBe('events2');
    expect(n1.errors.some((e) => e.text.includes('drbdsetup events2 ended'))).toBe(true);
    expect(n1.ping['192.168.100.12']).toMatchObject({ reachable: true });
    expect(n1.raid.arrays[0]?.name).toBe('md0');
    abort.abort();
    await c.done;
    // Each loop ran its commands through the one runner per node.
    const runner = nodes[1]!.runner as unknown as { history: string[][] };
    expect(runner.history.filter((a) => a.join(' ') === MONITOR_ARGV.events2Stream.join(' ')).length).toBeGreaterThanOrEqual(1);
    expect(runner.history.filter((a) => a.join(' ') === 'cat /proc/drbd').length).toBeGreaterThanOrEqual(2);
  });

  it('refresh() polls at once instead of waiting for the interval; unchanged output is not dispatched again', async () => {
    const nodes = demo('running').slice(0, 1);
    const runner = nodes[0]!.runner as unknown as { history: string[][] };
    const crmCalls = () => runner.history.filter((a) => a.join(' ') === MONITOR_ARGV.crmMon.join(' ')).length;
    let crmEvents = 0;
    const store = createStore(initialState([{ name: 'node1', target: 'replay' }], Date.now()));
    const abort = new AbortController();
    const c = startCollectors(nodes, {
      intervalMs: 60_000,
      dispatch: (e) => {
        if (e.type === 'crm-mon') crmEvents++;
        store.dispatch(e);
      },
      now: Date.now,
      signal: abort.signal,
    });
    await vi.waitFor(() => expect(crmEvents).toBe(1));
    c.refresh();
    await vi.waitFor(() => expect(crmCalls()).toBe(2));
    // A third poll starts only after the second one dispatched all it had to: then count.
    await vi.waitFor(() => {
      c.refresh();
      expect(crmCalls()).toBe(3);
    });
    expect(crmEvents).toBe(1);
    // A refresh reads everything, LVM included, whatever the round.
    expect(runner.history.filter((a) => a.join(' ') === MONITOR_ARGV.lvm.join(' '))).toHaveLength(crmCalls());
    abort.abort();
    await c.done;
  });

  it('reads LVM and NFS every SLOW_EVERY polls only (LVM scans the devices), everything else each poll', async () => {
    const nodes = demo('running').slice(0, 1);
    const runner = nodes[0]!.runner as unknown as { history: string[][] };
    const calls = (argv: readonly string[]) => runner.history.filter((a) => a.join(' ') === argv.join(' ')).length;
    const abort = new AbortController();
    const c = startCollectors(nodes, { intervalMs: 20, dispatch: () => {}, now: Date.now, signal: abort.signal });
    await vi.waitFor(() => expect(calls(MONITOR_ARGV.crmMon)).toBeGreaterThanOrEqual(11), { timeout: 15_000 });
    abort.abort();
    await c.done;
    const polls = calls(MONITOR_ARGV.crmMon);
    expect(calls(MONITOR_ARGV.procDrbd)).toBe(polls);
    expect(calls(MONITOR_ARGV.lvm)).toBe(Math.ceil(polls / SLOW_EVERY));
    // The monitor no longer runs vgs or lvs: one LVM command (lvm-fullreport.test.ts).
    expect(runner.history.some((a) => a[0] === 'vgs' || a[0] === 'lvs')).toBe(false);
    expect(calls(MONITOR_ARGV.exportfs)).toBe(Math.ceil(polls / SLOW_EVERY));
  });

  it('a node that answers nothing is unreachable, with the error', async () => {
    const nodes = demo('failed-over');
    const store = createStore(initialState(nodes.map((n) => ({ name: n.name, target: n.runner.label })), 1));
    await snapshotOnce(nodes, store.dispatch, () => 5000);
    expect(store.getState().nodes['node1']!.reach).toMatchObject({ status: 'down', since: 5000, error: expect.stringContaining('no capture') });
    expect(store.getState().nodes['node2']!.reach.status).toBe('up');
  });

  it('a /proc/drbd read that timed out is reported as a timeout, not as output it cannot read', async () => {
    const [inner] = demo('running');
    const slow: MonitoredNode = {
      ...inner!,
      runner: {
        label: 'node1',
        run: async (argv, o) => {
          const r = await inner!.runner.run(argv, o);
          // What the SSH runner returns when the timeout fires: no output, timedOut set.
          return argv.join(' ') === 'cat /proc/drbd' ? { ...r, exitCode: null, stdout: '', stderr: '', timedOut: true } : r;
        },
        stream: (argv, o) => inner!.runner.stream(argv, o),
        close: async () => {},
      },
    };
    const store = createStore(initialState([{ name: 'node1', target: 'replay' }], Date.now()));
    await snapshotOnce([slow], store.dispatch, Date.now);
    const errors = store.getState().nodes['node1']!.errors.map((e) => e.text);
    expect(errors.some((t) => /\/proc\/drbd: timed out/.test(t))).toBe(true);
    expect(errors.some((t) => /not \/proc\/drbd output/.test(t))).toBe(false);
  });

  it('a one-shot read gives every command the timeout it is asked for; the live loop keeps the short one', async () => {
    const [inner] = demo('running');
    const seen: (number | undefined)[] = [];
    const spy: MonitoredNode = {
      ...inner!,
      runner: {
        label: 'node1',
        run: async (argv, o) => {
          seen.push(o?.timeoutMs);
          return inner!.runner.run(argv, o);
        },
        stream: (argv, o) => inner!.runner.stream(argv, o),
        close: async () => {},
      },
    };
    const store = createStore(initialState([{ name: 'node1', target: 'replay' }], Date.now()));
    await snapshotOnce([spy], store.dispatch, Date.now, ONE_SHOT_TIMEOUT_MS);
    expect(seen.length).toBeGreaterThan(5);
    expect(new Set(seen)).toEqual(new Set([ONE_SHOT_TIMEOUT_MS]));
    seen.length = 0;
    await snapshotOnce([spy], store.dispatch, Date.now);
    expect(new Set(seen)).toEqual(new Set([TIMEOUT_MS]));
    expect(ONE_SHOT_TIMEOUT_MS).toBeGreaterThan(TIMEOUT_MS);
  });
});

describe('parseCorosyncNodelist', () => {
  it('reads the lab corosync.conf nodelist', () => {
    expect(parseCorosyncNodelist(fixture('corosync.conf.lab'))).toEqual([
      { name: 'node1', ring0Addr: '192.168.100.11', nodeId: 1 },
      { name: 'node2', ring0Addr: '192.168.100.12', nodeId: 2 },
    ]);
  });

  it('reads the Debian default corosync.conf (comments inside the nodelist)', () => {
    expect(parseCorosyncNodelist(fixture('corosync.conf.debian-default'))).toEqual([{ name: 'node1', ring0Addr: '127.0.0.1', nodeId: 1 }]);
  });
});

describe('pingd instead of ping (issue 29: ping -c 3 alone waits 2 s)', () => {
  const crm = (f: string) => {
    const p = parseCrmMon(fixture(f));
    if (!p.ok) throw new Error(p.message);
    return p;
  };
  it('the ping clone runs here and pingd is at its expected value: no ping needed', () => {
    expect(pingdCovers(crm('crm_mon_1_xml.nfs-running-with-ping.node1.xml'), 'node1')).toBe(true);
    expect(pingdCovers(crm('crm_mon_1_xml.nfs-running-with-ping.node1.xml'), 'node2')).toBe(true);
  });
  it('pingd below expected (2 of 3 targets), or no ping clone at all: ping, to name the target', () => {
    expect(pingdCovers(crm('crm_mon_1A_xml.ping-degraded-2-of-3.node1.xml'), 'node1')).toBe(false);
    expect(pingdCovers(crm('crm_mon_1_xml.e2e-run-nfs-running.node1.xml'), 'node1')).toBe(false);
    expect(pingdCovers(null, 'node1')).toBe(false);
  });
  it('the one-shot pings with one echo request, only where pingd does not cover', async () => {
    const nodes = demo('failover').slice(1);
    const store = createStore(initialState(nodes.map((n) => ({ name: n.name, target: n.runner.label })), Date.now()));
    const runner = nodes[0]!.runner as unknown as { history: string[][] };
    const pings = () => runner.history.filter((a) => a[0] === 'ping').map((a) => a.join(' '));
    // The first crm_mon of the takeover still has pingd 2000 of 2000 on node2: no ping at all.
    await snapshotOnce(nodes, store.dispatch, Date.now);
    expect(pings()).toEqual([]);
    expect(store.getState().nodes['node2']!.readings.connectivity.failedAt).toBeNull();
    // Ten polls later crm_mon says 1000 of 2000 (node1 is dead): node2 pings its target once to name it.
    for (let i = 0; i < 10; i++) await snapshotOnce(nodes, store.dispatch, Date.now);
    expect(new Set(pings())).toEqual(new Set(['ping -c 1 -W 1 192.168.100.11']));
    expect(store.getState().nodes['node2']!.ping['192.168.100.11']).toMatchObject({ reachable: false });
  });
});

describe('what one snapshot costs each node (issue 29: --once at most the admin four commands over SSH)', () => {
  /** The replay node behind a runner with runMany, as SSH has: every exchange (one SSH session) is logged. */
  function counted(scenario: string) {
    const nodes = demo(scenario);
    const exchanges: Record<string, string[][]> = {};
    const single: Record<string, number> = {};
    const wrapped = nodes.map((n): MonitoredNode => {
      const inner = n.runner;
      exchanges[n.name] = [];
      single[n.name] = 0;
      return {
        ...n,
        runner: {
          label: inner.label,
          run: (argv, o) => {
            single[n.name]!++;
            return inner.run(argv, o);
          },
          runMany: (argvs, o) => {
            exchanges[n.name]!.push(argvs.map((a) => a.join(' ')));
            return Promise.all(argvs.map((a) => inner.run(a, o)));
          },
          stream: (argv, o) => inner.stream(argv, o),
          close: async () => {},
        },
      };
    });
    return { nodes: wrapped, exchanges, single };
  }

  it('one exchange per node holds every reading and the configuration files, each command once', async () => {
    // Start of the failover capture: node2's crm_mon has pingd 2000 of 2000, so nothing needs a ping.
    const { nodes, exchanges, single } = counted('failover');
    const store = createStore(initialState(nodes.map((n) => ({ name: n.name, target: n.runner.label })), Date.now()));
    await snapshotOnce(nodes.slice(1), store.dispatch, Date.now, ONE_SHOT_TIMEOUT_MS);
    const node2 = exchanges['node2']!;
    expect(node2).toHaveLength(1);
    expect(single['node2']).toBe(0);
    const batch = node2[0]!;
    expect(new Set(batch).size).toBe(batch.length);
    const want = [MONITOR_ARGV.crmMon, MONITOR_ARGV.cib, MONITOR_ARGV.procDrbd, MONITOR_ARGV.mdstat, MONITOR_ARGV.lvm,
      MONITOR_ARGV.nfsActive, MONITOR_ARGV.exportfs, MONITOR_ARGV.date, MONITOR_ARGV.events2Now, ...Object.values(CONFIG_ARGV)].map((a) => a.join(' '));
    expect([...batch].sort()).toEqual([...want].sort());
    // Nothing that waits: no ping, no sleep.
    expect(batch.some((c) => /^(ping|sleep) /.test(c))).toBe(false);
    // And every reading of that one exchange reached the state (the demo lab holds no configuration files).
    const n2 = store.getState().nodes['node2']!;
    expect(n2.pacemaker.status).not.toBeNull();
    expect(n2.cib).not.toBeNull();
    for (const c of ['pacemaker', 'cib', 'drbd', 'raid', 'lvm', 'nfs', 'connectivity'] as const) expect(n2.readings[c].okAt, c).not.toBeNull();
  });

  it('with --answers (what should exist is known) the one exchange reads no configuration file', async () => {
    const { nodes, exchanges } = counted('failover');
    const store = createStore(initialState(nodes.map((n) => ({ name: n.name, target: n.runner.label })), Date.now()));
    await snapshotOnce(nodes.slice(1), store.dispatch, Date.now, ONE_SHOT_TIMEOUT_MS, false);
    expect(exchanges['node2']).toHaveLength(1);
    const batch = exchanges['node2']![0]!;
    for (const a of Object.values(CONFIG_ARGV)) expect(batch).not.toContain(a.join(' '));
    expect(batch).toContain(MONITOR_ARGV.lvm.join(' '));
    expect(batch).toHaveLength(9);
    expect(store.getState().nodes['node2']!.config).toBeNull();
  });

  it('a ping is a second exchange, only where pingd does not say every target answers', async () => {
    // The demo cluster has no ping clone: each node pings its peer, after crm_mon said so.
    const { nodes, exchanges, single } = counted('running');
    const store = createStore(initialState(nodes.map((n) => ({ name: n.name, target: n.runner.label })), Date.now()));
    await snapshotOnce(nodes, store.dispatch, Date.now, ONE_SHOT_TIMEOUT_MS);
    for (const name of ['node1', 'node2']) {
      expect(exchanges[name]!.map((b) => b.length)).toEqual([12, 1]);
      expect(exchanges[name]![1]![0]).toMatch(/^ping -c 1 -W 1 /);
      expect(single[name]).toBe(0);
    }
  });
});

describe('what one live round costs each node: one session, as --once', () => {
  /** Replay nodes behind a runner with runMany (as SSH has); every exchange (one SSH session) logged. */
  function counted(scenario: string | MonitoredNode[], only?: string) {
    const log: { node: string; argvs: string[] }[] = [];
    let single = 0;
    const nodes = (typeof scenario === 'string' ? demo(scenario) : scenario).filter((n) => only === undefined || n.name === only).map((n): MonitoredNode => {
      const inner = n.runner;
      return {
        ...n,
        runner: {
          label: inner.label,
          run: (argv, o) => {
            single++;
            return inner.run(argv, o);
          },
          runMany: (argvs, o) => {
            log.push({ node: n.name, argvs: argvs.map((a) => a.join(' ')) });
            return Promise.all(argvs.map((a) => inner.run(a, o)));
          },
          stream: (argv, o) => inner.stream(argv, o),
          close: async () => {},
        },
      };
    });
    return { nodes, log, single: () => single };
  }
  const j = (a: readonly string[]) => a.join(' ');

  it('each round is one exchange; LVM, NFS, CIB and clock ride in every SLOW_EVERY-th; the files in the first', async () => {
    // The lab's running state with its configuration files (test/fixtures/monitor-states, config/SOURCE.md).
    const dir = fileURLToPath(new URL('../fixtures/monitor-states/missing-array/node1', import.meta.url));
    const { nodes, log, single } = counted([{ name: 'node1', runner: new ReplayRunner({ dir, label: 'node1' }), pingTargets: ['192.168.100.12'] }]);
    const abort = new AbortController();
    const c = startCollectors(nodes, { intervalMs: 20, dispatch: () => {}, now: Date.now, signal: abort.signal });
    await vi.waitFor(() => expect(log.filter((x) => x.argvs.includes(j(MONITOR_ARGV.crmMon))).length).toBeGreaterThanOrEqual(SLOW_EVERY + 1), { timeout: 15_000 });
    abort.abort();
    await c.done;
    expect(single()).toBe(0);
    const rounds = log.filter((x) => x.argvs.includes(j(MONITOR_ARGV.crmMon)));
    // Every exchange is a round's own batch, or the ping exchange that follows one where crm_mon's pingd
    // does not cover the node (this cluster has no ping clone: each round pings the peer).
    expect(log.filter((x) => !rounds.includes(x)).every((x) => x.argvs.every((a) => a.startsWith('ping -c 1 -W 1 ')))).toBe(true);
    for (const r of rounds) expect(new Set(r.argvs).size).toBe(r.argvs.length);
    const has = (r: { argvs: string[] }, a: readonly string[]) => r.argvs.includes(j(a));
    rounds.forEach((r, i) => {
      const slow = i % SLOW_EVERY === 0;
      for (const a of [MONITOR_ARGV.crmMon, MONITOR_ARGV.procDrbd, MONITOR_ARGV.mdstat]) expect(has(r, a), `round ${i}: ${j(a)}`).toBe(true);
      for (const a of [MONITOR_ARGV.cib, MONITOR_ARGV.lvm, MONITOR_ARGV.nfsActive, MONITOR_ARGV.exportfs, MONITOR_ARGV.date]) expect(has(r, a), `round ${i}: ${j(a)}`).toBe(slow);
      // The configuration files: at start, then not again within CONFIG_EVERY_MS while the epoch stays.
      for (const a of Object.values(CONFIG_ARGV)) expect(has(r, a), `round ${i}: ${j(a)}`).toBe(i === 0);
      // The stream carries DRBD's states: no events2 --now in the live rounds.
      expect(has(r, MONITOR_ARGV.events2Now)).toBe(false);
    });
  });

  it('with --answers the live rounds never read the configuration files', async () => {
    const { nodes, log } = counted('failover', 'node2');
    const abort = new AbortController();
    const c = startCollectors(nodes, { intervalMs: 20, dispatch: () => {}, now: Date.now, signal: abort.signal, readConfig: false });
    await vi.waitFor(() => expect(log.length).toBeGreaterThanOrEqual(3), { timeout: 15_000 });
    abort.abort();
    await c.done;
    for (const x of log) for (const a of Object.values(CONFIG_ARGV)) expect(x.argvs).not.toContain(a.join(' '));
  });

  it('r (refresh) reads everything, the configuration files too, in that round\'s one exchange', async () => {
    const { nodes, log } = counted('running', 'node1');
    const abort = new AbortController();
    const c = startCollectors(nodes, { intervalMs: 60_000, dispatch: () => {}, now: Date.now, signal: abort.signal });
    await vi.waitFor(() => expect(log.length).toBeGreaterThanOrEqual(1), { timeout: 15_000 });
    // The first round also pings (the demo cluster has no ping clone): wait for it before refreshing.
    await vi.waitFor(() => expect(log.some((x) => x.argvs[0]!.startsWith('ping '))).toBe(true), { timeout: 15_000 });
    const before = log.length;
    c.refresh();
    await vi.waitFor(() => expect(log.filter((x) => x.argvs.includes(j(MONITOR_ARGV.crmMon)))).toHaveLength(2), { timeout: 15_000 });
    abort.abort();
    await c.done;
    const second = log.slice(before).find((x) => x.argvs.includes(j(MONITOR_ARGV.crmMon)))!;
    for (const a of [MONITOR_ARGV.cib, MONITOR_ARGV.lvm, MONITOR_ARGV.exportfs, ...Object.values(CONFIG_ARGV)]) expect(second.argvs, j(a)).toContain(j(a));
  });
});

describe('one batch, and still the readings that answered (issue 29)', () => {
  it('crm_mon cut short by the budget costs the Pacemaker reading only, not the CIB, DRBD, RAID, LVM or NFS', async () => {
    const [inner] = demo('running');
    // What SshRunner.runMany returns when the budget ends with crm_mon still running: crm_mon killed and
    // timedOut, everything that had ended with its own result.
    const slowCrm: MonitoredNode = {
      ...inner!,
      runner: {
        label: 'node1',
        run: (argv, o) => inner!.runner.run(argv, o),
        runMany: (argvs, o) => Promise.all(argvs.map(async (a) => {
          const r = await inner!.runner.run(a, o);
          return a === MONITOR_ARGV.crmMon ? { ...r, exitCode: null, stdout: '', stderr: '', timedOut: true } : r;
        })),
        stream: (argv, o) => inner!.runner.stream(argv, o),
        close: async () => {},
      },
    };
    const store = createStore(initialState([{ name: 'node1', target: 'replay' }], Date.now()));
    await snapshotOnce([slowCrm], store.dispatch, Date.now, ONE_SHOT_TIMEOUT_MS);
    const n = store.getState().nodes['node1']!;
    expect(n.reach.status).toBe('up');
    expect(n.readings.pacemaker.okAt).toBeNull();
    expect(n.errors.some((e) => /timed out/.test(e.text))).toBe(true);
    for (const c of ['cib', 'drbd', 'raid', 'lvm', 'nfs'] as const) expect(n.readings[c].okAt, c).not.toBeNull();
  });
});
