// Fail closed, on replayed states the monitor was not tuned on (test/fixtures/monitor-states, built by its
// make.mjs from real lab captures in the demo-lab format): every collector failing in turn, a node
// answering garbage, a slow crm_mon, a missing array, resource and export, a stale stream. Each gets its
// verdict and its Nagios exit code; and bad input gets one clear line and the right exit code.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/commands/monitor.js';
import { tryCreateDemoRunners } from '../../src/exec/demo-lab.js';
import { startCollectors, type MonitoredNode } from '../../src/monitor/collect.js';
import { createStore } from '../../src/monitor/store.js';
import { initialState, readingState } from '../../src/monitor/model.js';
import { assessHealth } from '../../src/monitor/health.js';
import { formatCheck } from '../../src/monitor/format.js';

const STATES = fileURLToPath(new URL('../fixtures/monitor-states', import.meta.url));
const ANSWERS = fileURLToPath(new URL('../fixtures/monitor-states/answers.yaml', import.meta.url));
const LAB_ANSWERS = fileURLToPath(new URL('../lab/lab-answers.yaml', import.meta.url));

let out = '';
let err = '';
const saved = process.env.HANFS_DEMO_LAB;
beforeEach(() => {
  out = '';
  err = '';
  process.env.HANFS_DEMO_LAB = STATES;
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  if (saved === undefined) delete process.env.HANFS_DEMO_LAB;
  else process.env.HANFS_DEMO_LAB = saved;
});

