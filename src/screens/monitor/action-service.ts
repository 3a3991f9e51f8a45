// What the monitor's action keys run, over the monitor's own connections: the one path of every action
// (src/apply/action-run.ts: read the facts, plan, the engine under the run lock, journal, read back).
// The overlay never sees a runner: it asks this service for a plan and for a run, and gets lines back.
import { actionOutcomeLine, executeAction, runAfterDone, prepareAction, type ActionDef, type ActionNode, type ActionPlan } from '../../apply/action-run.js';
import type { ApplyEvent } from '../../apply/engine.js';
import { formatEventText, ProgressThrottle } from '../../apply/format.js';
import { Journal } from '../../apply/journal.js';
import { Redactor } from '../../apply/redact.js';
import { holderDescription } from '../../apply/run-lock.js';

export interface MonitorActionService {
  /**
   * Null on real nodes. Else why nothing can change (the demo lab is a recording): every action then
   * runs as the engine's dry run, and the overlay says so.
   */
  dryRunReason: string | null;
  /**
   * The flags every key's action gets before its own prompts' (the subcommand form's --answers): with the
   * monitor's answers file, disk replace records the new disk in it as `disk replace --answers` does.
   */
  baseFlags: Record<string, string | boolean>;
  prepare: (def: ActionDef<unknown>, args: unknown) => Promise<ActionPlan>;
  /** Runs a confirmed plan; each engine event as text lines; resolves with the read-back line. */
  execute: (plan: ActionPlan, onLine: (line: string) => void, signal: AbortSignal) => Promise<string>;
  /** Resolves when no run is in flight (the monitor waits for it before its runners close). */
  settled: () => Promise<void>;
}

export interface ActionServiceOptions {
  dryRunReason: string | null;
  /** The monitor's --answers file, if it was given (baseFlags). @default null */
  answersPath?: string | null;
  /** Where a run's journal goes; default /var/log/hanfs-wizard/<action>-<time>.log (none on a dry run). */
  journalPaths?: (action: string, now: Date) => string[];
  /** Tests pass a fast one (the read-back's polling). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Tests pass a clock that the fast sleep moves (a verify's wait ends by the clock, not by its polls). */
  now?: () => number;
}

export function createActionService(nodes: ActionNode[], o: ActionServiceOptions): MonitorActionService {
  const inFlight = new Set<Promise<unknown>>();
  const dryRun = o.dryRunReason !== null;
  const paths = o.journalPaths ?? ((action, now) => [Journal.defaultPath(now, action.replace(/\s+/g, '-'))]);
  return {
    dryRunReason: o.dryRunReason,
    baseFlags: o.answersPath ? { answers: o.answersPath } : {},
    prepare: (def, args) => prepareAction(def, nodes, args),
    async execute(plan, onLine, signal) {
      const redactor = new Redactor([]);
      const journalPaths = dryRun ? [] : paths(plan.action, new Date());
      const journal = new Journal(journalPaths, redactor);
      for (const p of journal.failures) onLine(`warning: journal: ${p}`);
      journal.note('-', plan.action, dryRun ? `dry run: ${o.dryRunReason}` : 'confirmed in the live monitor');
      const throttle = new ProgressThrottle();
      const onEvent = (e: ApplyEvent) => {
        if (!throttle.pass(e, Date.now())) return;
        const t = formatEventText(e);
        if (t !== null) onLine(redactor.redact(t));
      };
      const run = executeAction(plan, nodes, {
        dryRun,
        journal,
        redactor,
        signal,
        onEvent,
        ...(o.sleep ? { sleep: o.sleep } : {}),
        ...(o.now ? { now: o.now } : {}),
        // Another run refused by the lock reads who holds it: the monitor, and which action.
        holder: holderDescription(new Date(), process.pid, ['monitor:', ...plan.action.split(' ')]),
        // The disks a step wipes were in the plan the admin confirmed by typing.
        confirmWipe: async () => plan.confirm.kind === 'typed',
      });
      inFlight.add(run);
      try {
        const outcome = await run;
        let line = actionOutcomeLine(plan, outcome);
        // As the subcommand: disk replace records the new disk in the answers file (baseFlags' --answers).
        const after = await runAfterDone(plan, outcome, journal);
        if (after?.ok) onLine(after.line);
        else if (after) line = `${line}; but ${after.describe} failed: ${after.message}`;
        return journalPaths.length ? `${line} (journal: ${journalPaths.join(', ')})` : line;
      } catch (e) {
        return `${plan.action}: stopped: ${e instanceof Error ? e.message : String(e)}`;
      } finally {
        inFlight.delete(run);
      }
    },
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
