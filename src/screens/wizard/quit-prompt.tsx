// Asked on q when answers changed since they were last saved.
import { Box, Text } from 'ink';

export function QuitPrompt({ file }: { file: string }) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Quit with unsaved answers?</Text>
      <Text>y: save them to {file} and quit · n: quit without saving · Esc: stay</Text>
    </Box>
  );
}
