// Render tests of the live monitor on states built from real lab captures. Wait for content, never sleep.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { Box } from 'ink';
import { MonitorApp } from '../../../src/screens/monitor/monitor-app.js';
import { createStore } from '../../../src/monitor/store.js';
import { initialState } from '../../../src/monitor/model.js';
import { reduceAll, type MonitorEvent } from '../../../src/monitor/reducer.js';
import { makeTheme, noColorFromEnv } from '../../../src/screens/monitor/monitor-theme.js';
import { fixture, stream, streamEvents } from '../../helpers/monitor-fixtures.js';

const T = Date.parse('2026-11-25T19:32:16Z');
const nodes = [{ name: 'node1', target: 'root@192.168.100.11' }, { name: 'node2', target: 'root@192.168.100.12' }];

function syncingState() {
  const e1 = streamEvents(stream('initial-sync', 1), 'node1');
  const i = e1.findIndex((e) => e.type === 'events2-line' && e.line.includes('replication:SyncSource'));
  const events: MonitorEvent[] = [
    ...e1.slice(0, i + 1),
    ...streamEvents(stream('initial-sync', 2), 'node2').slice(0, 17),
    { type: 'proc-drbd', node: 'node1', at: T, text: fixture('proc_drbd.syncsource.node1.txt') },
    { type: 'crm-mon', node: 'node1', at: T, xml: fixture('crm_mon_1_xml.bare-pacemaker-stopped.node1.xml') },
    { type: 'mdstat', node: 'node1', at: T, text: fixture('proc_mdstat.clean.node1.txt') },
    { type: 'mdstat', node: 'node2', at: T, text: fixture('proc_mdstat.recovering.node1.txt') },
    { type: 'ping', node: 'node1', at: T, target: '192.168.100.12', output: fixture('ping_c3_W1_peer.bare.node1.txt') },
    { type: 'reachability', node: 'node1', at: T, reachable: true },
    { type: 'reachability', node: 'node2', at: T, reachable: true },
  ];
  return reduceAll(initialState(nodes, T), events);
}

function setup(state = syncingState(), noColor = true) {
  const store = createStore(state);
  const onQuit = vi.fn();
  const onRefresh = vi.fn();
  const r = render(
    <Box width={80}>
      <MonitorApp store={store} onQuit={onQuit} onRefresh={onRefresh} noColor={noColor} />
    </Box>,
  );
  const frame = () => r.lastFrame() ?? '';
  return { ...r, store, onQuit, onRefresh, frame };
}

