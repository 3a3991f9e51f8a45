// The wizard's own keys, before any screen sees them: the host key question (y/n), the quit question
// (y saves and quits, n quits, Esc stays), ? for help, q or Ctrl-C to quit (asking when answers are
// unsaved). Apart from the wizard (wizard-app.tsx) so the order in which they win is read in one place.
import type { Key } from 'ink';
import type { Overlay, WizardAction } from '../../steps/wizard-reducer.js';
import type { HostKeyAsked } from './use-wizard-probe.js';

export interface WizardKeyContext {
  hostKey: HostKeyAsked | null;
  setHostKey: (q: HostKeyAsked | null) => void;
  overlay: Overlay;
  /** Answers changed since the last save. */
  dirty: boolean;
  dispatch: (a: WizardAction) => void;
  /** Saves the answers, then exits 0 once saved. */
  quit: () => void;
  exit: (code: number) => void;
}

/** True when the key was taken (screens do not see it). */
export function wizardKey(input: string, key: Key, typingNow: boolean, c: WizardKeyContext): boolean {
  if (c.hostKey) {
    if (input === 'y' || input === 'n') {
      c.hostKey.answer(input === 'y');
      c.setHostKey(null);
    }
    return true;
  }
  if (c.overlay === 'quit') {
    if (input === 'y') c.quit();
    else if (input === 'n') c.exit(0);
    else if (key.escape) c.dispatch({ type: 'close-overlay' });
    return true;
  }
  if (input === '?' || (c.overlay === 'help' && key.escape)) {
    c.dispatch({ type: 'help' });
    return true;
  }
  if ((key.ctrl && input === 'c') || (input === 'q' && !typingNow && c.overlay === 'none')) {
    if (c.dirty) c.dispatch({ type: 'ask-quit' });
    else c.exit(0);
    return true;
  }
  return c.overlay !== 'none';
}