// --accept-no-fencing: the lab runs without fencing; here only what each state breaks may speak.
describe('monitor --check never says OK when it cannot see (exit 3 UNKNOWN)', () => {
  it.each([
    ['blind-drbd', [/node1 drbd reading: cannot read DRBD .*no capture for: cat \/proc\/drbd \(never read\)/, /node2 drbd reading/]],
    ['blind-raid', [/node1 raid reading: cannot read RAID \(\/proc\/mdstat\)/, /node2 raid reading/]],
    ['blind-pacemaker', [/node1 pacemaker reading: cannot read Pacemaker \(crm_mon\)/, /node2 pacemaker reading/]],
    ['blind-cib', [/node1 cib reading: cannot read cluster configuration \(cibadmin -Q\)/]],
    ['blind-lvm', [/^HANFS UNKNOWN - 1 problem: node2 lvm reading: cannot read LVM/]],
    ['blind-nfs', [/^HANFS UNKNOWN - 1 problem: node1 nfs reading: cannot read NFS/]],
    ['blind-ping', [/^HANFS UNKNOWN - 1 problem: node1 connectivity reading: cannot read connectivity \(ping\)/]],
    ['blind-issue-24', [/^HANFS UNKNOWN - 4 problems: /, /node1 drbd reading/, /node1 raid reading/]],
    ['garbage', [/node2 pacemaker reading: cannot read Pacemaker \(crm_mon\): crm_mon: not crm_mon XML output/, /node2 raid reading: .*not \/proc\/mdstat output: \[\{"ifindex"/]],
  ])('%s -> UNKNOWN, exit 3', async (scenario, lines) => {
    expect(await run([`--demo=${scenario}`, '--check', '--answers', ANSWERS, '--accept-no-fencing'])).toBe(3);
    expect(out).toMatch(/^HANFS UNKNOWN - /);
    for (const l of lines) expect(out).toMatch(l);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(err).toBe('');
  });

  it('a crm_mon slower than the budget is a failed reading said as a timeout, not "Pacemaker not answering"', async () => {
    expect(await run(['--demo=slow-crm-mon', '--check', '--timeout', '0.5', '--accept-no-fencing'])).toBe(3);
    expect(out).toMatch(/^HANFS UNKNOWN - 1 problem: node2 pacemaker reading: cannot read Pacemaker \(crm_mon\): .*timed out after 0\.\d s/);
    expect(out).not.toMatch(/not answering/);
  });

  it('--json carries each reading\'s state, age and error', async () => {
    expect(await run(['--demo=blind-raid', '--json', '--once', '--accept-no-fencing'])).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.health).toBe('UNKNOWN');
    expect(doc.exitCode).toBe(3);
    for (const n of doc.nodes) {
      expect(n.readings.raid).toMatchObject({ state: 'failed', ageSec: null });
      expect(n.readings.raid.error).toMatch(/no capture for: cat \/proc\/mdstat/);
      expect(n.readings.drbd).toMatchObject({ state: 'fresh', error: null });
      expect(n.readings.drbd.ageSec).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('what should exist and is missing is CRITICAL (exit 2), with what and where', () => {
  it.each([
    ['missing-array', /node2 raid md0: missing: the answers file expects md array \/dev\/md0, \/proc\/mdstat has none/],
    ['missing-resource', /node2 drbd r0: missing: the answers file expects DRBD resource r0, it is not configured up here/],
    ['missing-export', /node1 nfs \/srv\/nfs: missing: the answers file expects export \/srv\/nfs, exportfs -v on the active node does not list it/],
  ])('%s with --answers', async (scenario, line) => {
    expect(await run([`--demo=${scenario}`, '--check', '--answers', ANSWERS, '--accept-no-fencing'])).toBe(2);
    expect(out).toMatch(/^HANFS CRITICAL - /);
    expect(out).toMatch(line);
  });

  it.each([
    ['missing-array', /node2 raid md0: missing: node2's \/etc\/mdadm\/mdadm.conf expects md array \/dev\/md0, \/proc\/mdstat has none/],
    ['missing-resource', /node2 drbd r0: missing: node2's \/etc\/drbd.d expects DRBD resource r0, it is not configured up here/],
    ['missing-lv', /node2 lvm vg0\/nfs: missing: node2's \/etc\/drbd.d names \/dev\/vg0\/nfs as the backing disk of DRBD resource r0, lvs does not list it/],
    ['missing-export', /node1 nfs \/srv\/nfs: missing: the CIB expects export \/srv\/nfs/],
  ])('%s without --answers: the CIB and the nodes\' own configuration files say what should exist', async (scenario, line) => {
    expect(await run([`--demo=${scenario}`, '--check', '--accept-no-fencing'])).toBe(2);
    // One problem: node2's inactive md127 (an old disk's) is not expected, so shown and not judged.
    expect(out).toMatch(/^HANFS CRITICAL - 1 problem: /);
    expect(out).toMatch(line);
  });

  it('missing-lv with --answers: the answers name the LV under DRBD too', async () => {
    expect(await run(['--demo=missing-lv', '--check', '--answers', ANSWERS, '--accept-no-fencing'])).toBe(2);
    expect(out).toMatch(/node2 lvm vg0\/nfs: missing: the answers file names \/dev\/vg0\/nfs as the backing disk of DRBD resource r0/);
  });

  it('without --answers, --json says where each expectation came from, per node', async () => {
    expect(await run(['--demo=missing-array', '--json', '--accept-no-fencing'])).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.expected).toMatchObject({ source: 'nodes', drbdResources: ['r0'], drbdMinors: { 0: 'r0' }, exports: ['/srv/nfs'], nodes: ['node1', 'node2'], notes: [] });
    for (const n of ['node1', 'node2']) expect(doc.expected.perNode[n]).toEqual({ mdArrays: ['md0'], drbdResources: ['r0'], drbdFromFiles: true, backingLvs: [{ lv: 'vg0/nfs', resource: 'r0' }] });
    expect(doc.unexpected).toEqual(['node2: md array md127']);
  });

  it('a configuration file that cannot be read: nothing expected from it, and the snapshot says so', async () => {
    expect(await run(['--demo=no-mdadm-conf', '--once', '--accept-no-fencing'])).toBe(0);
    expect(out).toMatch(/Expected topology incomplete: node1: \/etc\/mdadm\/mdadm.conf not read: replay node1: no capture for: cat \/etc\/mdadm\/mdadm.conf/);
    expect(out).toMatch(/health: OK/);
    expect(await run(['--demo=no-mdadm-conf', '--json', '--accept-no-fencing'])).toBe(0);
    const doc = JSON.parse(out.slice(out.indexOf('{')));
    expect(doc.expected.perNode.node1.mdArrays).toEqual([]);
    expect(doc.expected.perNode.node2.mdArrays).toEqual(['md0']);
  });

  it('what is present but not expected is shown, not judged', async () => {
    expect(await run(['--demo=missing-array', '--once', '--answers', ANSWERS, '--accept-no-fencing'])).toBe(0);
    expect(out).toMatch(/Present, not expected \(shown, not judged\): node2: md array md127/);
  });

  it('the intact state is OK with the same answers (the checks above fail for their reason only)', async () => {
    process.env.HANFS_DEMO_LAB = fileURLToPath(new URL('../../demo-lab', import.meta.url));
    expect(await run(['--demo=running', '--check', '--answers', ANSWERS, '--accept-no-fencing'])).toBe(0);
    expect(out).toBe('HANFS OK - all nodes, DRBD, RAID, Pacemaker and NFS fine (fencing disabled: accepted with --accept-no-fencing)\n');
  });
});

describe('a stale stream (live mode): no fresh DRBD reading for 3 intervals is UNKNOWN', () => {
  it('the events2 stream ends, /proc/drbd hangs: DRBD goes stale, then the check says UNKNOWN', async () => {
    const r = tryCreateDemoRunners('stale-stream');
    if (!r.ok) throw new Error(r.error);
    const nodes: MonitoredNode[] = r.runners.map((runner) => ({ name: runner.label, runner, pingTargets: [runner.label === 'node1' ? '192.168.100.12' : '192.168.100.11'] }));
    const store = createStore({ ...initialState(nodes.map((n) => ({ name: n.name, target: n.runner.label })), Date.now(), 100), acceptNoFencing: true });
    const abort = new AbortController();
    const c = startCollectors(nodes, { intervalMs: 100, dispatch: store.dispatch, now: Date.now, signal: abort.signal, tickMs: 50 });
    try {
      // node2 keeps answering: its DRBD stays fresh; node1's goes stale once its stream has ended.
      await vi.waitFor(() => {
        const s = store.getState();
        expect(readingState('drbd', s.nodes['node1']!.readings.drbd, s.now, s.intervalMs)).toBe('stale');
      }, { timeout: 10_000, interval: 50 });
      const s = store.getState();
      expect(readingState('drbd', s.nodes['node2']!.readings.drbd, s.now, s.intervalMs)).toBe('fresh');
      expect(s.nodes['node1']!.errors.some((e) => e.text.includes('drbdsetup events2 ended'))).toBe(true);
      const check = formatCheck(s);
      expect(check.exitCode).toBe(3);
      expect(assessHealth(s).problems.find((p) => p.node === 'node1' && p.subject === 'drbd reading')?.text).toMatch(/^no fresh reading of DRBD/);
    } finally {
      abort.abort();
      await c.done;
    }
  });
});

describe('bad input: one clear line, the right exit code, no stack trace', () => {
  it('an answers file of another cluster: exit 3 with --check, 2 otherwise', async () => {
    process.env.HANFS_DEMO_LAB = fileURLToPath(new URL('../../demo-lab', import.meta.url));
    expect(await run(['--demo=running', '--check', '--answers', LAB_ANSWERS])).toBe(3);
    expect(err).toMatch(/^error: --answers: node lab1, lab2 of the answers file is not in the cluster the nodes report \(node1, node2\)/);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(out).toBe('');
    err = '';
    expect(await run(['--demo=running', '--json', '--answers', LAB_ANSWERS])).toBe(2);
    expect(err).toMatch(/^error: --answers: node lab1, lab2/);
  });

  it('--listen on an address in use, or not ADDR:PORT', async () => {
    process.env.HANFS_DEMO_LAB = fileURLToPath(new URL('../../demo-lab', import.meta.url));
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as { port: number }).port;
    try {
      expect(await run(['--demo=running', '--listen', `127.0.0.1:${port}`])).toBe(2);
      expect(err).toBe(`error: --listen: cannot listen on 127.0.0.1:${port}: address already in use\n`);
    } finally {
      busy.close();
    }
    err = '';
    expect(await run(['--demo=running', '--listen', 'localhost'])).toBe(2);
    expect(err).toMatch(/^error: --listen: "localhost" is not ADDR:PORT/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
