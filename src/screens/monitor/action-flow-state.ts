// The monitor's action overlay as one pure reducer: a key opens it, the plan is read and shown, a refusal
// says why, the confirmation is asked (y/n, or words typed inside the overlay), the engine's events come
// as progress lines, and the read-back line ends it. Effects (reading, running) live in use-action-flow.ts;
// this file only decides what the next state is, so every path is a table test.
import type { ActionPlan } from '../../apply/action-run.js';

/** How many progress lines the overlay keeps (the newest): the screen is 24 rows. */
export const KEEP_LINES = 8;

export type FlowPhase =
  | { kind: 'closed' }
  /** A value to type before the plan is read (grow's size). */
  | { kind: 'asking'; label: string; question: string; value: string }
  | { kind: 'planning'; label: string; value: string | null }
  /** Bad input (the key's or the plan's) or a read that threw: nothing was run. */
  | { kind: 'bad'; label: string; message: string }
  | { kind: 'refused'; plan: ActionPlan }
  | { kind: 'confirm'; plan: ActionPlan; typed: string; wrong: boolean }
  | { kind: 'running'; plan: ActionPlan; lines: string[] }
  | { kind: 'finished'; plan: ActionPlan; lines: string[]; outcome: string }
  /** The admin said no: nothing was run. */
  | { kind: 'declined'; plan: ActionPlan };

export interface FlowState {
  phase: FlowPhase;
}

export const initialFlowState: FlowState = { phase: { kind: 'closed' } };

/** The keys the overlay reads (a subset of Ink's Key). */
export interface FlowKey {
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export type FlowAction =
  | { type: 'open'; label: string; ask?: string }
  | { type: 'bad'; label: string; message: string }
  | { type: 'planned'; plan: ActionPlan }
  | { type: 'key'; input: string; key: FlowKey }
  | { type: 'line'; line: string }
  | { type: 'finished'; outcome: string }
  | { type: 'close' };

/** Open (or busy): the overlay takes every key while it is not closed. */
export const isOpen = (s: FlowState): boolean => s.phase.kind !== 'closed';

/** While the engine runs, the overlay cannot be closed: its outcome must be seen. */
export const isBusy = (s: FlowState): boolean => s.phase.kind === 'running' || s.phase.kind === 'planning';

function afterPlan(plan: ActionPlan): FlowPhase {
  if (plan.bad) return { kind: 'bad', label: plan.action, message: `${plan.bad.field}: ${plan.bad.message}` };
  if (plan.refusals.length) return { kind: 'refused', plan };
  // Nothing to agree to (a cleanup of nothing): it runs at once and says so.
  if (plan.confirm.kind === 'none') return { kind: 'running', plan, lines: [] };
  return { kind: 'confirm', plan, typed: '', wrong: false };
}

function onKey(p: FlowPhase, input: string, key: FlowKey): FlowPhase {
  const printable = input !== '' && !key.ctrl && !key.meta && !key.return && !key.escape;
  switch (p.kind) {
    case 'asking':
      if (key.escape) return { kind: 'closed' };
      if (key.return) return p.value.trim() === '' ? p : { kind: 'planning', label: p.label, value: p.value.trim() };
      if (key.backspace || key.delete) return { ...p, value: p.value.slice(0, -1) };
      return printable ? { ...p, value: p.value + input } : p;
    case 'confirm': {
      const c = p.plan.confirm;
      if (key.escape) return { kind: 'declined', plan: p.plan };
      if (c.kind === 'yes') {
        if (input === 'y' || input === 'Y') return { kind: 'running', plan: p.plan, lines: [] };
        if (input === 'n' || input === 'N' || key.return) return { kind: 'declined', plan: p.plan };
        return p;
      }
      if (c.kind === 'typed') {
        if (key.return) return p.typed === c.words ? { kind: 'running', plan: p.plan, lines: [] } : { ...p, typed: '', wrong: true };
        if (key.backspace || key.delete) return { ...p, typed: p.typed.slice(0, -1), wrong: false };
        return printable ? { ...p, typed: p.typed + input, wrong: false } : p;
      }
      return p;
    }
    case 'running':
    case 'planning':
      return p;
    case 'bad':
    case 'refused':
    case 'finished':
    case 'declined':
      return key.escape || key.return || input === 'q' ? { kind: 'closed' } : p;
    case 'closed':
      return p;
  }
}

export function flowReducer(s: FlowState, a: FlowAction): FlowState {
  const p = s.phase;
  switch (a.type) {
    case 'open':
      if (isOpen(s)) return s;
      return { phase: a.ask ? { kind: 'asking', label: a.label, question: a.ask, value: '' } : { kind: 'planning', label: a.label, value: null } };
    case 'bad':
      return { phase: { kind: 'bad', label: a.label, message: a.message } };
    case 'planned':
      return p.kind === 'planning' ? { phase: afterPlan(a.plan) } : s;
    case 'key':
      return { phase: onKey(p, a.input, a.key) };
    case 'line':
      if (p.kind !== 'running') return s;
      return { phase: { ...p, lines: [...p.lines, ...a.line.split('\n')].slice(-KEEP_LINES) } };
    case 'finished':
      return p.kind === 'running' ? { phase: { kind: 'finished', plan: p.plan, lines: p.lines, outcome: a.outcome } } : s;
    case 'close':
      return isBusy(s) ? s : initialFlowState;
  }
}
