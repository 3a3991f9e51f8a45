// One step run: the disks it wipes compared once more with what the admin confirmed, the state it
// requires checked, its commands run with their standard input (an export tree file, fixed text, the
// merged CIB), a file read back, and its verify waited for.
import type { Runner } from '../exec/runner.js';
import { succeeded } from '../exec/runner.js';
import { quoteArgv } from '../exec/shell-quote.js';
import type { PlanStep } from '../plan/types.js';
import { changesSinceReview, reviewDisks } from './disk-review.js';
import { cibMergeInput } from './cib-load.js';
import { recordedFor } from './consent.js';
import { view, type ApplyOutcome } from './events.js';
import { fileState, judgeFile, sha256 } from './file-state.js';
import type { ResyncWatch } from './resync-watch.js';
import { readBackFailure, type RunContext } from './run-context.js';
import { waitForVerify } from './verify-wait.js';

/** Runs one step; null when it ran and verified, else why it stopped. */
export async function runStep(ctx: RunContext, s: PlanStep, resyncs: ResyncWatch): Promise<ApplyOutcome | null> {
  ctx.untouchedTodo.delete(s.id);
  const started = ctx.now();
  ctx.emit({ type: 'step-start', step: view(s), at: started });
  const runner = ctx.runner(s.node);
  const before = (await disksUnchanged(ctx, s, runner)) ?? (await requirements(ctx, s, runner));
  if (before) return before;
  if (s.interruptsService && s.stdin[0]?.kind !== 'cib-merge') ctx.emit({ type: 'message', level: 'warn', text: `${s.node}: ${s.interruptsService}` });
  try {
    const ran = await runCommands(ctx, s, runner);
    if (typeof ran !== 'string') return ran;
    const readBack = await fileReadBack(ctx, s, ran);
    if (readBack) return readBack;
    if (s.verify) {
      const waited = await waitForVerify(ctx, s, runner, s.verify);
      if (waited) return waited;
      if (s.verify.progress === 'md-resync') resyncs.watch(s);
    }
  } finally {
    ctx.cache.invalidate();
  }
  ctx.emit({ type: 'step-done', step: view(s), durationMs: ctx.now() - started });
  return null;
}

/** The last look before wiping: the disk must still be the one the admin confirmed. */
async function disksUnchanged(ctx: RunContext, s: PlanStep, runner: Runner): Promise<ApplyOutcome | null> {
  const reprobed = await reviewDisks(ctx.journaledRunner(runner, s.node, `${s.id} (disk re-probe before wiping)`), s.node, s.wipes, ctx.o.signal, recordedFor(ctx, s.node));
  for (const [i, d] of s.wipes.entries()) {
    const reviewed = ctx.reviews.get(`${s.node}\0${d}`);
    const changes = reviewed ? changesSinceReview(reviewed, reprobed[i]!) : ['was not reviewed'];
    if (changes.length > 0) {
      ctx.o.journal.note(s.node, s.id, `refused to wipe ${d}: ${changes.join('; ')}`);
      return { kind: 'refused', reason: `${s.node}:${d} changed since it was reviewed: ${changes.join('; ')}. Nothing was written to it; check the disk, then run apply again.` };
    }
  }
  return null;
}

/** A state the commands need (PlanStep.requires), checked right before they run. */
async function requirements(ctx: RunContext, s: PlanStep, runner: Runner): Promise<ApplyOutcome | null> {
  if (!s.requires) return null;
  const q = await runner.run(s.requires.argv, { signal: ctx.o.signal, timeoutMs: 60_000 });
  ctx.o.journal.command(s.node, `${s.id} (requires)`, s.requires.argv, q);
  if (q.aborted || ctx.aborted) return { kind: 'interrupted', step: s.id };
  if (s.requires.judge(q)) return null;
  return ctx.fail(s, quoteArgv(s.requires.argv), { ...q, stderr: `${q.stderr}${q.stderr ? '\n' : ''}not run: it needs ${s.requires.describe}; nothing was changed` }, false,
    `"${s.title}" needs ${s.requires.describe}. Check both nodes (drbdadm status); if this is not a fresh pair, set drbd.initialSync to full in the answers. Then run apply again.`);
}

