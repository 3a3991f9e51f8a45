// The engine's inputs added for fencing (issue 26), run with the real local runner: a file carried from
// another host of the run (`from-node`: read there, written here, its bytes never journaled), a secret text
// input journaled by its size only, and a step's own failure advice (the fence preflight names the
// answers field) instead of the generic one.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalRunner } from '../../src/exec/local-runner.js';
import { step, type PlanStep } from '../../src/plan/types.js';
import { answers, setup } from './engine-harness.js';

const KEY = 'PRIVATE-KEY-bytes-7f3a9c';

async function run(steps: PlanStep[]) {
  const a = await answers('demo-answers.yaml');
  const [n1, n2] = a.nodes.map((n) => n.name) as [string, string];
  const { engine, log } = setup(a, [new LocalRunner({ label: n1 }), new LocalRunner({ label: n2 })], { steps });
  const outcome = await engine.run();
  return { outcome, journal: readFileSync(log, 'utf8'), n1, n2 };
}

describe('a file carried between hosts of the run', () => {
  it('is read on its host with the step\'s argv, written by the step\'s command, and withheld from the journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-carry-'));
    const src = join(dir, 'src.p12');
    const dest = join(dir, 'dest.p12');
    writeFileSync(src, `${KEY}\n\u0000\u00ff binary`);
    const a = await answers('demo-answers.yaml');
    const [n1, n2] = a.nodes.map((n) => n.name);
    const s = step({
      id: `${n2}/carry`, node: n2!, title: 'carry', why: 'test', parallelGroup: '02-qdevice-import-peer',
      commands: [['sh', '-c', 'base64 -d > "$1"', '--', dest]],
      stdin: { 0: { kind: 'from-node', node: n1!, argv: ['base64', '-w0', src], what: 'the key' } },
    });
    const { outcome, journal } = await run([s]);
    expect(outcome.kind).toBe('done');
    expect(readFileSync(dest).equals(readFileSync(src))).toBe(true);
    expect(journal).toContain('[withheld: contains a secret]');
    expect(journal).toMatch(/< the key from .* \(\d+ bytes, withheld\)/);
    expect(journal).not.toContain(Buffer.from(readFileSync(src)).toString('base64'));
  });

  it('a source that cannot be read fails the step before its command runs, saying where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-carry-'));
    const dest = join(dir, 'never');
    const a = await answers('demo-answers.yaml');
    const [n1, n2] = a.nodes.map((n) => n.name);
    const s = step({
      id: `${n2}/carry`, node: n2!, title: 'carry', why: 'test', parallelGroup: '02-qdevice-import-peer',
      commands: [['sh', '-c', 'cat > "$1"', '--', dest]],
      stdin: { 0: { kind: 'from-node', node: n1!, argv: ['base64', '-w0', join(dir, 'missing')], what: 'the CA' } },
    });
    const { outcome } = await run([s]);
    if (outcome.kind !== 'failed') throw new Error(`expected a failure, got ${outcome.kind}`);
    expect(outcome.failure.next).toMatch(/^the CA could not be read on /);
    expect(() => readFileSync(dest)).toThrow();
  });
});

describe('a secret text input and a step\'s own failure advice', () => {
  it('journals the input\'s size only and says the step\'s advice when its command fails', async () => {
    const a = await answers('demo-answers.yaml');
    const s = step({
      id: `${a.nodes[0].name}/fence-status:x`, node: a.nodes[0].name, title: 'ask', why: 'test', parallelGroup: '01-fence-check',
      // Reads its stdin like a fence agent, and fails like one that cannot reach its BMC.
      commands: [['sh', '-c', 'cat >/dev/null; echo "Unable to connect/login to fencing device" >&2; exit 1']],
      stdin: { 0: { kind: 'text', text: 'ip=192.0.2.1\npassword=s3cret-bmc\naction=status\n', secret: { shown: 'password=<x>' } } },
      failureAdvice: (r) => `pacemaker.stonith.nodes.x.ip: cannot reach it (exit ${r.exitCode})`,
    });
    const { outcome, journal } = await run([s]);
    if (outcome.kind !== 'failed') throw new Error(`expected a failure, got ${outcome.kind}`);
    expect(outcome.failure.next).toBe('pacemaker.stonith.nodes.x.ip: cannot reach it (exit 1)');
    expect(outcome.failure.stderr).toContain('Unable to connect/login');
    expect(journal).toMatch(/< 47 bytes of generated text, secret/);
    expect(journal).not.toContain('s3cret-bmc');
  });
});
