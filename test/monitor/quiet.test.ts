// The idle live view redraws only when something shown changes (issue 29: under 1 % of a core idle),
// and still when a shown age or state moves with the clock alone (issue 24: never a frozen "fresh").
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { tryCreateDemoRunners } from '../../src/exec/demo-lab.js';
import { startCollectors } from '../../src/monitor/collect.js';
import { COMPONENTS, initialState, type Component, type MonitorState } from '../../src/monitor/model.js';
import { quietEvent, shownChangeDue } from '../../src/monitor/quiet.js';
import { reduce, reduceAll, type MonitorEvent } from '../../src/monitor/reducer.js';
import { createStore } from '../../src/monitor/store.js';
import { fixture } from '../helpers/monitor-fixtures.js';

const T = Date.parse('2026-11-25T19:40:00Z');
const nodes = [{ name: 'node1', target: 'replay' }, { name: 'node2', target: 'replay' }];
const up: MonitorEvent[] = nodes.map((n) => ({ type: 'reachability', node: n.name, at: T, reachable: true }));
const fresh = (at: number, node = 'node1', components: Component[] = [...COMPONENTS]): MonitorEvent => ({ type: 'fresh', node, at, components });
const notRaid = COMPONENTS.filter((c) => c !== 'raid');
const healthy = (): MonitorState => reduceAll(initialState(nodes, T, 2000), [
  ...up,
  { type: 'mdstat', node: 'node1', at: T, text: fixture('proc_mdstat.clean.node1.txt') },
  fresh(T), fresh(T, 'node2'),
]);

describe('quietEvent: what the store keeps without waking the screen', () => {
  it('re-dating readings that are still fresh is quiet; re-dating a stale one is not', () => {
    const s = healthy();
    expect(quietEvent(s, fresh(T + 4000), reduce(s, fresh(T + 4000)))).toBe(true);
    // 3 intervals of 2 s passed: the readings shown as stale turn fresh again, which the screen must show.
    expect(quietEvent(s, fresh(T + 7000), reduce(s, fresh(T + 7000)))).toBe(false);
  });

  it('a clock reading is quiet while the skew verdict stays; not when it crosses 2 s', () => {
    const s = reduceAll(healthy(), [
      { type: 'clock', node: 'node1', at: T, offsetMs: 10 },
      { type: 'clock', node: 'node2', at: T, offsetMs: 20 },
    ]);
    const e1: MonitorEvent = { type: 'clock', node: 'node2', at: T + 1000, offsetMs: 31 };
    expect(quietEvent(s, e1, reduce(s, e1))).toBe(true);
    const e2: MonitorEvent = { type: 'clock', node: 'node2', at: T + 1000, offsetMs: 2500 };
    expect(quietEvent(s, e2, reduce(s, e2))).toBe(false);
  });

  it('the store keeps a quiet event (the readings re-dated) at the time last shown, and tells no one', () => {
    const store = createStore(healthy());
    let woken = 0;
    store.subscribe(() => woken++);
    store.dispatch(fresh(T + 4000));
    expect(woken).toBe(0);
    expect(store.getState().nodes['node1']!.readings.raid.okAt).toBe(T + 4000);
    expect(store.getState().now).toBe(T);
    store.dispatch({ type: 'tick', at: T + 5000 });
    expect(woken).toBe(1);
  });
});

/** Real outputs of the lab after an apply (test/fixtures/lab/running/SOURCE.md): healthy, lab1 active. */
const lab = (f: string, state = 'running') => readFileSync(new URL(`../fixtures/lab/${state}/${f}`, import.meta.url), 'utf8');
const L = Date.parse('2026-11-26T00:29:04Z');
const labNodes = [{ name: 'lab1', target: 'root@lab1' }, { name: 'lab2', target: 'root@lab2' }];

/**
 * One poll of both nodes as the live loop dispatches it, every output as the lab printed it, WITHOUT the
 * collector's skipping of repeated outputs (so the store alone must stay asleep). crm_mon's answer is one
 * of the two captures of this state: they differ only in crm_mon's own clock, as consecutive polls do.
 */
