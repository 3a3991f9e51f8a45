// The plan's CIB step run with Pacemaker's own cibadmin on a CIB file (CIB_file), as it runs on a node:
// loading into an empty CIB and into the lab's real live CIB, then the step's check, then crm_verify.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildCibModel, drbdPrimitiveId } from '../../src/generate/cib-model.js';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { LocalRunner } from '../../src/exec/local-runner.js';
import { cibDifferences, cibResourceIds, mergeCibConfiguration } from '../../src/generate/cib-merge.js';
import { planSteps } from '../../src/plan/plan.js';
import { type PlanStep } from '../../src/plan/types.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { healthyAttributes } from '../../src/rehearse/scenarios.js';
import { parseSimulation } from '../../src/rehearse/engine.js';

async function lab(): Promise<Answers> {
  const r = await loadAnswersFile(join(import.meta.dirname, '../fixtures/apply/done-answers.yaml'));
  if (!r.ok) throw new Error('fixture answers do not load');
  return r.answers;
}

/** The project lab's answers (test/lab/lab-answers.yaml): the fence-handler capture's cluster. */
async function labAnswers(): Promise<Answers> {
  const r = await loadAnswersFile(join(import.meta.dirname, '../lab/lab-answers.yaml'));
  if (!r.ok) throw new Error('test/lab/lab-answers.yaml does not load');
  return r.answers;
}

/** Runs the step as the engine does (the merge computed from the live CIB), or as plan/<node>.sh does. */
async function runCibStep(step: PlanStep, runner: LocalRunner, how: 'engine' | 'script' = 'engine'): Promise<void> {
  const commands = how === 'script' ? step.script!.commands : step.commands;
  const stdins = how === 'script' ? step.script!.stdin : step.stdin;
  for (const [i, argv] of commands.entries()) {
    const stdin = stdins[i];
    let input: string | undefined;
    if (stdin?.kind === 'text') input = stdin.text;
    if (stdin?.kind === 'cib-merge') input = mergeCibConfiguration((await runner.run(['cibadmin', '-Q'])).stdout, stdin.cib) ?? undefined;
    // plan/<node>.sh reads cluster/cib.xml relative to the export tree: point it at the generated one.
    const r = await runner.run(argv.map((x) => (x === 'cluster/cib.xml' ? exportedCib(step) : x)), { input });
    expect(r.exitCode, `${argv.join(' ')}: ${r.stderr}${r.error ?? ''}`).toBe(0);
  }
}

/** The step's CIB written as an export tree would hold it; returns its absolute path. */
function exportedCib(step: PlanStep): string {
  const stdin = step.stdin[0];
  if (stdin?.kind !== 'cib-merge') throw new Error('cib step carries the CIB');
  const file = join(mkdtempSync(join(tmpdir(), 'cib-tree-')), 'cib.xml');
  writeFileSync(file, stdin.cib);
  return file;
}

async function isDone(step: PlanStep, runner: LocalRunner): Promise<boolean> {
  if (step.check?.kind !== 'probe') throw new Error('cib step has a probe check');
  return step.check.judge(await runner.run(step.check.argv));
}

