// Key handling for the wizard's screens. Ink's useInput subscribes in a passive effect, which may run after
// the frame is drawn: a key typed right after a screen appears could be lost, or reach the previous
// render's handler and act on stale state. Inside <KeyRouter> (the wizard app) handlers are registered in a
// layout effect, before any key can arrive, and always read the latest render's handler.
import { createContext, createElement, useContext, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { useInput, type Key } from 'ink';

type Handler = (input: string, key: Key) => void;
interface Entry {
  handler: Handler;
  active: boolean;
  /** A text field of this handler has the focus: q, j, k and letters are text, not commands. */
  typing: boolean;
}

export class KeyRoutes {
  private readonly entries = new Set<{ current: Entry }>();
  add(e: { current: Entry }): () => void {
    this.entries.add(e);
    return () => this.entries.delete(e);
  }
  /** Known at the latest render, unlike state set in an effect: decides whether q quits or is typed. */
  typing(): boolean {
    return [...this.entries].some((e) => e.current.active && e.current.typing);
  }
  /** Gives the key to every active handler, in mount order. */
  dispatch(input: string, key: Key): void {
    for (const e of [...this.entries]) if (e.current.active) e.current.handler(input, key);
  }
}

const RouterContext = createContext<KeyRoutes | null>(null);

/** Owns the one Ink input subscription; the wizard app handles its global keys in `global` first. */
export function KeyRouter({ global, children }: { global?: (input: string, key: Key, typing: boolean) => boolean; children: ReactNode }) {
  const routes = useMemo(() => new KeyRoutes(), []);
  const globalRef = useRef(global);
  globalRef.current = global;
  useInput((input, key) => {
    if (globalRef.current?.(input, key, routes.typing())) return;
    routes.dispatch(input, key);
  });
  return createElement(RouterContext.Provider, { value: routes }, children);
}

export function useKeys(handler: Handler, isActive = true, typing = false): void {
  const routes = useContext(RouterContext);
  const ref = useRef<Entry>({ handler, active: isActive, typing });
  ref.current = { handler, active: isActive, typing };
  useLayoutEffect(() => (routes ? routes.add(ref) : undefined), [routes]);
  // Outside a router (a screen rendered on its own), fall back to Ink's own subscription.
  useInput((input, key) => ref.current.handler(input, key), { isActive: routes === null && isActive });
}