function labPoll(at: number, crm: 'lab1' | 'lab2'): MonitorEvent[] {
  return labNodes.flatMap(({ name }): MonitorEvent[] => [
    { type: 'reachability', node: name, at, reachable: true },
    { type: 'crm-mon', node: name, at, xml: lab(`crm_mon_1_xml.${crm}.xml`) },
    { type: 'proc-drbd', node: name, at, text: lab(`proc_drbd.${name}.txt`) },
    { type: 'mdstat', node: name, at, text: lab(`proc_mdstat.${name}.txt`) },
    { type: 'nfs', node: name, at, systemctl: lab(`systemctl_is-active_nfs-server_corosync_pacemaker.${name}.txt`).split('\n')[0]!, exportfs: lab(`exportfs_v.${name}.txt`) },
    { type: 'clock', node: name, at, offsetMs: (at / 1000) % 7 },
    { type: 'fresh', node: name, at, components: ['pacemaker', 'drbd', 'raid', 'nfs'] },
  ]);
}
const labState = () => reduceAll(initialState(labNodes, L, 2000), [
  ...labNodes.flatMap(({ name }) => lab(`drbdsetup_events2_now_statistics_all.${name}.txt`).split('\n').filter((l) => l.trim() !== '')
    .map((line): MonitorEvent => ({ type: 'events2-line', node: name, at: L, line }))),
  ...labPoll(L, 'lab1'),
]);

describe('a real cluster polled again: the screen wakes only for what it shows', () => {
  it('consecutive real polls of an unchanged healthy cluster wake no one, and the header clock stays', () => {
    const store = createStore(labState());
    const first = store.getState();
    let woken = 0;
    store.subscribe(() => woken++);
    for (const e of labPoll(L + 2000, 'lab2')) store.dispatch(e);
    for (const e of labPoll(L + 4000, 'lab1')) store.dispatch(e);
    expect(woken).toBe(0);
    // The health line shows the state's time: the time last drawn, not the last poll's.
    expect(store.getState().now).toBe(L);
    // Kept, not dropped: the readings are re-dated and the clock offsets are the newest.
    expect(store.getState().nodes['lab1']!.readings.pacemaker.okAt).toBe(L + 4000);
    expect(store.getState().nodes['lab1']!.pacemaker).toBe(first.nodes['lab1']!.pacemaker);
    // The once-a-second tick rule still holds: nothing is due until a reading could turn stale.
    expect(shownChangeDue(store.getState(), L + 5000)).toBe(false);
  });

  it('a real change still wakes the screen: crm_mon says lab1 went offline and lab2 took over', () => {
    const store = createStore(labState());
    let woken = 0;
    store.subscribe(() => woken++);
    const crm = (at: number, state: string): MonitorEvent => ({ type: 'crm-mon', node: 'lab2', at, xml: lab('crm_mon_1_xml.lab2.xml', state) });
    store.dispatch(crm(L + 2000, 'running'));
    expect(woken).toBe(0);
    store.dispatch(crm(L + 4000, 'failed-over'));
    expect(woken).toBe(1);
    expect(store.getState().now).toBe(L + 4000);
    expect(store.getState().nodes['lab2']!.pacemaker.status!.nodes.find((n) => n.name === 'lab1')!.online).toBe(false);
    // The same news again is not news.
    store.dispatch(crm(L + 6000, 'failed-over'));
    expect(woken).toBe(1);
  });

  it('a DRBD role change wakes the screen (lab2 Primary after the failover); a reading failing too', () => {
    const store = createStore(labState());
    let woken = 0;
    store.subscribe(() => woken++);
    const line = lab('drbdsetup_events2_now_statistics_all.lab2.txt', 'failed-over').split('\n')[0]!;
    store.dispatch({ type: 'events2-line', node: 'lab2', at: L + 1000, line });
    expect(woken).toBe(1);
    expect(store.getState().nodes['lab2']!.drbd.resources['nfsdata']!.role).toBe('Primary');
    store.dispatch({ type: 'probe-error', node: 'lab2', at: L + 2000, probe: '/proc/mdstat', error: 'timed out after 10.0 s' });
    expect(woken).toBe(2);
  });
});

