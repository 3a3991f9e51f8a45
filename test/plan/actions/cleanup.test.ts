// cleanup planned from real crm_mon captures (the lab's failed p_nfsserver/p_exportfs starts, and the
// running cluster), then run by the one engine through the real run lock: what it changed, what it read back.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanupAction } from '../../../src/plan/actions/cleanup.js';
import { clusterFactsFrom, FACT_ARGV } from '../../../src/plan/actions/cluster-facts.js';
import { executeAction, formatActionPlan, prepareAction } from '../../../src/apply/action-run.js';
import { Journal } from '../../../src/apply/journal.js';
import { Redactor } from '../../../src/apply/redact.js';
import type { RunResult } from '../../../src/exec/runner.js';
import { CaptureNode } from '../../helpers/capture-node.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FAILED = `${ROOT}/test/fixtures/monitor/crm_mon_1_xml.failed-action-nfsserver.node1.xml`;
const RUNNING = `${ROOT}/demo-lab/running/node1/crm_mon_1_xml.nfs-running.node1.xml`;
const CIB = `${ROOT}/demo-lab/running/node1/cibadmin_Q.nfs-running.xml`;
const EVENTS = (n: string) => `${ROOT}/demo-lab/running/${n}/drbdsetup_events2_now_statistics.pcmk-managed.${n}.txt`;

const res = (argv: readonly string[], file: string | null, exitCode = 0): RunResult => ({
  argv, exitCode, stdout: file ? readFileSync(file, 'utf8') : '', stderr: exitCode ? 'crm_mon: Error: cluster is not available on this node' : '', timedOut: false, aborted: false, durationMs: 1,
});

function facts(crmFile: string | null) {
  return clusterFactsFrom(['node1', 'node2'].map((name) => ({
    name,
    crmMon: res(FACT_ARGV.crmMon, crmFile, crmFile ? 0 : 102),
    cib: res(FACT_ARGV.cib, CIB),
    events2: res(FACT_ARGV.events2Now, EVENTS(name)),
  })));
}

const parse = (p: string[]) => {
  const r = cleanupAction.parse(p, {});
  if (!r.ok) throw new Error(r.error.message);
  return r.args;
};
const nodes = [{ name: 'node1', runner: null as never }, { name: 'node2', runner: null as never }];

