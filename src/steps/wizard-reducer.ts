// Navigation as a reducer: which step is shown, the draft answers, and the overlays. Pure, so every
// transition is tested without rendering. Going back never drops answers: the draft is only ever added to.
import type { Draft } from './types.js';

export type Overlay = 'none' | 'help' | 'quit';

export interface WizardState {
  /** Index into the step list. */
  index: number;
  count: number;
  draft: Draft;
  /** True when the draft changed since it was last saved. */
  dirty: boolean;
  overlay: Overlay;
  /** Set when Next was refused because of errors; cleared by any change. */
  refused: boolean;
}

export type WizardAction =
  /** defaults: true when the change only fills defaults (nothing the user typed, so nothing unsaved). */
  | { type: 'update'; fn: (d: Draft) => Draft; defaults?: boolean }
  /** errors: how many field errors the current step has; Next is refused while there are any. */
  | { type: 'next'; errors: number }
  | { type: 'back' }
  | { type: 'goto'; index: number }
  | { type: 'saved' }
  | { type: 'help' }
  | { type: 'ask-quit' }
  | { type: 'close-overlay' };

export function initialState(draft: Draft, count: number, index = 0): WizardState {
  return { index: Math.max(0, Math.min(index, count - 1)), count, draft, dirty: false, overlay: 'none', refused: false };
}

export function wizardReducer(s: WizardState, a: WizardAction): WizardState {
  switch (a.type) {
    case 'update': {
      const draft = a.fn(s.draft);
      if (draft === s.draft) return s;
      return a.defaults ? { ...s, draft } : { ...s, draft, dirty: true, refused: false };
    }
    case 'next':
      if (a.errors > 0) return { ...s, refused: true };
      return s.index + 1 < s.count ? { ...s, index: s.index + 1, refused: false } : s;
    case 'back':
      return s.index > 0 ? { ...s, index: s.index - 1, refused: false, overlay: 'none' } : s;
    case 'goto':
      return a.index >= 0 && a.index < s.count ? { ...s, index: a.index, refused: false } : s;
    case 'saved':
      return { ...s, dirty: false };
    case 'help':
      return { ...s, overlay: s.overlay === 'help' ? 'none' : 'help' };
    case 'ask-quit':
      return { ...s, overlay: 'quit' };
    case 'close-overlay':
      return { ...s, overlay: 'none' };
  }
}
