// The apply engine: runs the plan through one Runner per node. Before each step a read-only check says
// whether it is already done (then it is skipped: every run is idempotent and resumes wherever an earlier
// run stopped); after it, a verify says whether it took. Nothing destructive runs before the disks were
// reviewed and confirmed, and each disk is probed again right before it is wiped. The engine never
// prints: it emits events (screens and the plain/JSON formatters render them) and journals every command.
// Its parts: assessment.ts, consent.ts, scheduler.ts, step-runner.ts (with file-batch.ts, cib-load.ts,
// verify-wait.ts), resync-watch.ts; what they share is run-context.ts.
import type { Answers } from '../answers/schema.js';
import { planSteps } from '../plan/plan.js';
import type { PlanStep } from '../plan/types.js';
import { assess, refusals, stepStatus, type Status } from './assessment.js';
import { announceInterruptions, obtainConsent } from './consent.js';
import { view, type ApplyOptions, type ApplyOutcome, type StepView } from './events.js';
import { ResyncWatch } from './resync-watch.js';
import { RunContext } from './run-context.js';
import { Scheduler } from './scheduler.js';

export type { ApplyEvent, ApplyOptions, ApplyOutcome, BackgroundWork, EditedFile, StepFailure, StepStatus, StepView } from './events.js';
export { ASSESS_CONCURRENCY } from './assessment.js';
export { POLL_PAUSE_EXTRA_MS, pollPause } from './verify-wait.js';

export class ApplyEngine {
  private readonly ctx: RunContext;
  private readonly resyncs: ResyncWatch;

  constructor(o: ApplyOptions) {
    this.ctx = new RunContext(o);
    this.resyncs = new ResyncWatch(this.ctx);
  }

  /** Is the step's effect in place now? Its own check, or a later step whose "done" implies it. */
  status(s: PlanStep): Promise<Status> {
    return stepStatus(this.ctx, s);
  }

  async run(): Promise<ApplyOutcome> {
    let out: ApplyOutcome;
    try {
      out = await this.runPlan();
    } finally {
      await this.resyncs.stop();
    }
    if (out.kind === 'done' || out.kind === 'dry-run' || out.kind === 'failed') {
      const background = await this.resyncs.now();
      if (out.kind === 'failed') return background.length ? { ...out, background } : out;
      return { ...out, background };
    }
    return out;
  }

  private async runPlan(): Promise<ApplyOutcome> {
    const ctx = this.ctx;
    const statusOf = await assess(ctx);
    const assessed = ctx.steps.map((s) => ({ ...view(s), ...statusOf.get(s.id)! }));
    ctx.emit({ type: 'assessed', steps: assessed });
    if (ctx.aborted) return { kind: 'interrupted', step: null };
    // A foreign array of the answers' name (and the like) is refused here, before anything runs.
    const refused = await refusals(ctx);
    if (refused.length > 0) return { kind: 'refused', reason: refused.join('\n') };
    const todo = new Set(assessed.filter((x) => x.status === 'todo').map((x) => x.id));
    if (!ctx.o.dryRun) for (const id of todo) ctx.untouchedTodo.add(id);
    // An array made by an earlier, interrupted run may still resync: shown from the start.
    for (const s of this.resyncs.steps()) if (!todo.has(s.id)) this.resyncs.watch(s);
    announceInterruptions(ctx, todo);
    // Safety first: every disk a pending step wipes is reviewed and confirmed before anything runs.
    const unconsented = await obtainConsent(ctx, todo);
    if (unconsented) return unconsented;
    return new Scheduler(ctx, this.resyncs).run();
  }
}

/** The plan as the engine will see it, without running anything (review screens). */
export function planViews(a: Answers): StepView[] {
  return planSteps(a).map(view);
}
