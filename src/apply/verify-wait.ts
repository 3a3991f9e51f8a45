// A step's verify: read until its judge passes, a blocker says waiting cannot help, or the wait times out;
// a DRBD sync's progress shown meanwhile.
import type { Runner, RunResult } from '../exec/runner.js';
import { succeeded } from '../exec/runner.js';
import { quoteArgv } from '../exec/shell-quote.js';
import type { PlanStep, Verify } from '../plan/types.js';
import { parseDrbdadmStatus } from '../probes/drbd-status.js';
import { parseProcDrbd } from '../probes/proc-drbd.js';
import { view, type ApplyOutcome } from './events.js';
import type { RunContext } from './run-context.js';

/**
 * The pause before a wait's next read: its interval, or three times what the last read took, whichever is
 * longer, so a wait spends at most about a quarter of a node's time asking. On real servers crm_mon
 * answers in 50-100 ms and the interval decides; on the lab's emulated single vCPU it took 0.6-5.9 s, and
 * at the settle's 3 s interval a read ran for 78 of the wait's 191 s (39 reads, apply journal of
 * 2026-11-26 10:01) on the node whose resource starts it waits for. At most the interval plus
 * POLL_PAUSE_EXTRA_MS, though: one read slowed by the starts it waits for (6.0 s, beside an agent's start)
 * made the settle pause 18 s and see the service 14 s after it had settled (apply journal of 2026-11-27
 * 05:10, docs/ha-tuning.md).
 */
export function pollPause(intervalMs: number, lastReadMs: number): number {
  return Math.max(intervalMs, Math.min(3 * lastReadMs, intervalMs + POLL_PAUSE_EXTRA_MS));
}

/** The most a slow read lengthens a wait's pause (pollPause). */
export const POLL_PAUSE_EXTRA_MS = 4000;

/** Null once the verify passed; else why the step stops. */
export async function waitForVerify(ctx: RunContext, s: PlanStep, runner: Runner, v: Verify): Promise<ApplyOutcome | null> {
  const deadline = ctx.now() + (v.waitMs ?? 0);
  for (;;) {
    const r = await ctx.runJournaled(runner, s.node, `${s.id} (verify)`, v.argv, { timeoutMs: 60_000 });
    if (ctx.aborted) return { kind: 'interrupted', step: s.id };
    const blocked = v.blockers?.(r) ?? null;
    if (blocked) {
      // The command's own exit code stays (crm_mon said 0); what failed is in the lines.
      return ctx.fail(s, quoteArgv(v.argv), { ...r, stderr: blocked.lines.join('\n') }, true, blocked.next);
    }
    const t = ctx.now();
    if (v.judge(r)) return null;
    if (t >= deadline) {
      const why = v.explain?.(r) ?? [];
      return ctx.fail(s, quoteArgv(v.argv), { ...r, stderr: [r.stderr.trim(), ...why, `not reached${v.waitMs ? ` within ${Math.round(v.waitMs / 1000)} s` : ''}: ${v.describe}`].filter(Boolean).join('\n') }, true, v.advice?.(r) ?? undefined);
    }
    if (v.progress === 'drbd-sync' || v.progress === 'drbd-resync') await drbdProgress(ctx, s, runner, r, v.progress === 'drbd-sync' ? 'DRBD initial sync' : 'DRBD resync');
    await ctx.sleep(pollPause(v.intervalMs ?? 2000, r.durationMs), ctx.o.signal);
  }
}

/** Progress of a sync (initial or a resync): the percentage from `drbdadm status` (8.4 and 9), rate and ETA from /proc/drbd (8.4). */
async function drbdProgress(ctx: RunContext, s: PlanStep, runner: Runner, status: RunResult, what: string): Promise<void> {
  const done = succeeded(status) ? parseDrbdadmStatus(status.stdout).find((x) => x.name === ctx.names.drbdResource)?.peers.find((p) => p.done !== null)?.done ?? null : null;
  const r = await ctx.runJournaled(runner, s.node, `${s.id} (sync progress)`, ['cat', '/proc/drbd']);
  const p = succeeded(r) ? parseProcDrbd(r.stdout) : null;
  const sync = p?.ok ? p.devices.find((d) => d.sync !== null)?.sync : undefined;
  const percent = done ?? sync?.percent;
  if (percent !== undefined) ctx.emit({ type: 'progress', step: view(s), percent, rateKiBs: sync?.speedKiBs ?? null, etaSec: sync?.finishSec ?? null, what });
}