describe('cleanup: the plan', () => {
  it('shows every failure and fail count of the resource, and cleans up only that one', () => {
    const plan = cleanupAction.plan({ nodes, facts: facts(FAILED), args: parse(['p_nfsserver']) }, undefined);
    expect(plan.refusals).toEqual([]);
    expect(plan.facts.some((f) => f.startsWith('failed: p_nfsserver monitor (every 30 s) on node2: not running'))).toBe(true);
    expect(plan.facts.some((f) => f.startsWith('fail count: p_nfsserver on'))).toBe(true);
    expect(plan.facts.some((f) => f.includes('p_exportfs'))).toBe(false);
    expect(plan.steps.map((s) => s.commands)).toEqual([[['crm_resource', '--cleanup', '--resource', 'p_nfsserver']]]);
    expect(plan.confirm.kind).toBe('yes');
    expect(formatActionPlan(plan).join('\n')).toContain('$ crm_resource --cleanup --resource p_nfsserver');
  });

  it('without a resource, cleans up everything listed', () => {
    const plan = cleanupAction.plan({ nodes, facts: facts(FAILED), args: parse([]) }, undefined);
    expect(plan.facts.some((f) => f.includes('p_exportfs'))).toBe(true);
    expect(plan.steps[0]!.commands).toEqual([['crm_resource', '--cleanup']]);
  });

  it('on a clean cluster there is nothing to run', () => {
    const plan = cleanupAction.plan({ nodes, facts: facts(RUNNING), args: parse([]) }, undefined);
    expect(plan.steps).toEqual([]);
    expect(plan.summary).toMatch(/nothing to clean up/);
  });

  it('names a resource the cluster does not have (bad input), and refuses when Pacemaker is not readable', () => {
    const bad = cleanupAction.plan({ nodes, facts: facts(RUNNING), args: parse(['p_nosuch']) }, undefined);
    expect(bad.bad?.field).toBe('RESOURCE');
    expect(bad.bad?.message).toMatch(/"p_nosuch" is no resource of this cluster; known: .*p_nfsserver/);
    const blind = cleanupAction.plan({ nodes, facts: facts(null), args: parse([]) }, undefined);
    expect(blind.refusals[0]).toMatch(/Pacemaker's status could not be read/);
    expect(blind.steps).toEqual([]);
  });

  it('rejects arguments that are no resource id', () => {
    expect(cleanupAction.parse(['a;rm -rf /'], {})).toMatchObject({ ok: false, error: { field: 'RESOURCE' } });
    expect(cleanupAction.parse(['a', 'b'], {})).toMatchObject({ ok: false, error: { field: 'RESOURCE' } });
    expect(parse(['p_drbd_r0:1']).resource).toBe('p_drbd_r0');
  });
});

describe('cleanup: run by the engine', () => {
  const node = (name: string, crm: string[]) =>
    new CaptureNode(`t${process.pid}${name}${Math.floor(Math.random() * 1e9)}`, { reads: [
      [FACT_ARGV.crmMon, crm],
      [FACT_ARGV.cib, [CIB]],
      [FACT_ARGV.events2Now, [EVENTS(name === 'a' ? 'node1' : 'node2')]],
    ] });

  it('runs crm_resource --cleanup once, under the run lock, and reads back a clean crm_mon', async () => {
    // The cluster's view: failed (facts read, the step's check), then clean after the cleanup (verify).
    const a = node('a', [FAILED, FAILED, RUNNING]);
    const b = node('b', [FAILED]);
    const ns = [{ name: 'node1', runner: a }, { name: 'node2', runner: b }];
    const plan = await prepareAction(cleanupAction, ns, parse(['p_nfsserver']));
    const journal = new Journal([], new Redactor([]));
    const out = await executeAction(plan, ns, { dryRun: false, journal, redactor: new Redactor([]), sleep: async () => {}, holder: 'test' });
    expect(out.kind).toBe('done');
    expect(a.changes).toEqual([['crm_resource', '--cleanup', '--resource', 'p_nfsserver']]);
    expect(b.changes).toEqual([]);
    expect(journal.entries.some((e) => e.argv === 'crm_resource --cleanup --resource p_nfsserver')).toBe(true);
    // The lock was taken on both nodes (the real flock through the local runner).
    expect(a.all.some((x) => x[0] === 'flock')).toBe(true);
    expect(b.all.some((x) => x[0] === 'flock')).toBe(true);
  });

  it('fails (not done) when the failure comes back: the read-back is what counts', async () => {
    const a = node('a', [FAILED]);
    const ns = [{ name: 'node1', runner: a }, { name: 'node2', runner: node('b', [FAILED]) }];
    const plan = await prepareAction(cleanupAction, ns, parse([]));
    let t = 0;
    const out = await executeAction(plan, ns, { dryRun: false, journal: new Journal([], new Redactor([])), redactor: new Redactor([]), sleep: async (ms) => { t += ms; }, now: () => t, holder: 'test' });
    expect(out.kind).toBe('failed');
    expect(a.changes).toEqual([['crm_resource', '--cleanup']]);
  });

  it('a dry run changes nothing and takes no lock', async () => {
    const a = node('a', [FAILED]);
    const ns = [{ name: 'node1', runner: a }, { name: 'node2', runner: node('b', [FAILED]) }];
    const plan = await prepareAction(cleanupAction, ns, parse([]));
    const out = await executeAction(plan, ns, { dryRun: true, journal: new Journal([], new Redactor([])), redactor: new Redactor([]) });
    expect(out.kind).toBe('dry-run');
    expect(a.changes).toEqual([]);
    expect(a.all.some((x) => x[0] === 'flock' || x[0] === 'sh')).toBe(false);
  });
});
