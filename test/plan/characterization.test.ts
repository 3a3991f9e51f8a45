// The proof that a refactoring of the plan and the engine changed no behaviour: the whole plan of every
// example answers file, of the lab's and of the apply fixtures' answers (every step's id, node, group,
// order, argv, stdin, checks, doneIf, verify), with every judge of a check or verify evaluated on a fixed
// corpus of real captured outputs (demo-lab/ and test/fixtures/apply/), and the engine's dry runs on the
// replayed demo and done clusters, compared with test/plan/characterization.golden.json. The golden was
// written by the code before the refactoring (HANFS_WRITE_GOLDEN=1 rewrites it: only ever on purpose).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import type { RunResult } from '../../src/exec/runner.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { buildExportFiles } from '../../src/generate/export-layout.js';
import { planSteps } from '../../src/plan/plan.js';
import { ApplyEngine, type ApplyEvent } from '../../src/apply/engine.js';
import { Journal } from '../../src/apply/journal.js';
import { Redactor } from '../../src/apply/redact.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GOLDEN = join(ROOT, 'test/plan/characterization.golden.json');

const ANSWERS = [
  'examples/answers.yaml',
  'examples/varied/kvm-guests-fence-virsh.yaml',
  'examples/varied/nfs3-stay-fence-ipmilan.yaml',
  'examples/varied/shared-nic-drbd9-nfs34.yaml',
  'examples/varied/xfs-drbd9-byid.yaml',
  'test/lab/lab-answers.yaml',
  'test/fixtures/apply/demo-answers.yaml',
  'test/fixtures/apply/done-answers.yaml',
];

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** The corpus: every captured output file (no manifests, no notes), as a successful command's stdout. */
function corpusFiles(): string[] {
  return ['demo-lab', 'test/fixtures/apply'].flatMap((d) => walk(join(ROOT, d)))
    .filter((p) => !/(manifest\.json|\.md|\.yaml|\.mjs)$/.test(p))
    .map((p) => relative(ROOT, p));
}

function result(stdout: string, exitCode: number | null = 0): RunResult {
  return { argv: [], exitCode, stdout, stderr: '', timedOut: false, aborted: false, durationMs: 5 };
}

const hash = (x: unknown) => createHash('sha256').update(JSON.stringify(x) ?? 'undefined').digest('hex').slice(0, 16);

/** A function of a RunResult, as what it answers on the corpus (in order; stateful judges see it in order). */
function evaluate(fn: (r: RunResult) => unknown, corpus: RunResult[]): { truthy: number; hash: string } {
  const out = corpus.map((r) => {
    try {
      return fn(r) ?? null;
    } catch (e) {
      return `throws: ${(e as Error).message}`;
    }
  });
  return { truthy: out.filter((x) => x !== null && x !== false && !(Array.isArray(x) && x.length === 0)).length, hash: hash(out) };
}

function dumpValue(v: unknown, corpus: RunResult[]): unknown {
  if (typeof v === 'function') return { fn: evaluate(v as (r: RunResult) => unknown, corpus) };
  if (Buffer.isBuffer(v)) return { buffer: hash(v.toString('base64')) };
  if (Array.isArray(v)) return v.map((x) => dumpValue(x, corpus));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, dumpValue((v as Record<string, unknown>)[k], corpus)]));
  }
  return v;
}

async function load(file: string): Promise<Answers> {
  const r = await loadAnswersFile(join(ROOT, file));
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.problems)}`);
  return r.answers;
}

/** The plan, step by step in order, with its position and every field (functions evaluated). */
export async function dumpPlans(corpusNames: string[]): Promise<Record<string, unknown>> {
  const corpus = [result('', 1), result('', null), ...corpusNames.map((f) => result(readFileSync(join(ROOT, f), 'utf8')))];
  const out: Record<string, unknown> = {};
  for (const file of ANSWERS) {
    const a = await load(file);
    out[file] = planSteps(a).map((s, order) => ({ order, ...(dumpValue(s, corpus) as object) }));
  }
  return out;
}

/** The engine's dry run on a replayed cluster: every event but its times, then the outcome. */
async function dryRun(answersFile: string, dirs: [string, string]): Promise<unknown[]> {
  const a = await load(answersFile);
  const runners = new Map(a.nodes.map((n, i) => [n.name, new ReplayRunner({ dir: join(ROOT, dirs[i]!) })]));
  const redactor = new Redactor([]);
  const journal = new Journal([join(mkdtempSync(join(tmpdir(), 'plan-golden-')), 'journal.log')], redactor);
  const events: ApplyEvent[] = [];
  let t = 0;
  const engine = new ApplyEngine({
    answers: a, runners, files: buildExportFiles(a, [], { drbdSecret: 'fixed-secret-for-the-golden', corosyncAuthkey: Buffer.alloc(256, 7) }), journal, redactor, dryRun: true,
    confirmWipe: async () => true, confirmPackages: async () => true, confirmReplace: async () => false,
    onEvent: (e) => events.push(e), sleep: async () => {}, now: () => (t += 1000),
  });
  const outcome = await engine.run();
  const strip = (e: unknown) => JSON.parse(JSON.stringify(e, (k, v) => (k === 'at' || k === 'durationMs' ? undefined : v)));
  return [...events.map(strip), { outcome: strip(outcome) }];
}

describe('the plan and the engine behave as before the refactoring', () => {
  it('dumps the same plan for every answers file and the same dry runs as the golden', async () => {
    const golden = existsSync(GOLDEN) ? (JSON.parse(readFileSync(GOLDEN, 'utf8')) as { corpus: string[] }) : null;
    const corpus = golden?.corpus ?? corpusFiles();
    for (const f of corpus) expect(existsSync(join(ROOT, f)), `corpus file ${f}`).toBe(true);
    const now = {
      corpus,
      plans: await dumpPlans(corpus),
      dryRuns: {
        'demo-answers on demo-lab/bare': await dryRun('test/fixtures/apply/demo-answers.yaml', ['demo-lab/bare/node1', 'demo-lab/bare/node2']),
        'done-answers on fixtures/apply/done': await dryRun('test/fixtures/apply/done-answers.yaml', ['test/fixtures/apply/done/node1', 'test/fixtures/apply/done/node2']),
      },
    };
    if (process.env.HANFS_WRITE_GOLDEN === '1' || golden === null) writeFileSync(GOLDEN, `${JSON.stringify(now, null, 1)}\n`);
    // HANFS_GOLDEN_OUT=<file>: the dump of this run, to compare with the golden by other means than toEqual.
    if (process.env.HANFS_GOLDEN_OUT) writeFileSync(process.env.HANFS_GOLDEN_OUT, `${JSON.stringify(now, null, 1)}\n`);
    expect(golden, 'no golden yet: written now, run again').not.toBeNull();
    expect(now).toEqual(golden);
  }, 120_000);
});
