// The initial-sync skip: the documented command forms, proven on the real drbdadm of this machine (its
// --dry-run prints the drbdsetup call it would make), and the state the guides require before it.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../src/exec/runner.js';
import { planSteps } from '../../src/plan/plan.js';
import { answers, FIX, readOnlyArgv, setup } from '../apply/engine-harness.js';
import { FakeNode } from '../apply/fake-node.js';

const C = join(import.meta.dirname, '../fixtures/lab-captures');
const captured = (p: string): RunResult => ({ argv: [], exitCode: 0, stdout: readFileSync(join(C, p), 'utf8'), stderr: '', timedOut: false, aborted: false, durationMs: 1 });

/** drbdadm --dry-run: the drbdsetup command line it would run, on a config naming this host. */
function drbdadmDry(program: string, args: string[], v9: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'drbd-skip-'));
  const conf = join(dir, 'drbd.conf');
  const id = (n: number) => (v9 ? ` node-id ${n};` : '');
  writeFileSync(conf, `resource r0 {\n device /dev/drbd0; disk /dev/loop7; meta-disk internal;\n on ${hostname()} { address 10.0.0.1:7789;${id(0)} }\n on peer { address 10.0.0.2:7789;${id(1)} }\n}\n`);
  // drbdadm probes the module (modinfo) and says so on stderr: only stdout is the dry-run's command.
  return execFileSync(program, ['-c', conf, '-d', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

describe('skipping the initial sync', async () => {
  const a = await answers('done-answers.yaml');
  const skip84 = planSteps(a).find((s) => s.id === 'cluster/initial-sync')!;
  const skip9 = planSteps({ ...a, drbd: { ...a.drbd, version: '9' } }).find((s) => s.id === 'cluster/initial-sync')!;

  it('DRBD 9: the user guide\'s `drbdadm new-current-uuid --clear-bitmap RES/VOL` is the drbdsetup clear-bitmap call', () => {
    expect(skip9.commands).toEqual([['drbdadm', 'new-current-uuid', '--clear-bitmap', 'r0/0']]);
    const ours = drbdadmDry('drbdadm', skip9.commands[0]!.slice(1), true);
    expect(ours).toMatch(/^drbdsetup new-current-uuid 0 --clear-bitmap$/m);
    // The spelling the plan used before maps to the same call: nothing changes on nodes set up with it.
    expect(drbdadmDry('drbdadm', ['--clear-bitmap', 'new-current-uuid', 'r0/0'], true)).toBe(ours);
  });

  it('DRBD 8.4 (drbd-utils 9 hand 8.4 kernels to drbdadm-84): drbdsetup(8)\'s `drbdadm new-current-uuid --clear-bitmap RES`', () => {
    expect(skip84.commands).toEqual([['drbdadm', 'new-current-uuid', '--clear-bitmap', 'r0']]);
    const ours = drbdadmDry('/usr/lib/drbd/drbdadm-84', skip84.commands[0]!.slice(1), false);
    expect(ours).toMatch(/drbdsetup-84 new-current-uuid 0 --clear-bitmap$/m);
    expect(drbdadmDry('/usr/lib/drbd/drbdadm-84', ['--', '--clear-bitmap', 'new-current-uuid', 'r0'], false)).toBe(ours);
  });

  it('runs on one node only, once both are connected, Secondary and Inconsistent', () => {
    expect(skip84.cluster).toBe(true);
    const steps = planSteps(a);
    expect(steps.findIndex((s) => s.id === 'cluster/drbd-connect')).toBeLessThan(steps.findIndex((s) => s.id === 'cluster/initial-sync'));
    const req = skip84.requires!;
    expect(req.judge(captured('manual-run/drbdadm_status.connected-inconsistent.node1.txt'))).toBe(true);
    expect(req.judge(captured('drbd-streams/drbdadm_status.initial-syncsource.node1.txt'))).toBe(false);
    expect(req.judge(captured('manual-run/drbdadm_status.uptodate.node1.txt'))).toBe(false);
    expect(req.judge(captured('drbd-streams/drbdadm_status.peer-lost-wfconnection.node1.txt'))).toBe(false);
  });

  it('refuses, changing nothing, on a pair that is not fresh', async () => {
    const node1 = new FakeNode(join(FIX, 'drbd-skip-not-fresh', 'node1'), 'node1', readOnlyArgv(a));
    const { engine } = setup(a, [node1, node1], { steps: [skip84] });
    const out = await engine.run();
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') {
      expect(out.failure.stderr).toMatch(/not run: it needs r0 is connected, Secondary and Inconsistent on both nodes/);
      expect(out.failure.next).toMatch(/initialSync to full/);
    }
    expect(node1.mutations).toEqual([]);
  });
});
