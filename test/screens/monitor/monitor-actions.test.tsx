// The action keys of the live monitor, rendered: the monitor's state from real lab captures (the failed
// p_nfsserver monitor), the action service over replay nodes answering the same real captures (the
// cleanup's facts, its check and its read-back), the real run lock (flock, here). A person's keys only.
import { describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { Box } from 'ink';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MonitorApp } from '../../../src/screens/monitor/monitor-app.js';
import { createActionService } from '../../../src/screens/monitor/action-service.js';
import { selectedPcmkResource } from '../../../src/screens/monitor/action-keys.js';
import { createStore } from '../../../src/monitor/store.js';
import { initialState } from '../../../src/monitor/model.js';
import { reduceAll } from '../../../src/monitor/reducer.js';
import { FACT_ARGV } from '../../../src/plan/actions/cluster-facts.js';
import { CaptureNode } from '../../helpers/capture-node.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FAILED = `${ROOT}/test/fixtures/monitor/crm_mon_1_xml.failed-action-nfsserver.node1.xml`;
const RUNNING = `${ROOT}/demo-lab/running/node1/crm_mon_1_xml.nfs-running.node1.xml`;
const CIB = `${ROOT}/demo-lab/running/node1/cibadmin_Q.nfs-running.xml`;
const EVENTS = (n: string) => `${ROOT}/demo-lab/running/${n}/drbdsetup_events2_now_statistics.pcmk-managed.${n}.txt`;
const T = Date.parse('2026-11-25T19:32:16Z');

function monitorState() {
  const nodes = [{ name: 'node1', target: 'root@192.168.100.11' }, { name: 'node2', target: 'root@192.168.100.12' }];
  return reduceAll(initialState(nodes, T), [
    ...['node1', 'node2'].flatMap((n) => readFileSync(EVENTS(n), 'utf8').split('\n').filter((l) => l !== '').map((line) => ({ type: 'events2-line' as const, node: n, at: T, line }))),
    { type: 'crm-mon', node: 'node1', at: T, xml: readFileSync(FAILED, 'utf8') },
    { type: 'cib', node: 'node1', at: T, xml: readFileSync(CIB, 'utf8') },
    { type: 'reachability', node: 'node1', at: T, reachable: true },
    { type: 'reachability', node: 'node2', at: T, reachable: true },
  ]);
}

/** crm_mon answers in turn: the facts read, the step's check, then the read-back. */
const replayNode = (name: string, crm: string[]) =>
  new CaptureNode(`t${process.pid}${name}${Math.floor(Math.random() * 1e9)}`, { reads: [
    [FACT_ARGV.crmMon, crm],
    [FACT_ARGV.cib, [CIB]],
    [FACT_ARGV.events2Now, [EVENTS(name)]],
  ] });

function setup(crm1: string[], dryRunReason: string | null = null) {
  const a = replayNode('node1', crm1);
  const b = replayNode('node2', [FAILED]);
  const actions = createActionService([{ name: 'node1', runner: a }, { name: 'node2', runner: b }], { dryRunReason, journalPaths: () => [], sleep: async () => {} });
  const store = createStore(monitorState());
  const onQuit = vi.fn();
  const onRefresh = vi.fn();
  const r = render(
    <Box width={80}>
      <MonitorApp store={store} onQuit={onQuit} onRefresh={onRefresh} noColor actions={actions} />
    </Box>,
  );
  const frame = () => r.lastFrame() ?? '';
  /** The frame as one line of words: a wrapped line inside the overlay's border reads whole. */
  const flat = () => frame().replace(/[│\s]+/g, ' ');
  return { ...r, a, b, actions, onQuit, onRefresh, frame, flat };
}