describe('MonitorApp', () => {
  it('says UNKNOWN on the node for a reading that failed, with its error and the age of the last good one', async () => {
    const s = reduceAll(syncingState(), [
      { type: 'probe-error', node: 'node2', at: T + 30_000, probe: '/proc/mdstat', error: 'timed out after 10.0 s' },
      { type: 'tick', at: T + 30_000 },
    ]);
    const { frame, unmount } = setup(s);
    await vi.waitFor(() => expect(frame()).toContain('raid: UNKNOWN (failed: /proc/mdstat: timed out after 10.0 s; last good 30 s'));
    unmount();
  });

  it('shows health first, worst problems, per-node panels and the sync bar in 80 columns, 24 rows', async () => {
    const { frame } = setup();
    await vi.waitFor(() => expect(frame()).toContain('hanfs monitor'));
    const lines = frame().split('\n');
    expect(lines[0]).toMatch(/^hanfs monitor\s+CRITICAL\s+\d+ problems/);
    expect(lines[1]).toMatch(/^CRITICAL node1 pacemaker: Pacemaker not answering/);
    expect(frame()).toMatch(/SyncSource \[#{4}\.{16}\] 19\.0%/);
    expect(frame()).toMatch(/19\.0% [\d.]+ MiB\/s ETA 0:00:0\d/);
    expect(frame()).toContain('RAID md0: active raid1 [U_] DEGRADED, recovery');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThanOrEqual(24);
  });

  it('shows a streamed event as soon as the store gets it', async () => {
    const { frame, store } = setup();
    await vi.waitFor(() => expect(frame()).toContain('19.0%'));
    const end = streamEvents(stream('initial-sync', 1), 'node1').slice(-1)[0]!;
    store.dispatch(end);
    await vi.waitFor(() => expect(frame()).toContain('peer Secondary UpToDate, Connected/Established'));
    expect(frame()).not.toContain('19.0%');
  });

  it('arrows select a resource and show its last events and errors; esc closes', async () => {
    const { frame, stdin } = setup();
    await vi.waitFor(() => expect(frame()).toContain('hanfs monitor'));
    stdin.write('\u001B[B'); // down: node1
    await vi.waitFor(() => expect(frame()).toContain('> node1'));
    stdin.write('\u001B[B'); // down: node1's r0
    await vi.waitFor(() => expect(frame()).toContain('node1 DRBD r0  (esc closes)'));
    expect(frame()).toMatch(/19:32:14 change replication SyncSource/);
    expect(frame()).toContain('last errors:');
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    stdin.write('\u001B');
    await vi.waitFor(() => expect(frame()).not.toContain('(esc closes)'));
  });

  it('q quits, r refreshes, ? shows help and any key closes it', async () => {
    const { frame, stdin, onQuit, onRefresh } = setup();
    await vi.waitFor(() => expect(frame()).toContain('hanfs monitor'));
    stdin.write('?');
    await vi.waitFor(() => expect(frame()).toContain('hanfs monitor keys'));
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    stdin.write('x');
    await vi.waitFor(() => expect(frame()).not.toContain('hanfs monitor keys'));
    stdin.write('r');
    await vi.waitFor(() => expect(onRefresh).toHaveBeenCalledTimes(1));
    stdin.write('q');
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledTimes(1));
  });

  it('an unreachable node is a rendered state with since and retry, not a crash', async () => {
    const s = reduceAll(syncingState(), [{ type: 'reachability', node: 'node2', at: T + 1000, reachable: false, error: 'connect ECONNREFUSED 192.168.100.12:22', retryAt: T + 5000 }]);
    const { frame } = setup(s);
    await vi.waitFor(() => expect(frame()).toContain('node2 unreachable since 19:32:17, retrying in 4 s'));
  });

  it('honours NO_COLOR: no escape codes, theme without colours', async () => {
    const { frame } = setup(syncingState(), true);
    await vi.waitFor(() => expect(frame()).toContain('hanfs monitor'));
    expect(frame()).not.toMatch(/\u001B\[/);
    expect(makeTheme(true).color('CRITICAL')).toBeUndefined();
    expect(makeTheme(false).color('CRITICAL')).toBe('red');
    expect(noColorFromEnv({ NO_COLOR: '1' })).toBe(true);
    expect(noColorFromEnv({})).toBe(false);
  });
});

/** Real outputs of the lab (test/fixtures/lab/<state>/SOURCE.md): `running` healthy, `failed-over` after lab1 died. */
const lab = (state: string, f: string) => readFileSync(new URL(`../../fixtures/lab/${state}/${f}`, import.meta.url), 'utf8');
const L = Date.parse('2026-11-26T00:29:04Z');
/** A macrotask: React has then committed whatever a dispatch scheduled (its sync updates flush in microtasks). */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('MonitorApp on a real cluster polled again (idle cost)', () => {
  it('draws no frame for an unchanged cluster\'s next poll, and one for a real change', async () => {
    const crm = (node: string, at: number, state: string, capture = node): MonitorEvent => ({ type: 'crm-mon', node, at, xml: lab(state, `crm_mon_1_xml.${capture}.xml`) });
    const md = (node: string, at: number): MonitorEvent => ({ type: 'mdstat', node, at, text: lab('running', `proc_mdstat.${node}.txt`) });
    const labNodes = [{ name: 'lab1', target: 'root@lab1' }, { name: 'lab2', target: 'root@lab2' }];
    const { frame, frames, store, unmount } = setup(reduceAll(initialState(labNodes, L), [crm('lab1', L, 'running'), crm('lab2', L, 'running'), md('lab1', L), md('lab2', L)]));
    await vi.waitFor(() => expect(frame()).toContain('hanfs monitor'));
    await settle();
    const drawn = frames.length;
    // The next polls: crm_mon's answers differ from the first only in crm_mon's own clock (the two nodes'
    // captures of this state were taken 35 s apart), /proc/mdstat is the same.
    for (const t of [L + 2000, L + 4000]) {
      store.dispatch(crm('lab1', t, 'running', t === L + 2000 ? 'lab2' : 'lab1'));
      store.dispatch(crm('lab2', t, 'running', t === L + 2000 ? 'lab1' : 'lab2'));
      store.dispatch(md('lab1', t));
      store.dispatch(md('lab2', t));
      await settle();
    }
    expect(frames.length).toBe(drawn);
    store.dispatch(crm('lab2', L + 6000, 'failed-over'));
    await vi.waitFor(() => expect(frame()).toContain('node OFFLINE in the cluster'));
    expect(frames.length).toBeGreaterThan(drawn);
    unmount();
  });
});
