// The `?` help of the current step.
import { Box, Text } from 'ink';

export function HelpPanel({ title, text }: { title: string; text: string }) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Help: {title}</Text>
      <Text wrap="wrap">{text}</Text>
      <Text dimColor>? or Esc closes this help</Text>
    </Box>
  );
}