describe('monitor action keys', () => {
  it('c: shows the failures and the plan, asks y, runs crm_resource --cleanup once, reads back, esc closes', async () => {
    const { frame, flat, stdin, a, b, onRefresh, onQuit, actions, unmount } = setup([FAILED, FAILED, RUNNING]);
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('c');
    await vi.waitFor(() => expect(frame()).toContain('[y/N]'));
    expect(frame()).toContain('action: cleanup');
    expect(frame()).toMatch(/cleanup: clean up \d+ failed action\(s\) and \d+ fail count\(s\) of every resource/);
    expect(frame()).toContain('failed: p_nfsserver monitor (every 30 s) on node2');
    expect(frame()).toContain('$ crm_resource --cleanup');
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    // Nothing ran before the y: only reads so far.
    expect(a.changes).toEqual([]);
    // q inside the overlay is not quit.
    stdin.write('q');
    stdin.write('y');
    // The real run lock's release takes up to a second (its holder's sleep loop).
    await vi.waitFor(() => expect(flat()).toContain('cleanup: done: crm_mon shows no failed action and no fail count of every resource'), { timeout: 15_000 });
    expect(frame()).toMatch(/\[node1\] done: Clean up the failures of every resource/);
    expect(a.changes).toEqual([['crm_resource', '--cleanup']]);
    expect(b.changes).toEqual([]);
    // The run lock was taken on both nodes.
    expect(a.all.some((x) => x[0] === 'flock')).toBe(true);
    expect(b.all.some((x) => x[0] === 'flock')).toBe(true);
    expect(onQuit).not.toHaveBeenCalled();
    expect(onRefresh).toHaveBeenCalledTimes(1);
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    stdin.write('\u001B');
    await vi.waitFor(() => expect(frame()).not.toContain('action: cleanup'));
    stdin.write('q');
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledTimes(1));
    unmount();
    await actions.settled();
  });

  it('n declines: nothing is run', async () => {
    const { frame, stdin, a } = setup([FAILED]);
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('c');
    await vi.waitFor(() => expect(frame()).toContain('[y/N]'));
    stdin.write('n');
    await vi.waitFor(() => expect(frame()).toContain('cleanup: not confirmed; nothing was run.'));
    expect(a.changes).toEqual([]);
    expect(a.all.some((x) => x[0] === 'flock')).toBe(false);
  });

  it('the selected DRBD resource is the Pacemaker resource cleaned up; with nothing to clean, it says so', async () => {
    const { frame, stdin, a } = setup([FAILED]);
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('\u001B[B');
    stdin.write('\u001B[B'); // node1's r0
    await vi.waitFor(() => expect(frame()).toContain('node1 DRBD r0  (esc closes)'));
    stdin.write('c');
    await vi.waitFor(() => expect(frame()).toContain('cleanup: done: nothing was to clean up'), { timeout: 15_000 });
    expect(frame()).toContain('cleanup: nothing to clean up: p_drbd_r0 has no failed actions');
    expect(a.changes).toEqual([]);
  });

  it('on the demo every action is a dry run, and says so', async () => {
    const { frame, stdin, a } = setup([FAILED], 'the demo lab is a recording, nothing can change on it');
    await vi.waitFor(() => expect(frame()).toMatch(/actions: c .* B D R \(dry run\)/));
    stdin.write('c');
    await vi.waitFor(() => expect(frame()).toContain('[y/N]'));
    expect(frame()).toContain('dry run: the demo lab is a recording, nothing can change on it');
    stdin.write('y');
    await vi.waitFor(() => expect(frame()).toMatch(/cleanup: dry run: 1 steps would run, 0 are already done; nothing was changed/));
    expect(a.changes).toEqual([]);
    expect(a.all.some((x) => x[0] === 'flock')).toBe(false);
  });

  it('? lists the action keys; without an action service there are none', async () => {
    const { frame, stdin } = setup([FAILED]);
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('?');
    await vi.waitFor(() => expect(frame()).toContain('hanfs monitor keys'));
    expect(frame()).toMatch(/ {2}c {9}clean up failed actions and fail counts/);
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    const plain = render(<Box width={80}><MonitorApp store={createStore(monitorState())} onQuit={() => {}} onRefresh={() => {}} noColor /></Box>);
    await vi.waitFor(() => expect(plain.lastFrame()).toContain('hanfs monitor'));
    expect(plain.lastFrame()).not.toContain('actions:');
    plain.stdin.write('c');
    await new Promise((r) => setImmediate(r));
    expect(plain.lastFrame()).not.toContain('action: cleanup');
  });
});

