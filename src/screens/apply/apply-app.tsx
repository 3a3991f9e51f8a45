// Wires the engine's events (through a small bus, no engine import here) into the apply screen's reducer,
// and the admin's answers back. A one-second tick keeps the live steps' elapsed time moving; cleaned up.
import React, { useEffect, useReducer, useState } from 'react';
import { useInput } from 'ink';
import { applyUiReducer, initialApplyUiState, type ApplyUiAction } from '../../apply/ui-state.js';
import { ApplyScreen } from './apply-screen.js';

export interface ApplyBus {
  /** Subscribes to actions; returns the unsubscribe function. Actions sent before subscribing are replayed. */
  subscribe: (dispatch: (a: ApplyUiAction) => void) => () => void;
  answer: (yes: boolean) => void;
  /** Ctrl-C: Ink holds the terminal in raw mode, so the key arrives here instead of as SIGINT. */
  interrupt: () => void;
}

export function ApplyApp({ bus }: { bus: ApplyBus }) {
  const [state, dispatch] = useReducer(applyUiReducer, initialApplyUiState);
  const [now, setNow] = useState(Date.now());
  useEffect(() => bus.subscribe(dispatch), [bus]);
  useInput((input, key) => {
    if (key.ctrl && input === 'c') bus.interrupt();
  });
  useEffect(() => {
    if (state.outcome) return undefined;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [state.outcome]);
  return <ApplyScreen state={state} now={now} onAnswer={bus.answer} />;
}

/** A bus for one run: the command pushes actions and awaits answers; the app renders and answers. */
export function createApplyBus(onInterrupt: () => void = () => {}): ApplyBus & { send: (a: ApplyUiAction) => void; ask: (a: ApplyUiAction) => Promise<boolean> } {
  const backlog: ApplyUiAction[] = [];
  let listener: ((a: ApplyUiAction) => void) | null = null;
  let pending: ((yes: boolean) => void) | null = null;
  const send = (a: ApplyUiAction) => (listener ? listener(a) : backlog.push(a));
  return {
    subscribe(d) {
      listener = d;
      for (const a of backlog.splice(0)) d(a);
      return () => {
        listener = null;
      };
    },
    answer(yes) {
      const p = pending;
      pending = null;
      send({ type: 'prompt', prompt: null });
      p?.(yes);
    },
    interrupt() {
      // A pending question is answered "no"; the engine then stops at the next command boundary.
      const p = pending;
      pending = null;
      p?.(false);
      onInterrupt();
    },
    send,
    ask(a) {
      return new Promise<boolean>((resolve) => {
        pending = resolve;
        send(a);
      });
    },
  };
}
