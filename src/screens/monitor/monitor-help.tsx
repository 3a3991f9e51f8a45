// The ? overlay: what the keys do and what the colours mean.
import { Box, Text } from 'ink';
import type { ActionKey } from './action-keys.js';

export interface MonitorHelpProps {
  /** The action keys (action-keys.ts). @default [] */
  actionKeys?: ActionKey[];
}

export function MonitorHelp({ actionKeys = [] }: MonitorHelpProps) {
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold>{`hanfs monitor keys${actionKeys.length ? ' (an action shows its plan, asks, runs, reads back)' : ''}`}</Text>
      <Text>  up/down   select a node or DRBD resource; its last events and errors show below</Text>
      <Text>  esc       close the details</Text>
      <Text>  r         refresh now (poll every node)</Text>
      {actionKeys.map((k) => (
        <Text key={k.key} wrap="truncate">{`  ${k.key.padEnd(10)}${k.help}`}</Text>
      ))}
      {/* One line for both: with every action key the help fills the 24 rows. */}
      <Text>  ? / q     this help (any key closes it) / quit</Text>
      <Text>Health: OK, WARNING, CRITICAL, UNKNOWN; the worst problems are listed first.</Text>
    </Box>
  );
}
