// The idle live view redraws only when something shown changes (issue 29: under 1 % of a core idle),
// and still when a shown age or state moves with the clock alone (issue 24: never a frozen "fresh").
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
