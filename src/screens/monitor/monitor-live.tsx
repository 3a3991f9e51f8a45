// Runs the live view: renders MonitorApp, starts the collectors, and stops everything on q (abort
// signal for every loop and child process, cleared timers, closed runners by the caller). The action
// keys run over the same runners as the collectors (the monitor's own connections).
import { render } from 'ink';
import { startCollectors, type MonitoredNode } from '../../monitor/collect.js';
import type { MonitorStore } from '../../monitor/store.js';
import { shownChangeDue } from '../../monitor/quiet.js';
import { createActionService } from './action-service.js';
import { MonitorApp } from './monitor-app.js';
import { noColorFromEnv } from './monitor-theme.js';

export interface LiveOptions {
  /** Set on the demo lab: why the action keys run as dry runs. @default null */
  dryRunReason?: string | null;
  /** One line under the health line (after apply: what was just set up). */
  banner?: string;
  /** The answers file the monitor was started with: its actions get it as --answers (action-service.ts). */
  answersPath?: string | null;
}

export async function runLive(store: MonitorStore, nodes: MonitoredNode[], intervalMs: number, o: LiveOptions = {}): Promise<number> {
  const abort = new AbortController();
  const collectors = startCollectors(nodes, {
    intervalMs,
    dispatch: store.dispatch,
    now: Date.now,
    signal: abort.signal,
    // A tick (a redraw) only when a shown text moves with the clock: "retrying in N s", an age, a reading
    // turning stale; an idle healthy view redraws once a minute.
    fastTick: () => shownChangeDue(store.getState(), Date.now()),
    // With --answers the nodes' configuration files would say nothing the verdict uses: not read.
    readConfig: store.getState().expected === null,
  });
  const actions = createActionService(nodes.map((n) => ({ name: n.name, runner: n.runner })), { dryRunReason: o.dryRunReason ?? null, answersPath: o.answersPath ?? null });
  const app = render(
    <MonitorApp store={store} onQuit={() => abort.abort()} onRefresh={() => collectors.refresh()} noColor={noColorFromEnv()} actions={actions} {...(o.banner ? { banner: o.banner } : {})} />,
    { exitOnCtrlC: false },
  );
  await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
  // Unmounting aborts an action in flight; its engine stops at the next command and releases the run lock
  // before the caller closes the runners.
  app.unmount();
  await actions.settled();
  await collectors.done;
  return 0;
}
