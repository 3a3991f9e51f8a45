// The live monitor: top health line, worst problems first, one panel per node, details of the selected
// node or resource, help. Presentational: state comes from the store, actions go out through callbacks.
import { useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput } from 'ink';
import { assessHealth, clusterStatus, SEVERITY_RANK, type Severity } from '../../monitor/health.js';
import type { MonitorStore } from '../../monitor/store.js';
import { clusterLines } from '../../monitor/summary.js';
import { Details } from './monitor-details.js';
import { HealthLine } from './monitor-health-line.js';
import { MonitorHelp } from './monitor-help.js';
import { NodePanel } from './monitor-node-panel.js';
import { Problems } from './monitor-problems.js';
import { moveSelection, selectionItems, type SelectionItem } from './monitor-selection.js';
import { makeTheme } from './monitor-theme.js';

export interface MonitorAppProps {
  store: MonitorStore;
  onQuit: () => void;
  onRefresh: () => void;
  /** Disables colours (NO_COLOR). @default false */
  noColor?: boolean;
}

export function MonitorApp({ store, onQuit, onRefresh, noColor = false }: MonitorAppProps) {
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

  useInput((input, key) => {
    if (helpRef.current) return setHelp(false);
    if (input === 'q' || (key.ctrl && input === 'c')) return onQuit();
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
  const selRes = selected?.resource ? selNode?.drbd.resources[selected.resource] : undefined;

  return (
    // 80x24 must hold it all: with help open the node panels give way; with details open the panels
    // shrink to their DRBD lines and the cluster summary to one line.
    <Box flexDirection="column">
      <HealthLine overall={health.overall} problems={health.problems.length} now={state.now} theme={theme} />
      <Problems problems={health.problems} max={selected ? 2 : 4} theme={theme} />
      {help ? <MonitorHelp /> : null}
      {!help && selNode ? (
        <Details
          title={selRes ? `${selNode.name} DRBD ${selRes.name}` : `${selNode.name}`}
          events={selRes ? selRes.events : Object.values(selNode.drbd.resources).flatMap((r) => r.events).sort((a, b) => a.at - b.at).slice(-5)}
          errors={selRes ? selRes.errors : selNode.errors}
          theme={theme}
        />
      ) : null}
      {clusterLines(cluster, pcmkErrors).slice(0, selNode ? 1 : 3).map((l, i) => (
        <Text key={i} wrap="truncate">{l}</Text>
      ))}
      {help
        ? null
        : state.nodeOrder.map((name) => {
            const n = state.nodes[name];
            if (!n) return null;
            const sel = selected?.node === name ? (selected.resource ?? 'node') : null;
            return <NodePanel key={name} node={n} now={state.now} cluster={cluster} severity={worst(name)} selected={sel} compact={selNode !== undefined} theme={theme} intervalMs={state.intervalMs} />;
          })}
    </Box>
  );
}
