// The start-up options seeded into an empty node's CIB before the cluster's first start (plan.ts,
// "<node>/cib-seed"): the seed script runs for real with this machine's cibadmin and crm_attribute on a
// CIB file in a temp dir; its state script's judge reads real outputs from the lab
// (test/fixtures/apply/cib-seed/SOURCE.md).
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import type { RunResult } from '../../src/exec/runner.js';
import { STARTUP_PROPERTIES, buildCibModel } from '../../src/generate/cib-model.js';
import { renderCrmConfigXml } from '../../src/generate/cib-xml.js';
import { CIB_SEED_SCRIPT, CIB_SEED_STATE_SCRIPT, PACEMAKER_CIB_PATH, cibSeeded, parseCibSeedState } from '../../src/plan/cib-seed.js';
import { planSteps } from '../../src/plan/plan.js';

const FIX = join(import.meta.dirname, '../fixtures/apply');
const result = (stdout: string, exitCode = 0): RunResult => ({ argv: [], exitCode, stdout, stderr: '', timedOut: false, aborted: false, durationMs: 1 });
const captured = (state: string, node: string) => result(readFileSync(join(FIX, 'cib-seed', `cib_seed_state.${state}.${node}.txt`), 'utf8'));

async function lab(): Promise<Answers> {
  const r = await loadAnswersFile(join(import.meta.dirname, '../lab/lab-answers.yaml'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.answers;
}

const pairsOf = (a: Answers) => buildCibModel(a).properties.filter(([k]) => (STARTUP_PROPERTIES as readonly string[]).includes(k));
const state = (file: string, pairs: string[][]) => spawnSync('sh', ['-c', CIB_SEED_STATE_SCRIPT, '--', file, ...pairs.flat()], { encoding: 'utf8' });
/** The seed step's command, its stdin as the plan gives it. */
const seed = (file: string, pairs: [string, string][]) => spawnSync('sh', ['-c', CIB_SEED_SCRIPT, '--', file], { encoding: 'utf8', input: renderCrmConfigXml(pairs) });
const cibQuery = (file: string, ...args: string[]) => spawnSync('cibadmin', ['-Q', ...args], { encoding: 'utf8', env: { ...process.env, CIB_file: file } });

describe('the seed step in the plan', () => {
  it('runs on each node after corosync.conf, before the cluster starts, with the configuration\'s own values', async () => {
    const a = await lab();
    const steps = planSteps(a);
    const pairs = pairsOf(a);
    expect(pairs.map(([k]) => k).sort()).toEqual([...STARTUP_PROPERTIES].sort());
    expect(Object.fromEntries(pairs)['dc-deadtime']).toBe('5s');
    for (const n of a.nodes) {
      const ids = steps.map((s) => s.id);
      const step = steps.find((s) => s.id === `${n.name}/cib-seed`)!;
      expect(ids.indexOf(`${n.name}/file:/etc/corosync/corosync.conf`)).toBeLessThan(ids.indexOf(step.id));
      expect(ids.indexOf(step.id)).toBeLessThan(ids.indexOf(`${n.name}/cluster-start`));
      expect(step.destructive).toBe(false);
      expect(step.commands).toEqual([['sh', '-c', CIB_SEED_SCRIPT, '--', PACEMAKER_CIB_PATH]]);
      expect(step.stdin).toEqual({ 0: { kind: 'text', text: renderCrmConfigXml(pairs) } });
      expect(step.check?.argv).toEqual(['sh', '-c', CIB_SEED_STATE_SCRIPT, '--', PACEMAKER_CIB_PATH, ...pairs.flat()]);
    }
  });

  it('judges the lab\'s real states: a bare node to do; seeded, or running with the options, done', async () => {
    const a = await lab();
    const seed = planSteps(a).find((s) => s.id === 'lab1/cib-seed')!;
    const check = seed.check!;
    if (check.kind !== 'probe') throw new Error('probe');
    expect(seed.verify).toBeNull();
    expect(parseCibSeedState(captured('absent', 'lab2'))).toEqual({ active: false, absent: true, resources: false, properties: {} });
    expect(check.judge(captured('absent', 'lab2'))).toBe(false);
    expect(check.judge(captured('seeded', 'lab2'))).toBe(true);
    expect(parseCibSeedState(captured('active-no-resources', 'lab1'))?.active).toBe(true);
    expect(check.judge(captured('active-no-resources', 'lab1'))).toBe(true);
    // Another value of a property is to do.
    const st = parseCibSeedState(captured('active-no-resources', 'lab1'))!;
    expect(cibSeeded({ ...st, properties: { ...st.properties, 'dc-deadtime': '20s' } }, pairsOf(a))).toBe(false);
    // A configured cluster: nothing to seed, whatever its properties.
    expect(parseCibSeedState(captured('active-resources', 'lab2'))).toEqual({ active: true, absent: false, resources: true, properties: {} });
    expect(check.judge(captured('active-resources', 'lab2'))).toBe(true);
    expect(check.judge(result('', 127))).toBe(false);
    expect(parseCibSeedState(result('something else\n'))).toBeNull();
  });
});

describe('the seed script, run for real on a CIB file', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'cib-seed-'));

  it('creates an empty CIB with the options where there is none, and is then done', async () => {
    const pairs = pairsOf(await lab());
    const file = join(dir(), 'cib.xml');
    const before = state(file, pairs);
    // This machine runs no Pacemaker: the state script reads the file.
    expect(before.stdout).toBe('pacemaker: inactive\ncib: absent\n');
    const run = seed(file, pairs);
    expect(run.status, run.stderr).toBe(0);
    const crm = cibQuery(file, '-o', 'crm_config');
    expect(crm.status, crm.stderr).toBe(0);
    for (const [k, v] of pairs) expect(crm.stdout).toContain(`name="${k}" value="${v}"`);
    const st = parseCibSeedState({ ...result(state(file, pairs).stdout) });
    expect(st).toEqual({ active: false, absent: false, resources: false, properties: Object.fromEntries(pairs) });
    expect(cibSeeded(st, pairs)).toBe(true);
    const verify = spawnSync('crm_verify', ['-x', file], { encoding: 'utf8' });
    expect(verify.stderr).not.toMatch(/dc-deadtime|load-threshold|node-action-limit/);
  });

  it('adds the options to a CIB without resources and keeps what else it holds', async () => {
    const pairs = pairsOf(await lab());
    const file = join(dir(), 'cib.xml');
    spawnSync('sh', ['-c', 'cibadmin --empty > "$1"', '--', file]);
    const named = spawnSync('crm_attribute', ['--type', 'crm_config', '--name', 'cluster-name', '--update', 'debian'], { env: { ...process.env, CIB_file: file }, encoding: 'utf8' });
    expect(named.status, named.stderr).toBe(0);
    expect(seed(file, pairs).status).toBe(0);
    const crm = cibQuery(file, '-o', 'crm_config').stdout;
    expect(crm).toContain('name="cluster-name" value="debian"');
    for (const [k, v] of pairs) expect(crm).toContain(`name="${k}" value="${v}"`);
  });

  it('leaves a CIB with resources as it is, and counts it done', async () => {
    const pairs = pairsOf(await lab());
    const file = join(dir(), 'cib.xml');
    // A real configured cluster's CIB (test/fixtures/apply/fence-handler/SOURCE.md).
    copyFileSync(join(FIX, 'fence-handler', 'cibadmin_Q.fenced.lab2.xml'), file);
    const bytes = readFileSync(file);
    const run = seed(file, pairs);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/holds resources: left as it is/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const st = parseCibSeedState(result(state(file, pairs).stdout));
    expect(st?.resources).toBe(true);
    expect(cibSeeded(st, pairs)).toBe(true);
  });
});
