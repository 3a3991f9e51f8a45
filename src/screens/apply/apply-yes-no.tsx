// A yes/no question before apply goes on (installing packages, replacing a file edited by hand):
// the detail (a diff) above, y to go on, n or Esc to stop.
import React from 'react';
import { Box, Text, useInput } from 'ink';

export interface ApplyYesNoProps {
  question: string;
  detail: string[];
  onAnswer: (yes: boolean) => void;
}

export function ApplyYesNo({ question, detail, onAnswer }: ApplyYesNoProps) {
  useInput((input, key) => {
    if (input === 'y' || input === 'Y') onAnswer(true);
    else if (input === 'n' || input === 'N' || key.escape) onAnswer(false);
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      {detail.map((line, i) => (
        <Text key={i} color={line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : undefined}>
          {line}
        </Text>
      ))}
      <Text bold>{question} [y/n]</Text>
    </Box>
  );
}
