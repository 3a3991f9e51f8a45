// A DRBD resync progress bar with percent, rate and ETA. The percent comes clamped from progress.ts.
import { Text } from 'ink';
import type { SyncLine } from '../../monitor/summary.js';
import { bar, fmtEta, fmtKiB, fmtRate } from '../../monitor/units.js';
import type { MonitorTheme } from './monitor-theme.js';

export interface SyncBarProps {
  sync: SyncLine;
  /** Bar cells. @default 20 */
  width?: number;
  theme: MonitorTheme;
}

export function SyncBar({ sync, width = 20, theme }: SyncBarProps) {
  return (
    <Text wrap="truncate">
      {'    '}
      <Text>{sync.replication} </Text>
      <Text color={theme.color('WARNING')}>{bar(sync.percent, width)}</Text>
      <Text bold>{` ${sync.percent.toFixed(1)}%`}</Text>
      <Text>{` ${fmtRate(sync.rateKiBs)} ETA ${fmtEta(sync.etaSec)} ${fmtKiB(sync.oosKiB)} left`}</Text>
    </Text>
  );
}
