// The ? overlay: what the keys do and what the colours mean.
import { Box, Text } from 'ink';

export function MonitorHelp() {
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold>hanfs monitor keys</Text>
      <Text>  up/down   select a node or DRBD resource; its last events and errors show below</Text>
      <Text>  esc       close the details</Text>
      <Text>  r         refresh now (poll every node)</Text>
      <Text>  ?         this help (any key closes it)</Text>
      <Text>  q         quit</Text>
      <Text>Health: OK, WARNING, CRITICAL, UNKNOWN; the worst problems are listed first.</Text>
    </Box>
  );
}
