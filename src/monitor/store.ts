// A tiny external store around the reducer: collectors dispatch, the screen subscribes (React's
// useSyncExternalStore). No React here, so --once and the benches use it too.
import { reduce, type MonitorEvent } from './reducer.js';
import type { MonitorState } from './model.js';
import { quietEvent } from './quiet.js';

export interface MonitorStore {
  getState(): MonitorState;
  dispatch(e: MonitorEvent): void;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: MonitorState): MonitorStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(e) {
      const next = reduce(state, e);
      if (next === state) return;
      // Kept without waking the screen, at the time it was last drawn for (quiet.ts: idle cost).
      if (quietEvent(state, e, next)) {
        state = { ...next, now: state.now };
        return;
      }
      state = next;
      for (const l of listeners) l();
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
