// Shared by the engine tests: the answers fixtures, the read-only argv of a plan, a recording runner,
// an engine with a journal in a temporary folder and the fake clock, and FakeNodes on the done cluster.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { buildExportFiles } from '../../src/generate/export-layout.js';
import { generateSecrets, secretStrings, type Secrets } from '../../src/generate/secrets.js';
import { planSteps } from '../../src/plan/plan.js';
import { ApplyEngine, type ApplyEvent, type ApplyOptions } from '../../src/apply/engine.js';
import { Journal } from '../../src/apply/journal.js';
import { Redactor } from '../../src/apply/redact.js';
import { LSBLK_ARGV } from '../../src/probes/lsblk.js';
import { BY_ID_ARGV } from '../../src/probes/by-id.js';
import { READ_PINS_ARGV } from '../../src/plan/disk-pins.js';
import { FakeNode } from './fake-node.js';
import { fakeClock } from './fake-clock.js';

export const FIX = join(import.meta.dirname, '../fixtures/apply');

export async function answers(file: string): Promise<Answers> {
  const r = await loadAnswersFile(join(FIX, file));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.answers;
}

/** Every argv the plan may run without changing anything: checks, disk reviews, secret reads. */
export function readOnlyArgv(a: Answers): Set<string> {
  const s = new Set<string>();
  for (const st of planSteps(a)) {
    if (st.check) s.add(JSON.stringify(st.check.argv));
    if (st.verify) s.add(JSON.stringify(st.verify.argv));
  }
  for (const n of a.nodes) for (const d of n.disks) s.add(JSON.stringify(['wipefs', '-n', '--json', d]));
  s.add(JSON.stringify(LSBLK_ARGV));
  s.add(JSON.stringify(BY_ID_ARGV));
  s.add(JSON.stringify(READ_PINS_ARGV));
  return s;
}

export class Recording implements Runner {
  readonly seen: Argv[] = [];
  constructor(private readonly inner: Runner) {}
  get label() {
    return this.inner.label;
  }
  run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    this.seen.push(argv);
    return this.inner.run(argv, o);
  }
  stream(argv: Argv, o: StreamOptions) {
    return this.inner.stream(argv, o);
  }
  close() {
    return this.inner.close();
  }
}

export function setup(a: Answers, runners: Runner[], over: Partial<ApplyOptions> = {}, secrets: Secrets = generateSecrets(a)) {
  const dir = mkdtempSync(join(tmpdir(), 'apply-test-'));
  const clock = fakeClock();
  const log = join(dir, 'journal.log');
  const redactor = new Redactor(secretStrings(secrets));
  const journal = new Journal([log], redactor);
  const events: ApplyEvent[] = [];
  const engine = new ApplyEngine({
    answers: a,
    runners: new Map(a.nodes.map((n, i) => [n.name, runners[i]!])),
    files: buildExportFiles(a, [], secrets),
    journal,
    redactor,
    dryRun: false,
    confirmWipe: async () => true,
    confirmPackages: async () => true,
    confirmReplace: async () => false,
    onEvent: (e) => events.push(e),
    ...clock,
    ...over,
  });
  return { engine, events, log, secrets };
}

export function fakes(a: Answers, failOn?: (argv: Argv) => RunResult | null): FakeNode[] {
  const ro = readOnlyArgv(a);
  return a.nodes.map((n) => new FakeNode(join(FIX, 'done', n.name), n.name, ro, failOn));
}

