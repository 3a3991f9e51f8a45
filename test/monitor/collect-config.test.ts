// The nodes' configuration files are read once at start, then rarely (every CONFIG_EVERY_MS, or when the
// CIB's epoch moves), never every poll: the idle cost of the live view must not grow. Replayed from
// test/fixtures/monitor-states (the lab's state with its configuration files, config/SOURCE.md).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ReplayRunner, type ReplayManifest } from '../../src/exec/replay-runner.js';
import { MONITOR_ARGV, snapshotOnce, startCollectors, type MonitoredNode } from '../../src/monitor/collect.js';
import { CONFIG_ARGV, cibEpoch } from '../../src/monitor/collect-config.js';
import { createStore } from '../../src/monitor/store.js';
import { initialState } from '../../src/monitor/model.js';
import { nodeConfigOf } from '../../src/monitor/node-config.js';

const DIR = fileURLToPath(new URL('../fixtures/monitor-states/missing-array/node1', import.meta.url));
const base = (): ReplayManifest => JSON.parse(readFileSync(`${DIR}/manifest.json`, 'utf8'));
const same = (a: readonly string[], b: readonly string[]) => a.join('\0') === b.join('\0');

function node(manifest: ReplayManifest): MonitoredNode & { runner: ReplayRunner } {
  return { name: 'node1', runner: new ReplayRunner({ dir: DIR, manifest, label: 'node1' }), pingTargets: [] };
}
const count = (r: ReplayRunner, argv: readonly string[]) => r.history.filter((a) => same(a, argv)).length;

async function live(n: MonitoredNode & { runner: ReplayRunner }, polls: number) {
  const store = createStore(initialState([{ name: 'node1', target: 'replay' }], Date.now(), 20));
  const abort = new AbortController();
  const c = startCollectors([n], { intervalMs: 20, dispatch: store.dispatch, now: Date.now, signal: abort.signal, tickMs: 1000 });
  await vi.waitFor(() => expect(count(n.runner, MONITOR_ARGV.crmMon)).toBeGreaterThanOrEqual(polls), { timeout: 15_000, interval: 20 });
  abort.abort();
  await c.done;
  return store.getState();
}

describe('the configuration files, read rarely', () => {
  it('the live loop reads them once at start, not every poll, and keeps what they say', async () => {
    const n = node(base());
    const s = await live(n, 12);
    for (const argv of Object.values(CONFIG_ARGV)) expect(count(n.runner, argv)).toBe(1);
    expect(s.nodes['node1']!.config).toMatchObject({ corosyncNodes: ['node1', 'node2'], drbd: [{ name: 'r0' }], mdArrays: [{ kernelName: 'md0' }], notes: [] });
  });

  it('a CIB whose epoch moved (the cluster was reconfigured) has them read again', async () => {
    const m = base();
    const cib = m.commands.find((c) => same(c.argv, MONITOR_ARGV.cib))!;
    // The same cluster's CIB at epoch 10, then a later one at epoch 16 (test/fixtures/monitor-admin).
    const later = relative(DIR, fileURLToPath(new URL('../fixtures/monitor-admin/cibadmin_Q.admin-traps.xml', import.meta.url)));
    expect([cibEpoch(readFileSync(`${DIR}/${cib.stdout}`, 'utf8')), cibEpoch(readFileSync(`${DIR}/${later}`, 'utf8'))]).toEqual(['0.10', '0.16']);
    cib.responses = [{ stdout: cib.stdout }, { stdout: later }];
    const n = node(m);
    await live(n, 12);
    expect(count(n.runner, MONITOR_ARGV.cib)).toBeGreaterThanOrEqual(2);
    for (const argv of Object.values(CONFIG_ARGV)) expect(count(n.runner, argv)).toBe(2);
  });

  it('a one-shot reads them once, beside the state', async () => {
    const n = node(base());
    const store = createStore(initialState([{ name: 'node1', target: 'replay' }], Date.now()));
    await snapshotOnce([n], store.dispatch, Date.now, 5000);
    for (const argv of Object.values(CONFIG_ARGV)) expect(count(n.runner, argv)).toBe(1);
    expect(store.getState().nodes['node1']!.config?.drbd?.[0]?.volumes).toEqual([{ volume: 0, device: '/dev/drbd0', minor: 0, disk: '/dev/vg0/nfs' }]);
  });

  it('a node named otherwise than its DRBD sections (--node HOST) expects no resource, and says why', () => {
    const text = readFileSync(`${DIR}/r0.res`, 'utf8');
    const c = nodeConfigOf('192.168.100.11', 0, { corosync: { error: 'No such file or directory' }, drbd: { text }, mdadm: { text: '' } });
    expect(c.drbd).toEqual([]);
    expect(c.corosyncNodes).toBeNull();
    expect(c.notes).toEqual([
      '/etc/corosync/corosync.conf not read: No such file or directory',
      '/etc/drbd.d/*.res: no section for 192.168.100.11 (resources r0 name hosts node1, node2)',
    ]);
  });
});