/** Runs the step's commands in order; the last one's stdout, or why the step stops. */
async function runCommands(ctx: RunContext, s: PlanStep, runner: Runner): Promise<string | ApplyOutcome> {
  let lastStdout = '';
  for (const [i, argv] of s.commands.entries()) {
    const stdin = await inputOf(ctx, s, runner, i);
    if ('stop' in stdin) return stdin.stop;
    const command = ctx.o.redactor.redact(quoteArgv(argv));
    ctx.emit({ type: 'command', step: view(s), command });
    const r = await runner.run(argv, { signal: ctx.o.signal, input: stdin.input, timeoutMs: 30 * 60_000 });
    ctx.o.journal.command(s.node, s.id, argv, r, { stdin: stdin.note });
    ctx.cache.invalidate();
    if (r.aborted || ctx.aborted) return { kind: 'interrupted', step: s.id };
    if (!succeeded(r)) return ctx.fail(s, command, r, false, s.failureAdvice?.(r));
    lastStdout = r.stdout;
  }
  return lastStdout;
}

/** Command i's standard input, with the journal's note on it. */
async function inputOf(ctx: RunContext, s: PlanStep, runner: Runner, i: number): Promise<{ input?: string | Buffer; note?: string } | { stop: ApplyOutcome }> {
  const stdin = s.stdin[i];
  if (stdin?.kind === 'export') {
    const f = ctx.o.files.find((x) => x.path === stdin.exportPath);
    if (!f) throw new Error(`export tree lacks ${stdin.exportPath}`); // programmer error: plan and layout disagree
    return { input: f.content, note: `${stdin.exportPath} (${Buffer.byteLength(f.content)} bytes${f.secret ? ', secret' : ''})` };
  }
  if (stdin?.kind === 'text') return { input: stdin.text, note: `${Buffer.byteLength(stdin.text)} bytes of generated text${stdin.secret ? ', secret' : ''}` };
  if (stdin?.kind === 'cib-merge') return cibMergeInput(ctx, s, runner, stdin);
  if (stdin?.kind === 'from-node') {
    const r = await ctx.runner(stdin.node).run(stdin.argv, { signal: ctx.o.signal, timeoutMs: 60_000 });
    // Withheld: what is carried can be a private key (the qdevice node certificate's p12).
    ctx.o.journal.command(stdin.node, `${s.id} (read ${stdin.what} for ${s.node})`, stdin.argv, r, { withheld: true });
    if (r.aborted || ctx.aborted) return { stop: { kind: 'interrupted', step: s.id } };
    if (!succeeded(r)) return { stop: ctx.fail(s, `${stdin.node}: ${quoteArgv(stdin.argv)}`, r, false, `${stdin.what} could not be read on ${stdin.node}: fix it there, then run apply again.`) };
    return { input: r.stdout, note: `${stdin.what} from ${stdin.node} (${Buffer.byteLength(r.stdout)} bytes, withheld)` };
  }
  return {};
}

/**
 * Read back what landed on the node and compare with the export tree's bytes: the record script ends by
 * printing the file's state (src/plan/sh/record-file.sh), else the check reads it.
 */
async function fileReadBack(ctx: RunContext, s: PlanStep, lastStdout: string): Promise<ApplyOutcome | null> {
  if (s.check?.kind !== 'file') return null;
  const file = ctx.fileFor(s)!;
  const st = fileState(lastStdout.trimEnd().split('\n').at(-1) ?? '') ?? (await ctx.fileStateOf(s, s.check));
  if (st && judgeFile(st, file).kind === 'same') return null;
  return ctx.fail(s, quoteArgv(s.check.argv), readBackFailure(s.check.argv, `read back: ${s.check.target} does not hold the generated bytes (expected sha256 ${sha256(file.content)})`));
}