describe('the action key registry', () => {
  it('finds the Pacemaker resource of a DRBD resource in the CIB the monitor read', () => {
    const s = monitorState();
    expect(selectedPcmkResource({ node: 'node1', resource: 'r0' }, s)).toBe('p_drbd_r0');
    expect(selectedPcmkResource({ node: 'node1', resource: null }, s)).toBeNull();
    expect(selectedPcmkResource(null, s)).toBeNull();
  });
});

describe('monitor action keys on the demo lab (the running cluster\'s recordings)', () => {
  async function demo() {
    const { createDemoRunners } = await import('../../../src/exec/demo-lab.js');
    const runners = createDemoRunners('running');
    const actions = createActionService(runners.map((r) => ({ name: r.label, runner: r })), { dryRunReason: 'the demo lab is a recording, nothing can change on it' });
    const r = render(<Box width={80}><MonitorApp store={createStore(monitorState())} onQuit={() => {}} onRefresh={() => {}} noColor actions={actions} /></Box>);
    const frame = () => r.lastFrame() ?? '';
    return { ...r, frame, flat: () => frame().replace(/[│\s]+/g, ' ') };
  }

  it('s: the switchover plan, the typed words inside the overlay (a wrong attempt runs nothing), then the dry run', async () => {
    const { frame, flat, stdin } = await demo();
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('s');
    await vi.waitFor(() => expect(frame()).toContain('Type "switchover to node2" + Enter (Esc stops):'), { timeout: 10_000 });
    expect(frame()).toContain('switchover: move the service from node1 to node2');
    expect(frame()).toContain('$ crm_resource --move --resource g_nfs --node node2 --lifetime PT30M');
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    for (const c of 'switchover to node1') stdin.write(c);
    await vi.waitFor(() => expect(frame()).toContain('(Esc stops): switchover to node1'));
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('Not the words asked for; nothing was run.'));
    for (const c of 'switchover to node2') stdin.write(c);
    await vi.waitFor(() => expect(frame()).toContain('(Esc stops): switchover to node2'));
    stdin.write('\r');
    await vi.waitFor(() => expect(flat()).toMatch(/switchover: dry run: \d+ steps would run, \d+ are already done; nothing was changed/), { timeout: 10_000 });
    expect(frame()).toMatch(/\[node1\] would run: Move g_nfs to node2/);
  });

  it('S: the snapshot list is the plan\'s facts, shown as it runs (nothing to confirm)', async () => {
    const { frame, flat, stdin } = await demo();
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('S');
    await vi.waitFor(() => expect(flat()).toContain('snapshot list: dry run: 0 steps would run'), { timeout: 10_000 });
    expect(frame()).toMatch(/1 snapshot\(s\) of the LV under DRBD r0/);
    expect(frame()).toMatch(/snap1/);
  });

  it('b with nothing selected says to select a node; the node then selected is the one put in standby', async () => {
    const { frame, flat, stdin } = await demo();
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('b');
    await vi.waitFor(() => expect(flat()).toContain('error: select the node to put in standby first (up/down), then press the key again'));
    stdin.write('\u001B');
    await vi.waitFor(() => expect(frame()).not.toContain('action: standby'));
    stdin.write('\u001B[A'); // up from nothing: the last item, node2's r0
    await vi.waitFor(() => expect(frame()).toContain('node2 DRBD r0  (esc closes)'));
    stdin.write('b');
    await vi.waitFor(() => expect(frame()).toMatch(/standby: .*node2/), { timeout: 10_000 });
  });
});
