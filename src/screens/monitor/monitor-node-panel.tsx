// One node's panel: reachability, DRBD resources with their sync bars, RAID, LVM, ping, NFS.
import { Box, Text } from 'ink';
import type { CrmStatus } from '../../probes/crm-mon.js';
import type { Severity } from '../../monitor/health.js';
import type { NodeState } from '../../monitor/model.js';
import { drbdResourceLine, lvmLines, nfsLines, pingLines, raidLines, reachLine, readingLines, syncLines } from '../../monitor/summary.js';
import { SyncBar } from './monitor-sync-bar.js';
import type { MonitorTheme } from './monitor-theme.js';

export interface NodePanelProps {
  node: NodeState;
  now: number;
  cluster: CrmStatus | null;
  /** The worst severity among this node's problems. */
  severity: Severity;
  /** "node" when the node is selected, or the selected resource's name. */
  selected: string | null;
  /** Only the node line and its DRBD lines (while details are open). @default false */
  compact?: boolean;
  theme: MonitorTheme;
  /** The poll interval, for the readings' staleness. @default 2000 */
  intervalMs?: number;
}

export function NodePanel({ node, now, cluster, severity, selected, compact = false, theme, intervalMs = 2000 }: NodePanelProps) {
  const resources = Object.values(node.drbd.resources);
  // What cannot be read is said on the node, in UNKNOWN's colour, with its error and age (fail closed).
  const blind = compact ? [] : readingLines(node, now, intervalMs);
  const extra = node.reach.status === 'down' || compact ? [] : [...raidLines(node), ...lvmLines(node, now), ...pingLines(node, cluster), ...nfsLines(node)];
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" inverse={selected === 'node'}>
        <Text bold color={theme.color(severity)}>{`${selected === 'node' ? '>' : ' '} ${node.name} `}</Text>
        <Text>{reachLine(node, now)}</Text>
      </Text>
      {node.reach.status !== 'down' && node.drbd.error !== null ? <Text wrap="truncate">{`  DRBD: ${node.drbd.error}`}</Text> : null}
      {resources.map((r) => (
        <Box key={r.name} flexDirection="column">
          <Text wrap="truncate" inverse={selected === r.name}>{`${selected === r.name ? '>' : ' '} DRBD ${drbdResourceLine(r)}`}</Text>
          {syncLines(r).map((s, i) => (
            <SyncBar key={i} sync={s} theme={theme} />
          ))}
        </Box>
      ))}
      {extra.map((l, i) => (
        <Text key={i} wrap="truncate">{`  ${l}`}</Text>
      ))}
      {blind.map((l, i) => (
        <Text key={`u${i}`} wrap="truncate" color={theme.color('UNKNOWN')}>{`  ${l}`}</Text>
      ))}
    </Box>
  );
}
