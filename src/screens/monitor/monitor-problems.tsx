// The worst problems first (danger sort from health.ts), cut to what fits.
import { Box, Text } from 'ink';
import type { Problem } from '../../monitor/health.js';
import type { MonitorTheme } from './monitor-theme.js';

export interface ProblemsProps {
  problems: Problem[];
  /** How many lines at most. @default 4 */
  max?: number;
  theme: MonitorTheme;
}

export function Problems({ problems, max = 4, theme }: ProblemsProps) {
  if (problems.length === 0) return null;
  const shown = problems.slice(0, max);
  const hidden = problems.length - shown.length;
  return (
    <Box flexDirection="column">
      {shown.map((p, i) => (
        <Text key={i} wrap="truncate">
          <Text color={theme.color(p.severity)} bold>{p.severity.padEnd(8)}</Text>
          <Text>{` ${p.node ?? 'cluster'} ${p.subject}: ${p.text}`}</Text>
        </Text>
      ))}
      {hidden > 0 ? <Text dimColor={theme.dim}>{`  ... and ${hidden} more`}</Text> : null}
    </Box>
  );
}
