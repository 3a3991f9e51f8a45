// The fence preflight (issue 26, bad input "a BMC address the node cannot reach"): the agent's own
// `-o status`, options on stdin, run for real: fence_ipmilan against OpenIPMI's BMC simulator (the lab's
// test/lab/bmc-conf.sh configuration, a chassis-control program reporting the machine on) answers ON: no problem; the
// same against a port where no BMC listens: one error naming the address field. And `sbd create`'s
// parts: destructive, wiping exactly the SBD disk, "done" only when the header has our timeouts.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { fenceStatusProblem, fenceStatusProbes, sbdCreateStepParts } from '../../src/generate/fencing-steps.js';
import { describeRun, runTool } from '../helpers/validators/run.js';
import { planSteps } from '../../src/plan/plan.js';
import { renderPlanScript } from '../../src/generate/plan-script.js';
import type { PlanStep } from '../../src/plan/types.js';

const IPMI = readFileSync('examples/varied/nfs3-stay-fence-ipmilan.yaml', 'utf8');
function load(text: string): Answers {
  const r = parseAnswersText(text);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.answers;
}
/** A free UDP port on 127.0.0.1 (the other agents' tests run beside this one). */
function freeUdpPort(): number {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (!runTool(['ss', '-Hlun', `sport = :${port}`]).stdout.trim()) return port;
  }
  throw new Error('no free UDP port');
}

