// Runs an action (src/plan/actions/types.ts) the way apply runs its plan: read the facts, plan, refuse
// when a precondition does not hold, take the run lock on every node (an action and an apply never run
// at once), then the one engine runs the steps (checks, verifies, journal), and the last step's verify
// reads back what the action promised. The subcommands and the live monitor's keys both come here; only
// how they show the plan and ask for the confirmation differs.
import type { Runner } from '../exec/runner.js';
import { readClusterFacts, type ClusterFacts } from '../plan/actions/cluster-facts.js';
import type { ActionDef, ActionNode, ActionPlan } from '../plan/actions/types.js';
import { checkPlan } from '../plan/check.js';
import { quoteArgv } from '../exec/shell-quote.js';
import { ApplyEngine, type ApplyEvent, type ApplyOutcome } from './engine.js';
import type { DiskReview } from './disk-review.js';
import type { Journal } from './journal.js';
import type { Redactor } from './redact.js';
import { acquireRunLocks, holderDescription } from './run-lock.js';

export type { ActionDef, ActionNode, ActionPlan } from '../plan/actions/types.js';

/** Reads the nodes and plans the action: nothing is changed. A plan with refusals must not be run. */
export async function prepareAction<A>(def: ActionDef<A>, nodes: ActionNode[], args: A, facts?: ClusterFacts): Promise<ActionPlan> {
  const f = facts ?? (await readClusterFacts(nodes));
  const extra = def.read ? await def.read({ nodes, facts: f, args }) : undefined;
  const plan = def.plan({ nodes, facts: f, args }, extra);
  // A wrong cross-reference in an action's steps is a programmer error: thrown here, in every test.
  checkPlan(plan.steps);
  return plan;
}

/** The plan as lines: what the admin reads before agreeing (the subcommand prints it, the monitor shows it). */
export function formatActionPlan(plan: ActionPlan): string[] {
  const lines = [`${plan.action}: ${plan.summary}`];
  for (const f of plan.facts) lines.push(`  ${f}`);
  if (plan.steps.length) lines.push('steps:');
  for (const s of plan.steps) {
    lines.push(`  [${s.node}] ${s.title}${s.destructive ? ' (DESTRUCTIVE)' : ''}${s.interruptsService ? ` (interrupts the service: ${s.interruptsService})` : ''}`);
    for (const c of s.commands) lines.push(`      $ ${quoteArgv(c)}`);
    if (s.verify) lines.push(`      then: ${s.verify.describe}`);
  }
  if (plan.afterDone) lines.push(`then on this machine: ${plan.afterDone.describe}`);
  for (const r of plan.refusals) lines.push(`refused: ${r}`);
  return lines;
}

export interface ExecuteOptions {
  dryRun: boolean;
  journal: Journal;
  redactor: Redactor;
  signal?: AbortSignal;
  onEvent?: (e: ApplyEvent) => void;
  /** A step that wipes disks (a replaced RAID member): the disks are shown and confirmed again. */
  confirmWipe?: (disks: DiskReview[]) => Promise<boolean>;
  /** Tests pass a fast one. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** How the lock names its holder; default this process. */
  holder?: string;
}

/**
 * Runs a confirmed plan. A plan with refusals is refused here too (the callers check first; this is the
 * last guard). Dry runs take no lock: they change nothing.
 */
export async function executeAction(plan: ActionPlan, nodes: ActionNode[], o: ExecuteOptions): Promise<ApplyOutcome> {
  if (plan.bad) return { kind: 'refused', reason: `${plan.bad.field}: ${plan.bad.message}` };
  if (plan.refusals.length) return { kind: 'refused', reason: plan.refusals.join('; ') };
  const runners = new Map<string, Runner>(nodes.map((n) => [n.name, n.runner]));
  o.journal.note('-', plan.action, `${o.dryRun ? 'dry run: ' : ''}${plan.summary}`);
  let release: (() => Promise<void>) | null = null;
  if (!o.dryRun) {
    const lock = await acquireRunLocks(runners, o.holder ?? holderDescription(new Date()));
    if (!lock.ok) {
      o.journal.note(lock.node, 'run-lock', lock.message);
      return lock.heldByOther ? { kind: 'refused', reason: lock.message } : { kind: 'failed', step: 'run-lock', failure: { command: 'flock', exitCode: null, stderr: lock.message, next: 'check that the node is reachable, then run it again' } };
    }
    release = lock.release;
  }
  try {
    const engine = new ApplyEngine({
      steps: plan.steps,
      names: plan.names,
      runners,
      files: [],
      journal: o.journal,
      redactor: o.redactor,
      dryRun: o.dryRun,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      ...(o.now ? { now: o.now } : {}),
      confirmWipe: o.confirmWipe ?? (async () => false),
      // An action never installs packages nor replaces configuration files: apply's business.
      confirmPackages: async () => false,
      confirmReplace: async () => false,
    });
    return await engine.run();
  } finally {
    if (release) await release();
  }
}

/** One line for the end of a run: the action's own words when it did what it promised. */
export function actionOutcomeLine(plan: ActionPlan, o: ApplyOutcome): string {
  switch (o.kind) {
    case 'done':
      return `${plan.action}: done: ${plan.done}`;
    case 'dry-run':
      return `${plan.action}: dry run: ${o.wouldRun.length} steps would run, ${o.skipped.length} are already done; nothing was changed`;
    case 'failed':
      return `${plan.action}: stopped at ${o.step}: see above and the journal`;
    case 'refused':
      return `${plan.action}: refused: ${o.reason}`;
    case 'interrupted':
      return `${plan.action}: interrupted${o.step ? ` during ${o.step}` : ''}: read the state with hanfs-wizard monitor before running it again`;
  }
}

/**
 * The plan's change on this machine once the run read back right (afterDone: disk replace recording the new
 * disk in the answers file), journaled: its line, its error, or null when there is none to make. One rule
 * for both ways in: the subcommand (action-command.ts) and the live monitor's keys (action-service.ts).
 */
export async function runAfterDone(plan: ActionPlan, outcome: ApplyOutcome, journal: Journal): Promise<{ ok: true; line: string } | { ok: false; describe: string; message: string } | null> {
  if (outcome.kind !== 'done' || !plan.afterDone) return null;
  try {
    const line = await plan.afterDone.run();
    journal.note('-', plan.action, line);
    return { ok: true, line };
  } catch (e) {
    return { ok: false, describe: plan.afterDone.describe, message: e instanceof Error ? e.message : String(e) };
  }
}