describe('the CIB step with the real cibadmin', () => {
  it('loads into an empty CIB, then checks done; a changed answer is detected and applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cib-'));
    const file = join(dir, 'cib.xml');
    const empty = spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' });
    expect(empty.status, empty.stderr).toBe(0);
    writeFileSync(file, empty.stdout);
    const runner = new LocalRunner({ env: { CIB_file: file } });
    const a = await lab();
    const step = planSteps(a).find((s) => s.id === 'cluster/cib')!;
    expect(await isDone(step, runner)).toBe(false);
    await runCibStep(step, runner);
    expect(await isDone(step, runner)).toBe(true);
    const verify = spawnSync('crm_verify', ['-x', file], { encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);

    const changed = planSteps({ ...a, pacemaker: { ...a.pacemaker, stickiness: 500 } }).find((s) => s.id === 'cluster/cib')!;
    expect(await isDone(changed, runner)).toBe(false);
    await runCibStep(changed, runner);
    expect(await isDone(changed, runner)).toBe(true);
    expect(await isDone(step, runner)).toBe(false);
  });

  it('plan/<node>.sh\'s section-by-section load works on a fresh cluster\'s empty CIB', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cib-')), 'cib.xml');
    writeFileSync(file, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const runner = new LocalRunner({ env: { CIB_file: file } });
    const step = planSteps(await lab()).find((s) => s.id === 'cluster/cib')!;
    await runCibStep(step, runner, 'script');
    expect(await isDone(step, runner)).toBe(true);
    expect(spawnSync('crm_verify', ['-x', file]).status).toBe(0);
  });

  it('replaces the resources of a live CIB (the lab\'s real one) and keeps Pacemaker\'s own properties', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cib-'));
    const file = join(dir, 'cib.xml');
    copyFileSync(join(import.meta.dirname, '../fixtures/lab-captures/manual-run/cibadmin_Q.nfs-running.xml'), file);
    const runner = new LocalRunner({ env: { CIB_file: file } });
    const step = planSteps(await lab()).find((s) => s.id === 'cluster/cib')!;
    expect(await isDone(step, runner)).toBe(false);
    await runCibStep(step, runner);
    expect(await isDone(step, runner)).toBe(true);
    const q = await runner.run(['cibadmin', '-Q']);
    expect(q.stdout).toMatch(/name="dc-version"/);
    expect(q.stdout).toMatch(/name="cluster-infrastructure" value="corosync"/);
    expect(q.stdout).toMatch(/<node id="1" uname="node1"\/>/);
    // The lab's status section still shows its own resource ids running: crm_verify warns about those
    // orphans (Pacemaker stops them), and finds no error in the merged configuration.
    const verify = spawnSync('crm_verify', ['-V', '-V', '-x', file], { encoding: 'utf8' });
    expect(verify.stderr).toMatch(/orphan p_ip/);
    expect(verify.stderr, verify.stderr).not.toMatch(/error/i);
  });

  it('keeps the constraint DRBD\'s fence-peer handler placed: neither a difference nor replaced away', async () => {
    // The lab's live CIB while the replication link was cut (test/fixtures/apply/fence-handler/SOURCE.md):
    // crm-fence-peer.sh had placed drbd-fence-by-handler-nfsdata-cl_drbd_nfsdata, forbidding the outdated
    // lab1 to be promoted. Before 2026-11-27 apply counted it as a changed constraint and replaced the
    // section, dropping it (seen on the lab with the build of 489a8ff).
    const file = join(mkdtempSync(join(tmpdir(), 'cib-')), 'cib.xml');
    copyFileSync(join(import.meta.dirname, '../fixtures/apply/fence-handler/cibadmin_Q.fenced.lab2.xml'), file);
    const runner = new LocalRunner({ env: { CIB_file: file } });
    const a = await labAnswers();
    const fence = /<rsc_location rsc="cl_drbd_nfsdata" id="drbd-fence-by-handler-nfsdata-cl_drbd_nfsdata">/;
    // crm_config and resources differ: the capture predates the dc-deadtime property (session 14) and the
    // ping clone's 10 s monitor with its 2 s reply wait (session 18). The handler's constraint is not a
    // difference: constraints are not listed.
    expect(cibDifferences((await runner.run(['cibadmin', '-Q'])).stdout, renderCibXml(a))).toEqual(['crm_config', 'resources']);
    // A real change (another stickiness) is applied, and the handler's constraint is still there after it.
    const changed = planSteps({ ...a, pacemaker: { ...a.pacemaker, stickiness: a.pacemaker.stickiness + 100 } }).find((s) => s.id === 'cluster/cib')!;
    expect(await isDone(changed, runner)).toBe(false);
    await runCibStep(changed, runner);
    expect(await isDone(changed, runner)).toBe(true);
    const q = await runner.run(['cibadmin', '-Q', '-o', 'constraints']);
    expect(q.stdout).toMatch(fence);
    expect(q.stdout).toMatch(/<expression attribute="#uname" operation="ne" value="lab2" id="drbd-fence-by-handler-nfsdata-expr-cl_drbd_nfsdata"\/>/);
    const verify = spawnSync('crm_verify', ['-x', file], { encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    // The handler's own unfence (crm-unfence-peer.sh: cibadmin -D of that id) leaves ours complete.
    const unfence = await runner.run(['cibadmin', '-D', '-X', '<rsc_location rsc="cl_drbd_nfsdata" id="drbd-fence-by-handler-nfsdata-cl_drbd_nfsdata"/>']);
    expect(unfence.exitCode, unfence.stderr).toBe(0);
    expect((await runner.run(['cibadmin', '-Q', '-o', 'constraints'])).stdout).not.toMatch(fence);
    expect(await isDone(changed, runner)).toBe(true);
  });

  it('a restart through crm_resource leaves the CIB "done": its empty meta_attributes set is no change', async () => {
    // The lab's observation: after the NFS-restart step (crm_resource --restart), the next apply of an
    // unchanged cluster rewrote the CIB. crm_resource sets target-role=Stopped in a new attribute set, then
    // deletes the nvpair and keeps the set; the same two calls here, with the real crm_resource on a file.
    const file = join(mkdtempSync(join(tmpdir(), 'cib-')), 'cib.xml');
    writeFileSync(file, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const runner = new LocalRunner({ env: { CIB_file: file } });
    const step = planSteps(await lab()).find((s) => s.id === 'cluster/cib')!;
    await runCibStep(step, runner);
    const meta = (...args: string[]) => runner.run(['crm_resource', '--resource', 'p_nfsserver', '--meta', ...args]);
    const stop = await meta('--set-parameter', 'target-role', '--parameter-value', 'Stopped');
    expect(stop.exitCode, stop.stderr).toBe(0);
    // An admin's stop is a real difference: apply puts the resource back under its own configuration.
    expect(await isDone(step, runner)).toBe(false);
    const del = await meta('--delete-parameter', 'target-role');
    expect(del.exitCode, del.stderr).toBe(0);
    const q = await runner.run(['cibadmin', '-Q', '-o', 'resources']);
    expect(q.stdout).toMatch(/<meta_attributes id="p_nfsserver-meta_attributes"\/>/);
    expect(await isDone(step, runner)).toBe(true);
  });
});

const EXAMPLES = ['examples/answers.yaml', ...readdirSync('examples/varied').filter((f) => f.endsWith('.yaml')).sort().map((f) => join('examples/varied', f))];

describe('the ping clone first (cluster/cib-ping), with the real cibadmin', () => {
  it('loads the ping clone alone into a fresh CIB; the whole configuration then loads over it and checks done', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cib-')), 'cib.xml');
    writeFileSync(file, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const runner = new LocalRunner({ env: { CIB_file: file } });
    const steps = planSteps(await lab());
    const early = steps.find((s) => s.id === 'cluster/cib-ping')!;
    const full = steps.find((s) => s.id === 'cluster/cib')!;
    expect(early.background).toBeDefined();
    expect(await isDone(early, runner)).toBe(false);
    await runCibStep(early, runner);
    expect(await isDone(early, runner)).toBe(true);
    const q = (await runner.run(['cibadmin', '-Q', '--scope', 'resources'])).stdout;
    // The ping clone and nothing else; no constraint names a resource that is not there (crm_verify).
    expect([...q.matchAll(/<primitive\b[^>]*\bid="([^"]*)"/g)].map((m) => m[1])).toEqual(['p_ping']);
    expect((await runner.run(['cibadmin', '-Q', '--scope', 'constraints'])).stdout).not.toMatch(/rsc_/);
    let verify = spawnSync('crm_verify', ['-x', file], { encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(await isDone(full, runner)).toBe(false);
    await runCibStep(full, runner);
    expect(await isDone(full, runner)).toBe(true);
    verify = spawnSync('crm_verify', ['-x', file], { encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });

  it('every example answers file: ping clone, then everything with the group held stopped, then the whole configuration, each passing crm_verify', async () => {
    let fenced = 0;
    for (const path of EXAMPLES) {
      const r = await loadAnswersFile(path);
      if (!r.ok) throw new Error(`${path} does not load`);
      const steps = planSteps(r.answers);
      const model = buildCibModel(r.answers);
      const file = join(mkdtempSync(join(tmpdir(), 'cib-')), 'cib.xml');
      writeFileSync(file, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
      const runner = new LocalRunner({ env: { CIB_file: file } });
      const resources = async () => cibResourceIds((await runner.run(['cibadmin', '-Q'])).stdout);
      await runCibStep(steps.find((s) => s.id === 'cluster/cib-ping')!, runner);
      const early = (await runner.run(['cibadmin', '-Q', '--scope', 'resources'])).stdout;
      // With fencing on, Pacemaker starts nothing until a fence device exists: they come first too.
      if (r.answers.pacemaker.stonith !== 'none') {
        fenced += 1;
        expect(early, path).toMatch(/class="stonith"/);
      }
      expect(await resources(), path).not.toContain(model.drbd.id);
      let verify = spawnSync('crm_verify', ['-x', file], { encoding: 'utf8' });
      expect(verify.status, `${path}: ${verify.stdout}${verify.stderr}`).toBe(0);
      const held = steps.find((s) => s.id === 'cluster/cib-held')!;
      expect(await isDone(held, runner), path).toBe(false);
      await runCibStep(held, runner);
      expect(await isDone(held, runner), path).toBe(true);
      expect(await resources(), path).toEqual(expect.arrayContaining([model.drbd.id, model.group.id, ...model.group.members.map((p) => p.id)]));
      // The group held: its target-role, as crm_resource reads it from the CIB.
      const role = await runner.run(['crm_resource', '--resource', model.group.id, '--meta', '--get-parameter', 'target-role']);
      expect(role.stdout.trim(), `${path}: ${role.stderr}`).toBe('Stopped');
      verify = spawnSync('crm_verify', ['-x', file], { encoding: 'utf8' });
      expect(verify.status, `${path}: ${verify.stdout}${verify.stderr}`).toBe(0);
      const full = steps.find((s) => s.id === 'cluster/cib')!;
      expect(await isDone(full, runner), path).toBe(false);
      await runCibStep(full, runner);
      expect(await isDone(full, runner), path).toBe(true);
      expect((await runner.run(['cibadmin', '-Q', '--scope', 'resources'])).stdout, path).not.toMatch(/target-role/);
      verify = spawnSync('crm_verify', ['-x', file], { encoding: 'utf8' });
      expect(verify.status, `${path}: ${verify.stdout}${verify.stderr}`).toBe(0);
    }
    expect(fenced).toBeGreaterThan(0);
  });

  it('Pacemaker\'s scheduler: under the held configuration DRBD is promoted and nothing of the group starts; the whole one then only starts the group there', async () => {
    // crm_simulate runs each transition (-S) as if every action succeeded; the attributes the agents
    // publish (ping, DRBD's promotion score) are set as a healthy pair has them (the rehearsal's).
    for (const path of EXAMPLES) {
      const r = await loadAnswersFile(path);
      if (!r.ok) throw new Error(`${path} does not load`);
      const a = r.answers;
      const steps = planSteps(a);
      const dir = mkdtempSync(join(tmpdir(), 'cib-sim-'));
      const file = join(dir, 'cib.xml');
      writeFileSync(file, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
      const runner = new LocalRunner({ env: { CIB_file: file } });
      await runCibStep(steps.find((s) => s.id === 'cluster/cib-ping')!, runner);
      await runCibStep(steps.find((s) => s.id === 'cluster/cib-held')!, runner);
      let seq = 0;
      const simulate = (input: string, extra: string[] = []) => {
        const out = join(dir, `state-${++seq}.xml`);
        const p = spawnSync('crm_simulate', ['-x', input, '-S', ...extra, '-O', out, '--output-as=xml'], { encoding: 'utf8' });
        expect(p.status, `${path}: ${p.stderr}`).toBe(0);
        const sim = parseSimulation(p.stdout);
        expect(sim, path).not.toBeNull();
        return { out, actions: sim!.actions, status: sim!.status };
      };
      let cur = simulate(file, ['-u', a.nodes[0].name, '-u', a.nodes[1].name, '-q', '1']).out;
      for (const n of a.nodes) {
        for (const [name, value] of healthyAttributes(a)) {
          const p = spawnSync('crm_attribute', ['-N', n.name, '-n', name, '-v', value, '-l', 'reboot'], { encoding: 'utf8', env: { ...process.env, CIB_file: cur } });
          expect(p.status, p.stderr).toBe(0);
        }
      }
      // Settled under the held configuration: DRBD promoted on one node, nothing of the group started.
      const group = buildCibModel(a).group.members.map((p) => p.id);
      let promoted: string[] = [];
      for (let i = 0; ; i++) {
        expect(i, `${path}: the held configuration does not settle`).toBeLessThan(6);
        const sim = simulate(cur);
        expect(sim.actions.filter((x) => /^Start /.test(x) && group.some((id) => x.includes(`${id} `))), path).toEqual([]);
        if (sim.actions.length === 0) {
          promoted = sim.status.resources.filter((x) => x.id.startsWith(drbdPrimitiveId(a)) && x.role === 'Promoted').map((x) => x.nodes.join(','));
          expect(sim.status.resources.filter((x) => group.includes(x.id) && x.active), path).toEqual([]);
          break;
        }
        cur = sim.out;
      }
      expect(promoted, path).toHaveLength(1);
      // The whole configuration merged over that live CIB: the service starts where DRBD is Promoted,
      // and DRBD is neither demoted, stopped nor restarted.
      const live = readFileSync(cur, 'utf8');
      const fullStdin = steps.find((s) => s.id === 'cluster/cib')!.stdin[0];
      if (fullStdin?.kind !== 'cib-merge') throw new Error('cluster/cib carries the CIB');
      const merged = mergeCibConfiguration(live, fullStdin.cib)!;
      const withFull = live.replace(/<configuration>[\s\S]*<\/configuration>/, () => merged);
      const next = join(dir, 'full.xml');
      writeFileSync(next, withFull);
      const first = simulate(next);
      expect(first.actions.filter((x) => /drbd/i.test(x)), path).toEqual([]);
      expect(first.actions.filter((x) => /^Start /.test(x)).length, path).toBe(group.length);
      expect(first.actions.every((x) => x.includes(promoted[0]!)), `${path}: ${first.actions.join('; ')}`).toBe(true);
    }
  });

  it('is done on a cluster that has resources, so it never replaces them with the ping clone alone', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cib-')), 'cib.xml');
    copyFileSync(join(import.meta.dirname, '../fixtures/apply/fence-handler/cibadmin_Q.fenced.lab2.xml'), file);
    const runner = new LocalRunner({ env: { CIB_file: file } });
    const early = planSteps(await labAnswers()).find((s) => s.id === 'cluster/cib-ping')!;
    expect(await isDone(early, runner)).toBe(true);
    const stdin = early.stdin[0];
    expect(stdin?.kind === 'cib-merge' && stdin.over).toEqual(['cl_ping', 'p_ping']);
  });
});
