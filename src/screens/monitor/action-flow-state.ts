// The monitor's action overlay as one pure reducer: a key opens it, asks what the key needs (a value to
// type, one of a list: flow-prompts.ts), the plan is read (and, when its read found candidates to choose
// from, those are asked and the plan read again with the one chosen) and shown, a refusal
// says why, the confirmation is asked (y/n, or words typed inside the overlay), the engine's events come
// as progress lines, and the read-back line ends it. Effects (reading, running) live in use-action-flow.ts;
// this file only decides what the next state is, so every path is a table test.
import type { ActionPlan } from '../../apply/action-run.js';
import { lastScroll } from './plan-lines.js';
import { choicePrompt, NOTHING_COLLECTED, withFlags, withValue, type Collected, type PickPrompt, type Prompt, type TextPrompt } from './flow-prompts.js';

/** How many progress lines the overlay keeps (the newest): the screen is 24 rows. */
export const KEEP_LINES = 8;

export type FlowPhase =
  | { kind: 'closed' }
  /** A value to type before the plan is read (grow's size, restore's path); `error`: the last Enter's bad input. */
  | { kind: 'asking'; label: string; prompt: TextPrompt; value: string; error: string | null }
  /** One of a list (restore's snapshot, disk replace's new disk): up/down, Enter. */
  | { kind: 'choosing'; label: string; prompt: PickPrompt; cursor: number }
  | { kind: 'planning'; label: string }
  /** Bad input (the key's or the plan's) or a read that threw: nothing was run. */
  | { kind: 'bad'; label: string; message: string }
  | { kind: 'refused'; plan: ActionPlan }
  /** `scroll`: the first plan line shown (up/down move it: a long plan is read whole before agreeing). */
  | { kind: 'confirm'; plan: ActionPlan; typed: string; wrong: boolean; scroll: number }
  | { kind: 'running'; plan: ActionPlan; lines: string[] }
  | { kind: 'finished'; plan: ActionPlan; lines: string[]; outcome: string }
  /** The admin said no: nothing was run. */
  | { kind: 'declined'; plan: ActionPlan };

export interface FlowState {
  phase: FlowPhase;
  /** What is still to ask before the plan is read, in order. */
  queue: Prompt[];
  /** What was answered so far: the action's parse() gets it after the key's own positionals. */
  got: Collected;
}

export const initialFlowState: FlowState = { phase: { kind: 'closed' }, queue: [], got: NOTHING_COLLECTED };

/** The keys the overlay reads (a subset of Ink's Key). */
export interface FlowKey {
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
}

export type FlowAction =
  /** `ask`: one value typed, appended to the positionals (grow's size); `prompts`: asked after it. */
  | { type: 'open'; label: string; ask?: string; prompts?: Prompt[] }
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
  return { kind: 'confirm', plan, typed: '', wrong: false, scroll: 0 };
}

/** The next question, or (none left) the plan is read with what was collected. */
function advance(label: string, queue: Prompt[], got: Collected): FlowState {
  const [next, ...rest] = queue;
  if (!next) return { phase: { kind: 'planning', label }, queue: [], got };
  const phase: FlowPhase = next.kind === 'text' ? { kind: 'asking', label, prompt: next, value: '', error: null } : { kind: 'choosing', label, prompt: next, cursor: Math.min(next.initial ?? 0, next.options.length - 1) };
  return { phase, queue: rest, got };
}

