// What the action overlay asks before it reads the plan, and what it has collected: typed text (grow's
// size, restore's path, a time) or one of a list (restore's snapshot, disk replace's new disk). A value
// becomes a positional or a flag of the action's own parse(), exactly as the subcommand would pass it.
// Pure: the reducer (action-flow-state.ts) moves through them.
import type { PlanChoice } from '../../plan/actions/types.js';

/** The positionals a key passes to the action's parse, or why the key cannot act now (one line). */
export type KeyArgs = { ok: true; positionals: string[]; prompts?: Prompt[] } | { ok: false; why: string };

/** Where a value goes: appended to the positionals, or a flag (`at` for --at). */
export type PromptTarget = { to: 'positional' } | { to: 'flag'; flag: string };

export interface TextPrompt {
  kind: 'text';
  question: string;
  target: PromptTarget;
  /**
   * Bad input caught before the plan is read (the action's own argument checks): one line naming the
   * field ("PATH: ..."); the overlay keeps the value to correct. Null: fine.
   */
  check?: (value: string) => string | null;
}

export interface PickOption {
  label: string;
  /** Flags this option sets (--from NAME, --replace). */
  set?: Record<string, string | boolean>;
  /** A value still to type once chosen (restore's "at a time"). */
  then?: TextPrompt;
}

export interface PickPrompt {
  kind: 'pick';
  question: string;
  options: PickOption[];
  /** The option under the cursor at first (the action's default). @default 0 */
  initial?: number;
  /** Lines shown above the question: what the choice is about. */
  context?: string[];
  /** One dim line below the options (what was not offered, and why). */
  note?: string;
}

export type Prompt = TextPrompt | PickPrompt;

export interface Collected {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

export const NOTHING_COLLECTED: Collected = { positionals: [], flags: {} };

export function withValue(c: Collected, t: PromptTarget, value: string): Collected {
  return t.to === 'positional' ? { ...c, positionals: [...c.positionals, value] } : { ...c, flags: { ...c.flags, [t.flag]: value } };
}

export function withFlags(c: Collected, set: Record<string, string | boolean> | undefined): Collected {
  return set ? { ...c, flags: { ...c.flags, ...set } } : c;
}

/** A plan's choice (the candidates its read found) as a list: the action's default under the cursor. */
export function choicePrompt(choice: PlanChoice, context: string[]): PickPrompt {
  const initial = Math.max(0, choice.options.findIndex((o) => o.value === choice.default));
  return {
    kind: 'pick',
    question: choice.question,
    options: choice.options.map((o) => ({ label: `${o.label}${o.value === choice.default ? '  (default)' : ''}`, set: { [choice.flag]: o.value } })),
    initial,
    context,
    ...(choice.notOffered ? { note: choice.notOffered } : {}),
  };
}
