// `monitor --prometheus` and `--listen`: the output is checked by the real parser of the format
// (promtool check metrics, from Debian's prometheus package via test/setup/install-tools.sh), every metric
// is documented in docs/monitor-prometheus.md and the other way round, blindness is a 0, not a gap.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/commands/monitor.js';
import { escapeLabel, formatPrometheus } from '../../src/monitor/prometheus.js';
import { initialState } from '../../src/monitor/model.js';
import { reduceAll } from '../../src/monitor/reducer.js';
import { runTool } from '../helpers/validators/run.js';

const DEMO = fileURLToPath(new URL('../../demo-lab', import.meta.url));
const STATES = fileURLToPath(new URL('../fixtures/monitor-states', import.meta.url));
const DOC = readFileSync(new URL('../../docs/monitor-prometheus.md', import.meta.url), 'utf8');

let out = '';
let err = '';
const saved = process.env.HANFS_DEMO_LAB;
beforeEach(() => {
  out = '';
  err = '';
  process.env.HANFS_DEMO_LAB = DEMO;
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  if (saved === undefined) delete process.env.HANFS_DEMO_LAB;
  else process.env.HANFS_DEMO_LAB = saved;
});

async function metricsOf(scenario: string, dir = DEMO): Promise<string> {
  process.env.HANFS_DEMO_LAB = dir;
  out = '';
  expect(await run([`--demo=${scenario}`, '--prometheus'])).toBe(0);
  return out;
}

