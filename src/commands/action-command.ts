// The subcommand form of every action (switchover, standby, cleanup, snapshot ..., grow, recovery): the
// same flags, the same order, the same exit codes, so a script treats them all alike.
//   read the nodes -> plan -> print the plan -> refuse (exit 3) when a precondition does not hold ->
//   --dry-run: the engine's dry run (exit 0) -> the confirmation (typed for what stops the service or
//   destroys data; --yes for scripts) -> the engine runs it under the run lock -> the read-back.
// Exit codes: 0 done (or dry run shown), 1 a step failed, 2 bad input (nothing contacted or changed),
// 3 refused (a precondition, no confirmation, the lock held by another run), 130 interrupted.
import { createInterface } from 'node:readline/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { optionError } from './cli-options.js';
import { resolveActionNodes } from './action-nodes.js';
import { splitDemoFlag } from './local-nodelist.js';
import { actionOutcomeLine, executeAction, runAfterDone, formatActionPlan, prepareAction, type ActionDef, type ActionNode, type ActionPlan } from '../apply/action-run.js';
import { formatEventText, OUTCOME_EXIT, ProgressThrottle } from '../apply/format.js';
import { Journal } from '../apply/journal.js';
import { Redactor } from '../apply/redact.js';
import type { ApplyEvent } from '../apply/engine.js';
import type { Confirm } from '../plan/actions/types.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The flags every action takes (docs/actions.md). */
export const ACTION_OPTIONS = {
  answers: { type: 'string' },
  node: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean' },
  json: { type: 'boolean' },
  log: { type: 'string' },
  identity: { type: 'string' },
  'known-hosts': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** The demo scenario an action reads when --demo has none: the running cluster. */
const DEFAULT_DEMO = 'running';

export interface ActionCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Null without a terminal: then only --yes agrees. */
  ask: ((question: string) => Promise<string>) | null;
}

function terminalIo(): ActionCommandIo {
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  return {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    ask: tty
      ? async (q) => {
          const rl = createInterface({ input: process.stdin, output: process.stdout });
          try {
            return await rl.question(q);
          } finally {
            rl.close();
          }
        }
      : null,
  };
}

/** Does the admin agree? --yes always does; else the terminal asks (typed words must match exactly). */
export async function agree(c: Confirm, yes: boolean, io: ActionCommandIo): Promise<{ ok: true; how: string } | { ok: false; why: string }> {
  if (c.kind === 'none') return { ok: true, how: 'nothing to confirm' };
  if (yes) return { ok: true, how: '--yes' };
  if (!io.ask) return { ok: false, why: 'no terminal to confirm on: add --yes to run it unattended' };
  if (c.kind === 'yes') {
    const a = (await io.ask(`${c.question} [y/N] `)).trim().toLowerCase();
    return a === 'y' || a === 'yes' ? { ok: true, how: 'answered yes' } : { ok: false, why: 'not confirmed; nothing was changed' };
  }
  io.out(c.why);
  const a = (await io.ask(`type "${c.words}" to go on: `)).trim();
  return a === c.words ? { ok: true, how: `typed "${c.words}"` } : { ok: false, why: `"${c.words}" was not typed; nothing was changed` };
}

/**
 * Runs one action as a subcommand. `own`: the action's own flags (parseArgs form), passed to its parse
 * with the positionals.
 */
interface Invocation<A> {
  demo: string | null;
  values: Record<string, string | boolean | string[] | undefined>;
  args: A;
}

/** The command line, checked before any node is contacted: an exit code (help, bad input) or the invocation. */
function parseInvocation<A>(def: ActionDef<A>, argv: string[], help: string, own: Options, io: ActionCommandIo): number | Invocation<A> {
  const { demo, rest } = splitDemoFlag(argv, DEFAULT_DEMO);
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: { ...ACTION_OPTIONS, ...own }, strict: true, allowPositionals: true }) as {
      values: Record<string, string | boolean | string[] | undefined>;
      positionals: string[];
    });
  } catch (e) {
    io.err(`error: ${optionError(e)}`);
    return 2;
  }
  if (values.help) {
    io.out(help.replace(/\n$/, ''));
    return 0;
  }
  if (demo !== null && values['dry-run'] !== true) {
    io.err('error: --demo: only with --dry-run (the demo lab is a recording: nothing can be changed on it)');
    return 2;
  }
  const parsed = def.parse(positionals, values);
  if (!parsed.ok) {
    io.err(`error: ${parsed.error.field}: ${parsed.error.message}`);
    return 2;
  }
  return { demo, values, args: parsed.args };
}

