// The order of a run: groups one after another in GROUPS' order (src/plan/order.ts), both nodes' steps of
// a group at once, a node's own steps of a group one after another. Background steps (PlanStep.background)
// run in a lane per node beside the foreground, a node's one after another in plan order (the plan gives
// them only light work the foreground does not touch); each is checked when its turn comes, awaited
// before the group it names starts, and all of them before apply ends. A failure stops the foreground
// before its next step.
import { GROUPS } from '../plan/order.js';
import type { PlanStep } from '../plan/types.js';
import { perNode, statusBeforeRun } from './assessment.js';
import { cibDryRunDifference } from './cib-load.js';
import { view, type ApplyOutcome } from './events.js';
import { describeCommands, plainFileWrite, runFileSteps } from './file-batch.js';
import type { ResyncWatch } from './resync-watch.js';
import type { RunContext } from './run-context.js';
import { runStep } from './step-runner.js';

/** The groups of these steps in execution order: GROUPS' order (a group GROUPS lacks: after, as listed). */
export function groupOrder(steps: readonly PlanStep[]): string[] {
  const rank = (g: string) => {
    const i = (GROUPS as readonly string[]).indexOf(g);
    return i < 0 ? GROUPS.length : i;
  };
  return [...new Set(steps.map((s) => s.parallelGroup as string))].map((g, i) => ({ g, i })).sort((x, y) => rank(x.g) - rank(y.g) || x.i - y.i).map((x) => x.g);
}

export class Scheduler {
  readonly ran: string[] = [];
  readonly skipped: string[] = [];
  readonly wouldRun: string[] = [];
  private readonly groups: string[];
  private readonly joins: { before: number; chain: Promise<ApplyOutcome | null> }[] = [];
  private readonly lanes = new Map<string, Promise<ApplyOutcome | null>>();
  private besideStop: ApplyOutcome | null = null;

  constructor(private readonly ctx: RunContext, private readonly resyncs: ResyncWatch) {
    this.groups = groupOrder(ctx.steps);
  }

  async run(): Promise<ApplyOutcome> {
    const ctx = this.ctx;
    for (const [gi, g] of this.groups.entries()) {
      const joined = await this.joinUpTo(gi);
      if (joined) return joined;
      const byNode = perNode(ctx.steps.filter((x) => x.parallelGroup === g));
      await Promise.all([...byNode.values()].map((list) => this.runNodeGroup(list)));
      if (this.stop || this.besideStop) {
        // Background work is let finish (a half-written file helps nobody); the foreground's stop is said.
        await this.joinUpTo(Number.POSITIVE_INFINITY);
        return this.stop ?? this.besideStop!;
      }
    }
    const joined = await this.joinUpTo(Number.POSITIVE_INFINITY);
    if (joined) return joined;
    return ctx.o.dryRun
      ? { kind: 'dry-run', wouldRun: this.wouldRun, skipped: this.skipped, background: [] }
      : { kind: 'done', ran: this.ran, skipped: this.skipped, background: [] };
  }

  /** Why the foreground stopped (both nodes run at once: a node that stops after the other says it). */
  private stop: ApplyOutcome | null = null;

  /** One node's steps of one group, in plan order. */
  private async runNodeGroup(list: PlanStep[]): Promise<void> {
    const ctx = this.ctx;
    for (let k = 0; k < list.length; k++) {
      const s = list[k]!;
      if (this.stop || this.besideStop) return;
      if (ctx.aborted) {
        this.stop = { kind: 'interrupted', step: s.id };
        return;
      }
      if (s.background && !ctx.o.dryRun) {
        this.inBackground(s, this.groups.indexOf(s.background.before));
        continue;
      }
      const st = await statusBeforeRun(ctx, s);
      if (st.status !== 'todo') {
        this.skipped.push(s.id);
        ctx.emit({ type: 'step-skip', step: view(s), reason: st.reason });
        continue;
      }
      if (ctx.o.dryRun) {
        this.wouldRun.push(s.id);
        await cibDryRunDifference(ctx, s);
        ctx.emit({ type: 'step-would-run', step: view(s), commands: describeCommands(ctx, s) });
        continue;
      }
      // Plain file writes that follow one another on this node go in one command (runFileSteps).
      const batch = [s];
      while (plainFileWrite(ctx, s) && k + 1 < list.length && plainFileWrite(ctx, list[k + 1]!)) batch.push(list[++k]!);
      const out = batch.length > 1 ? await runFileSteps(ctx, batch) : await runStep(ctx, s, this.resyncs);
      if (out) {
        this.stop = out;
        return;
      }
      this.ran.push(...batch.map((x) => x.id));
    }
  }

  private inBackground(s: PlanStep, before: number): void {
    const ctx = this.ctx;
    const chain = (this.lanes.get(s.node) ?? Promise.resolve(null)).then(async (earlier): Promise<ApplyOutcome | null> => {
      if (earlier) return earlier;
      if (ctx.aborted) return { kind: 'interrupted', step: s.id };
      const st = await statusBeforeRun(ctx, s);
      if (st.status !== 'todo') {
        this.skipped.push(s.id);
        ctx.emit({ type: 'step-skip', step: view(s), reason: st.reason });
        return null;
      }
      const out = await runStep(ctx, s, this.resyncs);
      if (out) this.besideStop ??= out;
      else this.ran.push(s.id);
      return out;
    });
    this.lanes.set(s.node, chain);
    this.joins.push({ before: before < 0 ? Number.POSITIVE_INFINITY : before, chain });
  }

  private async joinUpTo(index: number): Promise<ApplyOutcome | null> {
    for (const j of this.joins.filter((x) => x.before <= index)) {
      const out = await j.chain;
      if (out) return out;
    }
    return null;
  }
}
