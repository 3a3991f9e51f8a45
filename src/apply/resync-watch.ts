// RAID resyncs shown while later steps run: md serves I/O while it resyncs, so nothing waits for it
// (with the initial DRBD sync skipped, the time to a healthy cluster does not grow with the disks' size).
import { succeeded } from '../exec/runner.js';
import type { PlanStep } from '../plan/types.js';
import { view, type BackgroundWork } from './events.js';
import { mdResyncFrom, type MdResync } from './md-resync.js';
import type { RunContext } from './run-context.js';

/** The label of a resync's progress: what it is, on which array (the monitor's lab drill reads it on screen). */
export function resyncWhat(r: MdResync): string {
  return `RAID1 ${r.action.replace(/-(pending|delayed)$/, '')} of ${r.device}`;
}

export class ResyncWatch {
  /** Background watchers of RAID resyncs, per node; stopped (their sleeps cut short) when the run ends. */
  private readonly watches = new Map<string, Promise<void>>();
  private readonly resync = new Map<string, MdResync | null>();
  private readonly stopper = new AbortController();

  constructor(private readonly ctx: RunContext) {}

  /** Steps whose verify shows an md resync: the RAID creation of each node. */
  steps(): PlanStep[] {
    return this.ctx.steps.filter((s) => s.verify?.progress === 'md-resync');
  }

  /** Shows a node's RAID resync while later steps run, until it finishes or the run ends. */
  watch(s: PlanStep): void {
    const ctx = this.ctx;
    if (ctx.o.dryRun || this.watches.has(s.node) || !s.verify) return;
    const v = s.verify;
    const runner = ctx.runner(s.node);
    const stop = this.stopper.signal;
    const watch = (async () => {
      let prev: MdResync | null = null;
      while (!stop.aborted && !ctx.aborted) {
        const r = await ctx.runJournaled(runner, s.node, `${s.id} (resync)`, v.argv, { timeoutMs: 60_000 });
        if (stop.aborted) return;
        const cur: MdResync | null = succeeded(r) ? mdResyncFrom(r.stdout, s.node, ctx.names.raidDevice, ctx.now(), prev) : null;
        if (cur === null) {
          if (prev !== null) {
            ctx.emit({ type: 'progress', step: view(s), percent: 100, rateKiBs: null, etaSec: 0, what: resyncWhat(prev), background: true });
            ctx.emit({ type: 'message', level: 'info', text: `${prev.device} on ${s.node}: ${prev.action.replace(/-(pending|delayed)$/, '')} finished` });
          }
          this.resync.set(s.node, null);
          return;
        }
        this.resync.set(s.node, cur);
        ctx.emit({ type: 'progress', step: view(s), percent: cur.percent, rateKiBs: cur.rateKiBs, etaSec: cur.etaSec, what: resyncWhat(cur), background: true });
        prev = cur;
        await ctx.sleep(v.intervalMs ?? 5000, stop);
      }
    })();
    this.watches.set(s.node, watch);
  }

  /** Stops every watcher and waits for them. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await Promise.all(this.watches.values());
  }

  /** Where every RAID resync stands now: the watchers' last reading, refreshed by one more read. */
  async now(): Promise<BackgroundWork[]> {
    const ctx = this.ctx;
    const out: BackgroundWork[] = [];
    for (const s of this.steps()) {
      // Dry runs never started a watcher: one reading says whether a resync runs.
      if (!ctx.o.dryRun && !this.resync.get(s.node)) continue;
      if (ctx.aborted) break;
      const r = await ctx.runJournaled(ctx.runner(s.node), s.node, `${s.id} (resync at the end)`, s.verify!.argv, { timeoutMs: 60_000 });
      const cur = succeeded(r) ? mdResyncFrom(r.stdout, s.node, ctx.names.raidDevice, ctx.now(), this.resync.get(s.node) ?? null) : null;
      if (cur) out.push({ node: cur.node, device: cur.device, action: cur.action, percent: cur.percent, rateKiBs: cur.rateKiBs, etaSec: cur.etaSec });
    }
    return out;
  }
}
