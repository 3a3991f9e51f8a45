// The top line of the live monitor: overall health, clock, and the keys.
import { Box, Text } from 'ink';
import type { Severity } from '../../monitor/health.js';
import type { MonitorTheme } from './monitor-theme.js';

export interface HealthLineProps {
  overall: Severity;
  problems: number;
  now: number;
  theme: MonitorTheme;
}

export function HealthLine({ overall, problems, now, theme }: HealthLineProps) {
  const time = new Date(now).toISOString().slice(11, 19);
  return (
    <Box justifyContent="space-between">
      <Text wrap="truncate">
        <Text bold>hanfs monitor </Text>
        <Text bold inverse={theme.color(overall) === undefined} color={theme.color(overall)}>{` ${overall} `}</Text>
        <Text>{problems === 0 ? ' all fine' : ` ${problems} problem${problems === 1 ? '' : 's'}`}</Text>
      </Text>
      <Text dimColor={theme.dim}>{`${time} UTC  ? help  q quit`}</Text>
    </Box>
  );
}
