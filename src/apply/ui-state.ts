// The apply screen's state as one pure reducer over the engine's events (the project's style: reducers,
// small screens): finished lines go to <Static>, the current step per node and its progress stay live.
import type { ApplyEvent, ApplyOutcome, StepFailure, StepView } from './engine.js';
import type { DiskReview } from './disk-review.js';

export interface FinishedLine {
  key: string;
  node: string;
  text: string;
  kind: 'done' | 'skip' | 'would-run' | 'failed' | 'info' | 'warn';
  durationMs: number | null;
}

export interface LiveStep {
  title: string;
  startedAt: number;
  command: string | null;
  progress: { percent: number; rateKiBs: number | null; etaSec: number | null; what: string } | null;
}

export type Prompt =
  | { kind: 'wipe'; node: string; disks: DiskReview[] }
  | { kind: 'yes-no'; question: string; detail: string[] }
  | { kind: 'typed'; words: string; detail: string[] };

export interface BackgroundProgress {
  node: string;
  what: string;
  percent: number;
  rateKiBs: number | null;
  etaSec: number | null;
}

export interface ApplyUiState {
  finished: FinishedLine[];
  live: Record<string, LiveStep>;
  /** Work that goes on while later steps run (RAID resyncs), keyed by node and what; gone when finished. */
  background: Record<string, BackgroundProgress>;
  failure: { node: string; title: string; failure: StepFailure } | null;
  prompt: Prompt | null;
  outcome: ApplyOutcome | null;
  counter: number;
}

export type ApplyUiAction =
  | { type: 'event'; event: ApplyEvent }
  | { type: 'prompt'; prompt: Prompt | null }
  | { type: 'outcome'; outcome: ApplyOutcome };

export const initialApplyUiState: ApplyUiState = { finished: [], live: {}, background: {}, failure: null, prompt: null, outcome: null, counter: 0 };

function push(s: ApplyUiState, line: Omit<FinishedLine, 'key'>): ApplyUiState {
  return { ...s, counter: s.counter + 1, finished: [...s.finished, { ...line, key: String(s.counter) }] };
}

/** A node's current step, and apart from it the step it runs in the background (both live at once). */
function liveKey(step: StepView): string {
  return step.background ? `${step.node} (in the background)` : step.node;
}

function withoutLive(s: ApplyUiState, node: string): Record<string, LiveStep> {
  const live = { ...s.live };
  delete live[node];
  return live;
}

export function applyUiReducer(s: ApplyUiState, a: ApplyUiAction): ApplyUiState {
  if (a.type === 'prompt') return { ...s, prompt: a.prompt };
  // The outcome says where background work stands (formatOutcomeText): its bars go with the live steps.
  if (a.type === 'outcome') return { ...s, outcome: a.outcome, live: {}, background: {} };
  const e = a.event;
  switch (e.type) {
    case 'assessed': {
      const todo = e.steps.filter((x) => x.status === 'todo').length;
      return push(s, { node: '', text: `plan: ${e.steps.length} steps, ${e.steps.length - todo} already done, ${todo} to run`, kind: 'info', durationMs: null });
    }
    case 'step-skip':
      return push(s, { node: e.step.node, text: `${e.step.title} (already done)`, kind: 'skip', durationMs: null });
    case 'step-would-run':
      return push(s, {
        node: e.step.node,
        text: [`${e.step.title}${e.step.destructive ? ' [DESTRUCTIVE]' : ''} (would run)`, ...e.commands.map((c) => `    $ ${c}`)].join('\n'),
        kind: 'would-run',
        durationMs: null,
      });
    case 'step-start':
      return { ...s, live: { ...s.live, [liveKey(e.step)]: { title: e.step.title, startedAt: e.at, command: null, progress: null } } };
    case 'command': {
      const cur = s.live[liveKey(e.step)];
      return cur ? { ...s, live: { ...s.live, [liveKey(e.step)]: { ...cur, command: e.command } } } : s;
    }
    case 'progress': {
      if (e.background) {
        const key = `${e.step.node}\0${e.what}`;
        const background = { ...s.background };
        if (e.percent >= 100) delete background[key];
        else background[key] = { node: e.step.node, what: e.what, percent: e.percent, rateKiBs: e.rateKiBs, etaSec: e.etaSec };
        return { ...s, background };
      }
      const cur = s.live[liveKey(e.step)];
      const progress = { percent: e.percent, rateKiBs: e.rateKiBs, etaSec: e.etaSec, what: e.what };
      return cur ? { ...s, live: { ...s.live, [liveKey(e.step)]: { ...cur, progress } } } : s;
    }
    case 'step-done':
      return { ...push(s, { node: e.step.node, text: e.step.title, kind: 'done', durationMs: e.durationMs }), live: withoutLive(s, liveKey(e.step)) };
    case 'step-failed':
      return {
        ...push(s, { node: e.step.node, text: e.step.title, kind: 'failed', durationMs: null }),
        live: withoutLive(s, liveKey(e.step)),
        failure: { node: e.step.node, title: e.step.title, failure: e.failure },
      };
    case 'message':
      return push(s, { node: '', text: e.text, kind: e.level, durationMs: null });
  }
}
