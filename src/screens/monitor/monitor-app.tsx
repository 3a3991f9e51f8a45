// The live monitor: top health line, worst problems first, one panel per node, details of the selected
// node or resource, help. Presentational: state comes from the store, actions go out through callbacks.
import { useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput } from 'ink';
import { assessHealth, clusterStatus, SEVERITY_RANK, type Severity } from '../../monitor/health.js';
import type { MonitorStore } from '../../monitor/store.js';
import { clusterLines } from '../../monitor/summary.js';
import { isOpen } from './action-flow-state.js';
import { ACTION_KEYS, type ActionKey } from './action-keys.js';
import type { MonitorActionService } from './action-service.js';
import { ActionOverlay } from './monitor-action-overlay.js';
import { Details } from './monitor-details.js';
import { MonitorFooter } from './monitor-footer.js';
import { HealthLine } from './monitor-health-line.js';
import { MonitorHelp } from './monitor-help.js';
import { NodePanel } from './monitor-node-panel.js';
import { Problems } from './monitor-problems.js';
import { moveSelection, selectionItems, type SelectionItem } from './monitor-selection.js';
import { makeTheme } from './monitor-theme.js';
import { useActionFlow } from './use-action-flow.js';

export interface MonitorAppProps {
  store: MonitorStore;
  onQuit: () => void;
  onRefresh: () => void;
  /** Disables colours (NO_COLOR). @default false */
  noColor?: boolean;
  /** Runs the action keys over the monitor's connections; without it the monitor only watches. */
  actions?: MonitorActionService;
  /** The action keys. @default ACTION_KEYS */
  actionKeys?: ActionKey[];
  /** One line under the health line (after apply: what was just set up). */
  banner?: string;
}

export function MonitorApp({ store, onQuit, onRefresh, noColor = false, actions, actionKeys = ACTION_KEYS, banner }: MonitorAppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [selected, setSelected] = useState<SelectionItem | null>(null);
  const [help, setHelpState] = useState(false);
  // Keys can arrive before the re-render that installs a new input handler: read help from a ref.
  const helpRef = useRef(false);
  const setHelp = (v: boolean) => {
    helpRef.current = v;
    setHelpState(v);
  };
  const theme = makeTheme(noColor);
  // A finished action: poll at once, so the monitor shows the state it read back.
  const flow = useActionFlow(actions, onRefresh);
  const keys = actions ? actionKeys : [];
  // The selection is read in the input handler: a ref, for the same reason as help's.
  const selectedRef = useRef<SelectionItem | null>(null);
  selectedRef.current = selected;

  useInput((input, key) => {
    if (helpRef.current) return setHelp(false);
    if (key.ctrl && input === 'c') return onQuit();
    // The overlay takes every key while open (typed words go to it, not to the monitor).
    if (flow.open()) return flow.input(input, key);
    if (input === 'q') return onQuit();
    const action = keys.find((k) => k.key === input);
    if (action) return flow.start(action, selectedRef.current, store.getState());
    if (input === '?') return setHelp(true);
    if (input === 'r') return onRefresh();
    if (key.escape) return setSelected(null);
    if (key.downArrow || key.upArrow) {
      const items = selectionItems(store.getState());
      setSelected((cur) => moveSelection(items, cur, key.downArrow ? 1 : -1));
    }
  });

  const health = assessHealth(state);
  const cluster = clusterStatus(state.nodes);
  const pcmkErrors = [...new Set(state.nodeOrder.map((n) => state.nodes[n]?.pacemaker.error ?? null).filter((e): e is string => e !== null))];
  const worst = (node: string): Severity =>
    health.problems.filter((p) => p.node === node).reduce<Severity>((w, p) => (SEVERITY_RANK[p.severity] > SEVERITY_RANK[w] ? p.severity : w), 'OK');
  const selNode = selected ? state.nodes[selected.node] : undefined;
  const overlay = isOpen(flow.state);
  const selRes = selected?.resource ? selNode?.drbd.resources[selected.resource] : undefined;

  return (
    // 80x24 must hold it all: with help open the problems, cluster lines and node panels give way (the
    // health line still counts the problems); with an action's overlay open, the problems; with details open the panels
    // shrink to their DRBD lines and the cluster summary to one line.
    <Box flexDirection="column">
      <HealthLine overall={health.overall} problems={health.problems.length} now={state.now} theme={theme} />
      {banner ? <Text bold wrap="truncate">{banner}</Text> : null}
      {/* The overlay needs the rows; the health line still counts the problems. */}
      {overlay || help ? null : <Problems problems={health.problems} max={selected ? 2 : 4} theme={theme} />}
      {help ? <MonitorHelp actionKeys={keys} /> : null}
      {!help && overlay ? <ActionOverlay state={flow.state} dryRunReason={actions?.dryRunReason ?? null} theme={theme} /> : null}
      {!help && !overlay && selNode ? (
        <Details
          title={selRes ? `${selNode.name} DRBD ${selRes.name}` : `${selNode.name}`}
          events={selRes ? selRes.events : Object.values(selNode.drbd.resources).flatMap((r) => r.events).sort((a, b) => a.at - b.at).slice(-5)}
          errors={selRes ? selRes.errors : selNode.errors}
          theme={theme}
        />
      ) : null}
      {clusterLines(cluster, pcmkErrors).slice(0, help ? 0 : selNode || overlay ? 1 : 3).map((l, i) => (
        <Text key={i} wrap="truncate">{l}</Text>
      ))}
      {help
        ? null
        : state.nodeOrder.map((name) => {
            const n = state.nodes[name];
            if (!n) return null;
            const sel = selected?.node === name ? (selected.resource ?? 'node') : null;
            return <NodePanel key={name} node={n} now={state.now} cluster={cluster} severity={worst(name)} selected={sel} compact={selNode !== undefined || overlay} theme={theme} intervalMs={state.intervalMs} />;
          })}
      {keys.length && !help ? <MonitorFooter keys={keys} theme={theme} dryRun={actions?.dryRunReason != null} /> : null}
    </Box>
  );
}
