// Runs the live view: renders MonitorApp, starts the collectors, and stops everything on q (abort
// signal for every loop and child process, cleared timers, closed runners by the caller).
import { render } from 'ink';
import { startCollectors, type MonitoredNode } from '../../monitor/collect.js';
import type { MonitorStore } from '../../monitor/store.js';
import { shownChangeDue } from '../../monitor/quiet.js';
import { MonitorApp } from './monitor-app.js';
import { noColorFromEnv } from './monitor-theme.js';

export async function runLive(store: MonitorStore, nodes: MonitoredNode[], intervalMs: number): Promise<number> {
  const abort = new AbortController();
  const collectors = startCollectors(nodes, {
    intervalMs,
    dispatch: store.dispatch,
    now: Date.now,
    signal: abort.signal,
    // A tick (a redraw) only when a shown text moves with the clock: "retrying in N s", an age, a reading
    // turning stale; an idle healthy view redraws once a minute.
    fastTick: () => shownChangeDue(store.getState(), Date.now()),
  });
  const app = render(<MonitorApp store={store} onQuit={() => abort.abort()} onRefresh={() => collectors.refresh()} noColor={noColorFromEnv()} />, {
    exitOnCtrlC: false,
  });
  await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
  app.unmount();
  await collectors.done;
  return 0;
}
