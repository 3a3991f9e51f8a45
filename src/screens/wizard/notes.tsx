// Non-blocking notes and warnings of a step (size mismatches, shared NICs, risky choices), one per line.
import { Box, Text } from 'ink';
import { tint } from '../common/theme.js';

export function Notes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <Box flexDirection="column" marginBottom={1}>
      {notes.map((n) => (
        <Text key={n} color={tint('yellow')} wrap="wrap">
          {'  ! '}
          {n}
        </Text>
      ))}
    </Box>
  );
}