function printPlan(plan: ActionPlan, json: boolean, io: ActionCommandIo): void {
  if (json) {
    const steps = plan.steps.map((s) => ({ id: s.id, node: s.node, title: s.title, destructive: s.destructive, commands: s.commands }));
    io.out(JSON.stringify({ type: 'plan', action: plan.action, summary: plan.summary, facts: plan.facts, refusals: plan.refusals, steps }));
  } else for (const l of formatActionPlan(plan)) io.out(l);
}

/**
 * Runs one action as a subcommand. `own`: the action's own flags (parseArgs form), passed to its parse
 * with the positionals.
 */
export async function runActionCommand<A>(def: ActionDef<A>, argv: string[], help: string, own: Options = {}, io: ActionCommandIo = terminalIo()): Promise<number> {
  const inv = parseInvocation(def, argv, help, own, io);
  if (typeof inv === 'number') return inv;
  const { demo, values } = inv;
  const dryRun = values['dry-run'] === true;
  const json = values.json === true;
  const resolved = await resolveActionNodes({
    demo,
    ...(typeof values.answers === 'string' ? { answers: values.answers } : {}),
    ...(Array.isArray(values.node) ? { node: values.node } : {}),
    ...(typeof values.identity === 'string' ? { identity: values.identity } : {}),
    ...(typeof values['known-hosts'] === 'string' ? { knownHosts: values['known-hosts'] } : {}),
  });
  if (!resolved.ok) {
    io.err(`error: ${resolved.error}`);
    return 2;
  }
  const nodes = resolved.nodes;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    const plan = await prepareAction(def, nodes, inv.args);
    if (plan.bad) {
      io.err(`error: ${plan.bad.field}: ${plan.bad.message}`);
      return 2;
    }
    printPlan(plan, json, io);
    if (plan.refusals.length) {
      for (const r of plan.refusals) io.err(`error: ${plan.action}: ${r}`);
      return OUTCOME_EXIT.refused;
    }
    return await confirmAndRun(plan, nodes, { demo, values, dryRun, json, signal: controller.signal }, io);
  } finally {
    process.off('SIGINT', onSigint);
    await Promise.all(nodes.map((n) => n.runner.close()));
  }
}

interface RunFlags {
  demo: string | null;
  values: Record<string, string | boolean | string[] | undefined>;
  dryRun: boolean;
  json: boolean;
  signal: AbortSignal;
}

async function confirmAndRun(plan: ActionPlan, nodes: ActionNode[], f: RunFlags, io: ActionCommandIo): Promise<number> {
  const redactor = new Redactor([]);
  const journalPaths = [...(f.demo !== null ? [] : [Journal.defaultPath(new Date(), plan.action.replace(/\s+/g, '-'))]), ...(typeof f.values.log === 'string' ? [f.values.log] : [])];
  const journal = new Journal(journalPaths, redactor);
  for (const p of journal.failures) io.err(`warning: journal: ${p}`);
  if (!f.dryRun) {
    const ok = await agree(plan.confirm, f.values.yes === true, io);
    if (!ok.ok) {
      io.err(`error: ${plan.action}: ${ok.why}`);
      journal.note('-', plan.action, `not run: ${ok.why}`);
      return OUTCOME_EXIT.refused;
    }
    journal.note('-', plan.action, `confirmed: ${ok.how}`);
  }
  const throttle = new ProgressThrottle();
  const onEvent = (e: ApplyEvent) => {
    if (!throttle.pass(e, Date.now())) return;
    if (f.json) io.out(JSON.stringify(e));
    else {
      const t = formatEventText(e);
      if (t !== null) io.out(t);
    }
  };
  const outcome = await executeAction(plan, nodes, {
    dryRun: f.dryRun,
    journal,
    redactor,
    signal: f.signal,
    onEvent,
    // The disks a step wipes were in the plan the admin confirmed by typing; --yes stands for that too.
    confirmWipe: async () => plan.confirm.kind === 'typed',
  });
  if (f.json) io.out(JSON.stringify({ type: 'outcome', ...outcome }));
  else io.out(actionOutcomeLine(plan, outcome));
  const after = await runAfterDone(plan, outcome, journal);
  if (after?.ok) io.out(f.json ? JSON.stringify({ type: 'after', text: after.line }) : after.line);
  else if (after) {
    io.err(`error: ${after.describe}: ${after.message}`);
    return OUTCOME_EXIT.failed;
  }
  if (journalPaths.length && !f.json) io.err(`journal: ${journalPaths.join(', ')}`);
  return OUTCOME_EXIT[outcome.kind];
}
