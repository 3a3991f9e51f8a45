// The assessment: whether each step's effect is in place, from its read-only check or from a later step
// whose "done" implies it (doneIf), read on both nodes at once before anything runs, and again right
// before each step runs.
import type { PlanStep } from '../plan/types.js';
import type { StepStatus } from './events.js';
import { judgeFile } from './file-state.js';
import type { RunContext } from './run-context.js';

export type Status = { status: StepStatus; reason: string };

/** Checks read at once per node while assessing: a few sessions over the node's one SSH connection. */
export const ASSESS_CONCURRENCY = 4;

/** Is the step's effect in place now? Its own check, or a later step whose "done" implies it. */
export async function stepStatus(ctx: RunContext, s: PlanStep, seen = new Set<string>()): Promise<Status> {
  if (s.check) {
    const own = await ownCheck(ctx, s, seen);
    if (own) return own;
  }
  seen.add(s.id);
  for (const id of s.doneIf) {
    const later = ctx.byId.get(id);
    if (!later || seen.has(id)) continue;
    // A later step that was to do when the run began and has not run since is still to do: only it
    // brings about its own state (the plan's doneIf names later steps, whose effect no earlier step
    // has). Its check is not read again after every command (6-12 s of the lab's first node per run).
    // Only ever a "to do" that is not re-read: the step's own check above always is.
    if (ctx.untouchedTodo.has(id)) continue;
    if (later.check && (await stepStatus(ctx, later, seen)).status !== 'todo') return { status: 'implied', reason: `implied by "${later.title}"` };
  }
  return { status: 'todo', reason: s.check ? `not yet: ${s.check.describe}` : 'always runs (waits and checks)' };
}

/** The step's own check: done, to do because of a step it must follow (alsoAfter), or null (not done). */
async function ownCheck(ctx: RunContext, s: PlanStep, seen: Set<string>): Promise<Status | null> {
  const check = s.check!;
  if (check.kind === 'file') {
    const file = ctx.fileFor(s);
    const st = await ctx.fileStateOf(s, check);
    return file && st && judgeFile(st, file).kind === 'same' ? { status: 'done', reason: check.describe } : null;
  }
  const r = await ctx.cache.run(s.node, s.id, check.argv);
  if (!check.judge(r)) return null;
  const after = s.alsoAfter;
  if (after && after.judge(r)) {
    seen.add(s.id);
    for (const id of after.steps) {
      const before = ctx.byId.get(id);
      if (before && !seen.has(id) && (await stepStatus(ctx, before, seen)).status === 'todo') {
        return { status: 'todo', reason: `needed once "${before.title}" ran: ${after.describe}` };
      }
    }
  }
  return { status: 'done', reason: check.describe };
}

/**
 * A step's status right before it would run: its check read again, except for a repeatable step the
 * assessment found to do that has not started since (PlanStep.repeatable): running it then is right
 * either way.
 */
export async function statusBeforeRun(ctx: RunContext, s: PlanStep): Promise<Status> {
  if (s.repeatable && ctx.untouchedTodo.has(s.id)) return { status: 'todo', reason: 'to do when the run began' };
  return stepStatus(ctx, s);
}

/** The steps of each node, in plan order (a cluster-wide step counts for the node it runs on). */
export function perNode(steps: PlanStep[]): Map<string, PlanStep[]> {
  const out = new Map<string, PlanStep[]>();
  for (const s of steps) out.set(s.node, [...(out.get(s.node) ?? []), s]);
  return out;
}

/**
 * Every step's state, read on both nodes at once: first every check of a node in one batch
 * (StateCache.prefetch), then judged, ASSESS_CONCURRENCY steps at a time on each node, each check the
 * batch did not answer read on its own. One after the other they cost the lab 27 s of every run, node by
 * node in order still 14-34 s. The checks are read-only and shared through the cache (one command for a
 * check two steps share), so the order they run in changes nothing but the time.
 */
export async function assess(ctx: RunContext): Promise<Map<string, Status>> {
  const statusOf = new Map<string, Status>();
  await Promise.all(
    [...perNode(ctx.steps).entries()].map(([node, list]) =>
      ctx.cache.prefetch(node, list.flatMap((s) => (s.check ? [{ step: s.id, argv: s.check.argv }] : [])))),
  );
  await Promise.all(
    [...perNode(ctx.steps).values()].map(async (list) => {
      let next = 0;
      const worker = async () => {
        while (next < list.length) {
          const s = list[next++]!;
          statusOf.set(s.id, await stepStatus(ctx, s));
        }
      };
      await Promise.all(Array.from({ length: Math.min(ASSESS_CONCURRENCY, list.length) }, worker));
    }),
  );
  return statusOf;
}

/**
 * What the checks read at the assessment say must not be run over (ProbeCheck.refuse: a foreign array of
 * the answers' name): each reason, in plan order. Read from the same cached results, before anything runs.
 */
export async function refusals(ctx: RunContext): Promise<string[]> {
  const out: string[] = [];
  for (const s of ctx.steps) {
    const c = s.check;
    if (c?.kind !== 'probe' || !c.refuse) continue;
    const why = c.refuse(await ctx.cache.run(s.node, s.id, c.argv));
    if (why) out.push(why);
  }
  return out;
}
