// Details of the selected node or DRBD resource: the last events and errors kept (five each).
import { Box, Text } from 'ink';
import type { LogEntry } from '../../monitor/model.js';
import type { MonitorTheme } from './monitor-theme.js';

export interface DetailsProps {
  title: string;
  events: LogEntry[];
  errors: LogEntry[];
  theme: MonitorTheme;
}

export function Details({ title, events, errors, theme }: DetailsProps) {
  return (
    <Box flexDirection="column">
      <Text bold inverse wrap="truncate">{` ${title}  (esc closes) `}</Text>
      <Text dimColor={theme.dim}>last events:</Text>
      {events.length === 0 ? <Text>  none</Text> : events.map((e, i) => <Text key={i} wrap="truncate">{`  ${e.text}`}</Text>)}
      <Text dimColor={theme.dim}>last errors:</Text>
      {errors.length === 0 ? <Text>  none</Text> : errors.map((e, i) => <Text key={i} wrap="truncate" color={theme.color('CRITICAL')}>{`  ${e.text}`}</Text>)}
    </Box>
  );
}