describe('shownChangeDue: a redraw exactly when a shown text moves with the clock', () => {
  it('a healthy view: nothing to redraw until a reading would turn stale', () => {
    const s = healthy();
    expect(shownChangeDue(s, T + 1000)).toBe(false);
    expect(shownChangeDue(s, T + 6000)).toBe(false);
    expect(shownChangeDue(s, T + 6001)).toBe(true);
  });

  it('a failed reading shows its age: every second while in seconds, then at each new minute', () => {
    const s = reduceAll(healthy(), [{ type: 'probe-error', node: 'node1', at: T + 1000, probe: '/proc/mdstat', error: 'timed out after 10.0 s' }]);
    // node2's readings are re-dated (the collector does so); node1's other readings too.
    const at = (t: number) => reduceAll(s, [fresh(t, 'node1', notRaid), fresh(t, 'node2'), { type: 'tick', at: t }]);
    expect(shownChangeDue(at(T + 5000), T + 6000)).toBe(true);
    // Drawn at 150 s, the age reads "2 min" until 180 s; meanwhile the collectors re-date the other
    // readings (quietly, through the store, as the live view gets them).
    const store = createStore(at(T + 150_000));
    expect(shownChangeDue(store.getState(), T + 150_999)).toBe(false);
    for (let t = T + 154_000; t <= T + 178_000; t += 4000) {
      store.dispatch(fresh(t, 'node1', notRaid));
      store.dispatch(fresh(t, 'node2'));
    }
    expect(store.getState().now).toBe(T + 150_000);
    expect(shownChangeDue(store.getState(), T + 179_999)).toBe(false);
    expect(shownChangeDue(store.getState(), T + 180_000)).toBe(true);
  });

  it('an unreachable node counts down its retry every second', () => {
    const s = reduceAll(healthy(), [{ type: 'reachability', node: 'node2', at: T + 1000, reachable: false, error: 'connection refused', retryAt: T + 5000 }]);
    expect(shownChangeDue(s, T + 2000)).toBe(true);
  });
});

describe('the live loops on an idle replayed cluster', () => {
  it('wake the screen for nothing once the first reads are in', async () => {
    const r = tryCreateDemoRunners('running');
    if (!r.ok) throw new Error(r.error);
    const live = r.runners.map((runner) => ({ name: runner.label, runner, pingTargets: [runner.label === 'node1' ? '192.168.100.12' : '192.168.100.11'] }));
    const store = createStore(initialState(live.map((n) => ({ name: n.name, target: n.runner.label })), Date.now(), 100));
    const abort = new AbortController();
    const c = startCollectors(live, { intervalMs: 100, dispatch: store.dispatch, now: Date.now, signal: abort.signal, tickMs: 50, fastTick: () => shownChangeDue(store.getState(), Date.now()) });
    try {
      await vi.waitFor(() => expect(store.getState().nodes['node2']!.readings.lvm.okAt).not.toBeNull(), { timeout: 10_000, interval: 50 });
      await new Promise((res) => setTimeout(res, 500));
      let woken = 0;
      const unsubscribe = store.subscribe(() => woken++);
      const before = store.getState().nodes['node1']!.readings.raid.okAt!;
      // 15 intervals: every reading re-dated several times, the clock read three times, ticks every 50 ms.
      await new Promise((res) => setTimeout(res, 1500));
      unsubscribe();
      expect(store.getState().nodes['node1']!.readings.raid.okAt!).toBeGreaterThan(before);
      expect(woken).toBe(0);
    } finally {
      abort.abort();
      await c.done;
    }
  });
});