describe('fence preflight with fence_ipmilan -o status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-bmc-'));
  const port = freeUdpPort();
  let sim: ReturnType<typeof spawn> | undefined;
  beforeAll(async () => {
    const conf = runTool(['bash', 'test/lab/bmc-conf.sh', dir, 'nfs1', String(port), 'admin', 's3cret-ipmi', '1', 'echo power:1']);
    expect(conf.code, describeRun('bmc-conf.sh', conf)).toBe(0);
    sim = spawn('ipmi_sim', ['-c', join(dir, 'lan.conf'), '-f', join(dir, 'bmc.emu'), '-s', join(dir, 'state'), '-n'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !runTool(['ss', '-Hlun', `sport = :${port}`]).stdout.trim(); i++) await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => {
    // The chassis program ("echo power:1": ipmi_sim appends "get power" and reads "power:1", the
    // protocol test/lab/bmc-power.sh describes) runs per request and leaves nothing behind: only the
    // simulator to stop, by PID.
    sim?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const probeFor = (ip: string, ipport: number) => {
    const a = load(IPMI.replace('nfs1: { ip: 192.168.20.11,', `nfs1: { ip: ${ip}, ipport: ${ipport}, login_timeout: 3,`));
    return fenceStatusProbes(a).find((p) => p.target === 'nfs1')!;
  };

  it('runs on the peer, never puts the password on the command line', () => {
    const p = probeFor('127.0.0.1', port);
    expect(p.runOn).toBe('nfs2');
    expect(p.argv).toEqual(['fence_ipmilan']);
    expect(p.argv.join(' ')).not.toContain('s3cret-ipmi');
    expect(p.stdin).toContain('password=s3cret-ipmi\n');
    expect(p.stdin).toMatch(/\naction=status\n$/);
  });

  it('a BMC that answers: no problem (the agent says ON)', () => {
    const p = probeFor('127.0.0.1', port);
    const r = runTool([...p.argv], { input: p.stdin });
    expect(r.stdout, describeRun('fence_ipmilan', r)).toMatch(/Status: ON/);
    expect(fenceStatusProblem(p, { exitCode: r.code ?? -1, stdout: r.stdout, stderr: r.stderr })).toBeNull();
  }, 90_000);

  /** What the engine runs for the plan's step: its argv, its stdin text (src/apply/step-runner.ts). */
  const runPlanStep = (s: PlanStep) => {
    const stdin = s.stdin[0];
    if (stdin?.kind !== 'text') throw new Error('expected the options as text on stdin');
    return runTool([...s.commands[0]!], { input: stdin.text });
  };
  const planStepFor = (ip: string, ipport: number) => {
    const a = load(IPMI.replace('nfs1: { ip: 192.168.20.11,', `nfs1: { ip: ${ip}, ipport: ${ipport}, login_timeout: 3,`));
    return { a, s: planSteps(a).find((x) => x.id === 'nfs2/fence-status:nfs1')! };
  };

  it('the plan\'s preflight step: on the peer, the password only on stdin (secret), not in plan/<node>.sh', () => {
    const { a, s } = planStepFor('127.0.0.1', port);
    expect(s.node).toBe('nfs2');
    expect(s.parallelGroup).toBe('01-fence-check');
    expect(JSON.stringify(s.commands)).not.toContain('s3cret-ipmi');
    const stdin = s.stdin[0]!;
    expect(stdin.kind === 'text' && stdin.secret !== undefined && stdin.text.includes('password=s3cret-ipmi\n')).toBe(true);
    const script = renderPlanScript(a, 'nfs2');
    expect(script).toContain('fence_ipmilan');
    expect(script).toMatch(/^password=<the value from the answers, not written here>$/m);
    expect(script).not.toContain('s3cret-ipmi');
  });

  it('the plan\'s preflight step passes against a BMC that answers', () => {
    const { s } = planStepFor('127.0.0.1', port);
    const r = runPlanStep(s);
    expect(r.code, describeRun('fence-status', r)).toBe(0);
  }, 90_000);

  it('the plan\'s preflight step fails against an unreachable BMC, its advice naming the field first', () => {
    const { s } = planStepFor('127.0.0.1', freeUdpPort());
    const r = runPlanStep(s);
    expect(r.code, describeRun('fence-status', r)).not.toBe(0);
    const advice = s.failureAdvice!({ argv: s.commands[0]!, exitCode: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: false, aborted: false, durationMs: 0 });
    expect(advice).toMatch(/^pacemaker\.stonith\.nodes\.nfs1\.ip: nfs2 cannot reach nfs1's fence device with fence_ipmilan -o status \(.+\).*nothing was configured/);
  }, 90_000);

  it('a BMC nobody answers at: one error naming the address field', () => {
    const p = probeFor('127.0.0.1', freeUdpPort());
    const r = runTool([...p.argv], { input: p.stdin });
    expect(r.code, describeRun('fence_ipmilan', r)).not.toBe(0);
    const problem = fenceStatusProblem(p, { exitCode: r.code ?? -1, stdout: r.stdout, stderr: r.stderr });
    expect(p.field).toBe('pacemaker.stonith.nodes.nfs1.ip');
    expect(problem).toMatch(/^nfs2 cannot reach nfs1's fence device with fence_ipmilan -o status \(.*\): check the address/);
  }, 90_000);
});

describe('sbd create as a step', () => {
  it('wipes exactly the SBD disk and is done only when the header carries our timeouts', () => {
    const a = load(readFileSync('examples/answers.yaml', 'utf8').replace(/^ {2}stonith: none.*$/m, '  stonith: { sbd: { device: /dev/disk/by-id/scsi-sbd1, watchdogTimeout: 5 } }'));
    const s = sbdCreateStepParts(a)!;
    expect(s.wipes).toEqual(['/dev/disk/by-id/scsi-sbd1']);
    expect(s.command).toEqual(['sbd', '-d', '/dev/disk/by-id/scsi-sbd1', '-1', '5', '-4', '10', 'create']);
    const dump = readFileSync('test/fixtures/probes/sbd/sbd_d_dump.created-5-10.txt', 'utf8');
    const rr = (exitCode: number, stdout: string) => ({ argv: s.check, exitCode, stdout, stderr: '', timedOut: false, aborted: false }) as never;
    expect(s.done(rr(0, dump))).toBe(true);
    expect(s.done(rr(0, dump.replace('Timeout (msgwait)  : 10', 'Timeout (msgwait)  : 20')))).toBe(false);
    expect(s.done(rr(1, ''))).toBe(false);
    expect(sbdCreateStepParts(load(IPMI))).toBeNull();
  });
});
