// The monitor shows fencing (issue 26, point 7), on real crm_mon outputs of a Pacemaker that fenced
// (test/fixtures/monitor/fencing/, made by its sandbox.sh): each fence device's state, the last fence
// events, a pending fence and a fenced node as CRITICAL with what to do, in the text, --json, --check
// and Prometheus outputs (the latter checked by promtool).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialState, type MonitorState } from '../../src/monitor/model.js';
import { reduce } from '../../src/monitor/reducer.js';
import { assessHealth } from '../../src/monitor/health.js';
import { fencingProblems, fencingView } from '../../src/monitor/fencing.js';
import { formatCheck, formatJson, formatText } from '../../src/monitor/format.js';
import { formatPrometheus } from '../../src/monitor/prometheus.js';
import { runTool } from '../helpers/validators/run.js';

const fx = (f: string) => readFileSync(`test/fixtures/monitor/fencing/${f}`, 'utf8');
const NOW = Date.parse('2026-12-07T12:30:00Z');

/** nfs1 answered crm_mon with the capture; nfs2 has said nothing (it is the node being fenced). */
function stateWith(xml: string): MonitorState {
  const s = initialState([{ name: 'nfs1', target: 'root@nfs1' }, { name: 'nfs2', target: 'root@nfs2' }], NOW);
  return reduce(s, { type: 'crm-mon', node: 'nfs1', at: NOW, xml });
}
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
function promtoolOk(text: string): void {
  const r = runTool(['promtool', 'check', 'metrics'], { input: text });
  expect(r.missing, r.missing).toBeUndefined();
  expect(r.stdout + r.stderr).toBe('');
  expect(r.code).toBe(0);
}

describe('a fence pending (nfs2 UNCLEAN, its reboot requested)', () => {
  const s = stateWith(fx('crm_mon_1_xml.nfs2-pending-fence.sandbox.xml'));

  it('is CRITICAL on nfs2 with what to do, and leads the check line', () => {
    const fencing = fencingProblems(s);
    expect(fencing).toHaveLength(1);
    expect(fencing[0]).toMatchObject({ severity: 'CRITICAL', node: 'nfs2', subject: 'fencing' });
    expect(fencing[0]!.text).toMatch(/^fence of nfs2 pending \(reboot asked by nfs1\): nothing nfs2 ran moves until it completes; .*stonith_admin --history nfs2 --verbose.*only once nfs2 is surely powered off: stonith_admin --confirm nfs2$/);
    const h = assessHealth(s);
    expect(h.overall).toBe('CRITICAL');
    expect(h.problems[0]!.subject).toBe('fencing');
    expect(formatCheck(s, h).line).toMatch(/^HANFS CRITICAL - \d+ problems: nfs2 fencing: fence of nfs2 pending/);
  });

  it('shows both devices (stopped while the fence runs) and the pending event in --json and the text', () => {
    const j = JSON.parse(formatJson(s));
    expect(j.fencing.enabled).toBe(true);
    expect(j.fencing.devices.map((d: { id: string; agent: string; role: string }) => [d.id, d.agent, d.role])).toEqual([['st_nfs2', 'fence_dummy', 'Stopped'], ['st_nfs3', 'fence_dummy', 'Stopped']]);
    expect(j.fencing.events).toEqual([{ action: 'reboot', target: 'nfs2', status: 'pending', client: 'pacemaker-controld.39', origin: 'nfs1', delegate: null, exitReason: null, completed: null }]);
    expect(j.fencing.unclean).toEqual(['nfs2']);
    const text = formatText(s);
    expect(text).toMatch(/^Fencing:$/m);
    expect(text).toMatch(/^ {2}device st_nfs2 \(fence_dummy\): Stopped$/m);
    expect(text).toMatch(/^ {2}reboot of nfs2: pending for nfs1, now$/m);
  });

  it('Prometheus: pending and UNCLEAN as 1, accepted by promtool', () => {
    const text = formatPrometheus(s);
    promtoolOk(text);
    expect(sample(text, 'hanfs_fence_pending{target="nfs2"}')).toBe(1);
    expect(sample(text, 'hanfs_fence_unclean{node="nfs2"}')).toBe(1);
    expect(sample(text, 'hanfs_fence_unclean{node="nfs1"}')).toBe(0);
    expect(sample(text, 'hanfs_fence_device_started{device="st_nfs2"}')).toBe(0);
  });
});

describe('after the fences: nfs2 fenced and not back, nfs3\'s fence failed', () => {
  const s = stateWith(fx('crm_mon_1_xml.nfs2-fenced-nfs3-failed.sandbox.xml'));

  it('a fenced node not back and a failed fence are CRITICAL, each with what to do', () => {
    const byNode = Object.fromEntries(fencingProblems(s).map((p) => [p.node, p]));
    expect(Object.keys(byNode).sort()).toEqual(['nfs2', 'nfs3']);
    expect(byNode['nfs2']).toMatchObject({ severity: 'CRITICAL' });
    expect(byNode['nfs2']!.text).toMatch(/^nfs2 was fenced \(reboot by nfs1 at 2026-12-07 12:29:38Z\) and is not back: it should boot and rejoin by itself; if it does not, look at its console or BMC/);
    expect(byNode['nfs3']).toMatchObject({ severity: 'CRITICAL' });
    expect(byNode['nfs3']!.text).toMatch(/^the last fence of nfs3 failed at 2026-12-07 12:29:55Z \(Fence agent did not complete within 5s\): .*stonith_admin --history nfs3 --cleanup$/);
  });

  it('Prometheus: devices started, nfs3 last failed, nfs2 last fenced at its completion time', () => {
    const text = formatPrometheus(s);
    promtoolOk(text);
    expect(sample(text, 'hanfs_fence_device_started{device="st_nfs2"}')).toBe(1);
    expect(sample(text, 'hanfs_fence_device_info{device="st_nfs3",agent="fence_dummy",role="Started"}')).toBe(1);
    expect(sample(text, 'hanfs_fence_last_failed{target="nfs3"}')).toBe(1);
    expect(sample(text, 'hanfs_fence_last_failed{target="nfs2"}')).toBe(0);
    expect(sample(text, 'hanfs_fence_pending{target="nfs2"}')).toBe(0);
    expect(sample(text, 'hanfs_fence_last_success_timestamp_seconds{target="nfs2"}')).toBe(Date.parse('2026-12-07T12:29:38Z') / 1000);
  });
});

describe('a cluster without fencing (a lab capture)', () => {
  it('has no fence device, no event and no fencing problem of its own', () => {
    const xml = readFileSync('test/fixtures/monitor/crm_mon_1_xml.active-killed-failed-over.node2.xml', 'utf8');
    const s = reduce(initialState([{ name: 'node2', target: 'root@node2' }], NOW), { type: 'crm-mon', node: 'node2', at: NOW, xml });
    const v = fencingView(s)!;
    expect(v.devices).toEqual([]);
    expect(v.events).toEqual([]);
    expect(fencingProblems(s)).toEqual([]);
    expect(formatText(s)).not.toMatch(/^Fencing/m);
  });
});