const families = (text: string): string[] => [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]!);
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('monitor --prometheus', () => {
  const scenarios = ['running', 'syncing', 'failover', 'failed-over', 'split-brain', 'degraded-raid'];

  it.each(scenarios)('%s: promtool check metrics accepts the output, every name hanfs_', async (scenario) => {
    const text = await metricsOf(scenario);
    const r = runTool(['promtool', 'check', 'metrics'], { input: text });
    expect(r.missing, r.missing).toBeUndefined();
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) expect(line).toMatch(/^hanfs_[a-z_]+(\{[^}]*\})? [-+0-9.eInfNa]+$/);
  });

  it('promtool bites: a malformed line and a duplicate series are refused', () => {
    const bad = runTool(['promtool', 'check', 'metrics'], { input: '# TYPE hanfs_x gauge\nhanfs_x{node="a} 1\n' });
    expect(bad.missing).toBeUndefined();
    expect(bad.code).not.toBe(0);
  });

  it('every metric emitted is documented, and every documented metric is emitted by some state', async () => {
    const emitted = new Set<string>();
    for (const s of scenarios) for (const f of families(await metricsOf(s))) emitted.add(f);
    for (const f of families(await metricsOf('blind-raid', STATES))) emitted.add(f);
    const documented = new Set([...DOC.matchAll(/^\| `(hanfs_[a-z_]+)` \|/gm)].map((m) => m[1]!));
    expect([...emitted].filter((f) => !documented.has(f))).toEqual([]);
    // Those a replayed state cannot show (no md resync, no invalid snapshot or clock capture in them) are
    // produced by the formatter's own paths; the rest must appear.
    // hanfs_monitor_interval_seconds: --listen only (tested there). The demo lab runs without fencing: the hanfs_fence_* series are proven on real fencer outputs in
    // test/monitor/fencing.test.ts.
    const notInReplays = new Set(['hanfs_monitor_interval_seconds', 'hanfs_clock_offset_seconds', 'hanfs_md_sync_done_ratio', 'hanfs_pacemaker_failures', 'hanfs_pacemaker_maintenance_mode',
      'hanfs_fence_device_info', 'hanfs_fence_device_started', 'hanfs_fence_pending', 'hanfs_fence_last_failed', 'hanfs_fence_last_success_timestamp_seconds', 'hanfs_fence_unclean']);
    expect([...documented].filter((f) => !emitted.has(f) && !notInReplays.has(f))).toEqual([]);
  });

  it('the running cluster: one series per node and resource, values in base units', async () => {
    const text = await metricsOf('running');
    expect(sample(text, 'hanfs_up{node="node1",component="drbd"}')).toBe(1);
    expect(sample(text, 'hanfs_drbd_primary{node="node1",resource="r0"}')).toBe(1);
    expect(sample(text, 'hanfs_drbd_primary{node="node2",resource="r0"}')).toBe(0);
    expect(sample(text, 'hanfs_drbd_connection_info{node="node1",resource="r0",peer="peer",connection="Connected",peer_role="Secondary"}')).toBe(1);
    expect(sample(text, 'hanfs_lvm_vg_size_bytes{node="node1",vg="vg0"}')).toBe(264241152);
    expect(sample(text, 'hanfs_lvm_snapshot_used_ratio{node="node1",vg="vg0",lv="snap1"}')).toBeCloseTo(0.377, 5);
    expect(sample(text, 'hanfs_pacemaker_stonith_enabled')).toBe(0);
    expect(sample(text, 'hanfs_health_status')).toBe(1);
  });

  it('blindness is visible: hanfs_up 0 for the reading that failed, health 3', async () => {
    const text = await metricsOf('blind-raid', STATES);
    expect(sample(text, 'hanfs_up{node="node1",component="raid"}')).toBe(0);
    expect(sample(text, 'hanfs_up{node="node2",component="raid"}')).toBe(0);
    expect(sample(text, 'hanfs_up{node="node1",component="drbd"}')).toBe(1);
    expect(sample(text, 'hanfs_health_status')).toBe(3);
    expect(sample(text, 'hanfs_problems{severity="UNKNOWN"}')).toBe(2);
  });

  it('an unreachable node: hanfs_up{component="node"} 0 and every reading 0', async () => {
    const text = await metricsOf('failed-over');
    expect(sample(text, 'hanfs_up{node="node1",component="node"}')).toBe(0);
    expect(sample(text, 'hanfs_up{node="node1",component="pacemaker"}')).toBe(0);
    expect(sample(text, 'hanfs_up{node="node2",component="node"}')).toBe(1);
    expect(sample(text, 'hanfs_health_status')).toBe(2);
  });

  it('a one-shot reports its own budget, not an interval it never polls at (default 45 s, --timeout)', async () => {
    const text = await metricsOf('running');
    expect(sample(text, 'hanfs_monitor_timeout_seconds')).toBe(45);
    expect(families(text)).not.toContain('hanfs_monitor_interval_seconds');
    out = '';
    expect(await run(['--demo=running', '--prometheus', '--timeout', '7.5', '--interval', '5'])).toBe(0);
    expect(sample(out, 'hanfs_monitor_timeout_seconds')).toBe(7.5);
    expect(families(out)).not.toContain('hanfs_monitor_interval_seconds');
    const r = runTool(['promtool', 'check', 'metrics'], { input: out });
    expect(r.code, r.stdout + r.stderr + (r.missing ?? '')).toBe(0);
  });

  it('staleness counts in the one-shot\'s budget, in the live loop\'s interval', () => {
    // A reading 10 s old at the time of output: inside a 45 s one-shot, fresh; in a 2 s live loop, stale.
    const T = Date.parse('2026-11-25T19:40:00Z');
    const s = reduceAll(initialState([{ name: 'node1', target: 'replay' }], T, 2000), [
      { type: 'reachability', node: 'node1', at: T, reachable: true },
      { type: 'fresh', node: 'node1', at: T, components: ['raid'] },
    ]);
    const later = { ...s, now: T + 10_000 };
    expect(sample(formatPrometheus({ ...later, budgetMs: 45_000 }), 'hanfs_up{node="node1",component="raid"}')).toBe(1);
    expect(sample(formatPrometheus(later), 'hanfs_up{node="node1",component="raid"}')).toBe(0);
  });

  it('label values are escaped as the format requires', () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});

describe('monitor --listen', () => {
  it('serves /metrics from the live collectors until SIGINT', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const done = run(['--demo=running', '--listen', `127.0.0.1:${port}`, '--interval', '0.5']);
    let body = '';
    await vi.waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      body = await res.text();
      expect(body).toContain('hanfs_drbd_primary{node="node1",resource="r0"} 1');
    }, { timeout: 10_000, interval: 200 });
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    // The live collectors poll at --interval; their budget adapts per node and is not a one-shot's.
    expect(sample(body, 'hanfs_monitor_interval_seconds')).toBe(0.5);
    expect(families(body)).not.toContain('hanfs_monitor_timeout_seconds');
    const r = runTool(['promtool', 'check', 'metrics'], { input: body });
    expect(r.code, r.stdout + r.stderr + (r.missing ?? '')).toBe(0);
    expect(err).toContain(`serving http://127.0.0.1:${port}/metrics`);
    process.emit('SIGINT');
    expect(await done).toBe(0);
  });
});