function onKey(s: FlowState, input: string, key: FlowKey): FlowState {
  const p = s.phase;
  const to = (phase: FlowPhase): FlowState => (phase.kind === 'closed' ? initialFlowState : { ...s, phase });
  const printable = input !== '' && !key.ctrl && !key.meta && !key.return && !key.escape;
  switch (p.kind) {
    case 'asking': {
      if (key.escape) return initialFlowState;
      if (key.return) {
        const v = p.value.trim();
        if (v === '') return s;
        const error = p.prompt.check?.(v) ?? null;
        return error ? to({ ...p, error }) : advance(p.label, s.queue, withValue(s.got, p.prompt.target, v));
      }
      if (key.backspace || key.delete) return to({ ...p, value: p.value.slice(0, -1), error: null });
      return printable ? to({ ...p, value: p.value + input, error: null }) : s;
    }
    case 'choosing': {
      if (key.escape) return initialFlowState;
      const n = p.prompt.options.length;
      if (key.upArrow || key.downArrow) return to({ ...p, cursor: (p.cursor + (key.downArrow ? 1 : -1) + n) % n });
      if (!key.return) return s;
      const o = p.prompt.options[p.cursor]!;
      return advance(p.label, o.then ? [o.then, ...s.queue] : s.queue, withFlags(s.got, o.set));
    }
    case 'confirm': {
      const c = p.plan.confirm;
      if (key.escape) return to({ kind: 'declined', plan: p.plan });
      if (key.upArrow || key.downArrow) return to({ ...p, scroll: Math.max(0, Math.min(lastScroll(p.plan), p.scroll + (key.downArrow ? 1 : -1))) });
      if (c.kind === 'yes') {
        if (input === 'y' || input === 'Y') return to({ kind: 'running', plan: p.plan, lines: [] });
        if (input === 'n' || input === 'N' || key.return) return to({ kind: 'declined', plan: p.plan });
        return s;
      }
      if (c.kind === 'typed') {
        if (key.return) return to(p.typed === c.words ? { kind: 'running', plan: p.plan, lines: [] } : { ...p, typed: '', wrong: true });
        if (key.backspace || key.delete) return to({ ...p, typed: p.typed.slice(0, -1), wrong: false });
        return printable ? to({ ...p, typed: p.typed + input, wrong: false }) : s;
      }
      return s;
    }
    case 'running':
    case 'planning':
      return s;
    case 'bad':
    case 'refused':
    case 'finished':
    case 'declined':
      return key.escape || key.return || input === 'q' ? initialFlowState : s;
    case 'closed':
      return s;
  }
}

/**
 * A plan read: its choice (the candidates the action's read found) is asked first when its flag was not
 * given yet, then the plan is read again with the one chosen; else the plan is shown.
 */
function onPlanned(s: FlowState, plan: ActionPlan, label: string): FlowState {
  const c = plan.choice;
  if (c && !plan.bad && c.options.length && !(c.flag in s.got.flags)) {
    const prompt = choicePrompt(c, [`${plan.action}: ${plan.summary}`, ...plan.facts.slice(0, 3).map((f) => `  ${f}`)]);
    return { ...s, phase: { kind: 'choosing', label, prompt, cursor: prompt.initial ?? 0 } };
  }
  return { ...s, phase: afterPlan(plan) };
}

export function flowReducer(s: FlowState, a: FlowAction): FlowState {
  const p = s.phase;
  switch (a.type) {
    case 'open': {
      if (isOpen(s)) return s;
      const asked: Prompt[] = a.ask ? [{ kind: 'text', question: a.ask, target: { to: 'positional' } }] : [];
      return advance(a.label, [...asked, ...(a.prompts ?? [])], NOTHING_COLLECTED);
    }
    case 'bad':
      return { ...initialFlowState, phase: { kind: 'bad', label: a.label, message: a.message } };
    case 'planned':
      return p.kind === 'planning' ? onPlanned(s, a.plan, p.label) : s;
    case 'key':
      return onKey(s, a.input, a.key);
    case 'line':
      if (p.kind !== 'running') return s;
      return { ...s, phase: { ...p, lines: [...p.lines, ...a.line.split('\n')].slice(-KEEP_LINES) } };
    case 'finished':
      return p.kind === 'running' ? { ...s, phase: { kind: 'finished', plan: p.plan, lines: p.lines, outcome: a.outcome } } : s;
    case 'close':
      return isBusy(s) ? s : initialFlowState;
  }
}
