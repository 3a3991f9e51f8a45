// The CIB specifics of a run: a step whose standard input is a 'cib-merge' gets the live CIB's
// configuration with ours merged in, computed right before it runs (src/generate/cib-merge.ts), and is
// refused when the live CIB holds resources the early loads must not cover. Says what changes, and which
// DRBD fence constraint it keeps.
import type { Runner } from '../exec/runner.js';
import { succeeded } from '../exec/runner.js';
import { cibDifferences, cibResourceIds, cibSection, fenceHandlerConstraints, mergeCibConfiguration } from '../generate/cib-merge.js';
import type { PlanStep, Stdin } from '../plan/types.js';
import { CIB_QUERY } from '../plan/judges.js';
import type { ApplyOutcome } from './events.js';
import type { RunContext } from './run-context.js';

export type CibInput = { input: string; note: string } | { stop: ApplyOutcome };

export async function cibMergeInput(ctx: RunContext, s: PlanStep, runner: Runner, stdin: Stdin & { kind: 'cib-merge' }): Promise<CibInput> {
  // Computed against the CIB as it is now, not as it was when the run began.
  const q = await runner.run(CIB_QUERY, { signal: ctx.o.signal, timeoutMs: 60_000 });
  ctx.o.journal.command(s.node, `${s.id} (live CIB)`, CIB_QUERY, q);
  const merged = succeeded(q) ? mergeCibConfiguration(q.stdout, stdin.cib) : null;
  if (merged === null) return { stop: ctx.fail(s, 'cibadmin -Q', { ...q, stderr: q.stderr || 'the live CIB has no <configuration>' }) };
  const live = cibSection(q.stdout, 'resources') ?? '';
  const over = stdin.over;
  const foreign = over ? cibResourceIds(q.stdout).filter((id) => !over.includes(id)) : [];
  if (foreign.length > 0) {
    return {
      stop: ctx.fail(s, 'cibadmin -Q', { ...q, stderr: `the live CIB already holds ${foreign.join(', ')}: nothing was loaded (only a fresh cluster gets a part of the configuration first)` }, false,
        'Something loaded resources while apply ran. Run apply again: it then loads the whole configuration in one step.'),
    };
  }
  ctx.emit({ type: 'message', level: 'info', text: `CIB sections that change: ${cibDifferences(q.stdout, stdin.cib).join(', ') || 'none'}` });
  if (/<primitive\b/.test(live) && s.interruptsService) ctx.emit({ type: 'message', level: 'warn', text: `the cluster runs: ${s.interruptsService}` });
  const fences = fenceHandlerConstraints(cibSection(q.stdout, 'constraints') ?? '').map((c) => /\bid="([^"]*)"/.exec(c)![1]!);
  if (fences.length > 0) ctx.emit({ type: 'message', level: 'warn', text: `kept DRBD's fence constraint ${fences.join(', ')}: the peer may not be promoted until its resync ends (the handler removes it then)` });
  return { input: merged, note: `the live configuration with ours merged (${Buffer.byteLength(merged)} bytes)` };
}

/** A dry run shows the difference first: the read-only check already fetched the live CIB. */
export async function cibDryRunDifference(ctx: RunContext, s: PlanStep): Promise<void> {
  const cibIn = s.stdin[0];
  if (cibIn?.kind !== 'cib-merge' || s.check?.kind !== 'probe') return;
  const q = await ctx.cache.run(s.node, s.id, s.check.argv);
  if (succeeded(q)) ctx.emit({ type: 'message', level: 'info', text: `CIB sections that would change: ${cibDifferences(q.stdout, cibIn.cib).join(', ')}` });
}
