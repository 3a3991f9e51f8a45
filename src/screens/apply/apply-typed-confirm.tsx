// A risk the admin must accept in words (running without fencing): the reasons above, then the words to
// type and Enter. Anything else accepts nothing and asks again; Esc refuses.
import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';

export interface ApplyTypedConfirmProps {
  detail: string[];
  /** What must be typed exactly. */
  words: string;
  onAnswer: (confirmed: boolean) => void;
}

export function ApplyTypedConfirm({ detail, words, onAnswer }: ApplyTypedConfirmProps) {
  const [typed, setTypedState] = useState({ value: '', wrong: false });
  // The input handler can run before React re-renders with the last key: read the value from a ref.
  const current = useRef(typed);
  const setTyped = (next: { value: string; wrong: boolean }) => {
    current.current = next;
    setTypedState(next);
  };
  useInput((input, key) => {
    const t = current.current;
    if (key.escape) onAnswer(false);
    else if (key.return) {
      if (t.value === words) onAnswer(true);
      else setTyped({ value: '', wrong: true });
    } else if (key.backspace || key.delete) setTyped({ value: t.value.slice(0, -1), wrong: false });
    else if (input && !key.ctrl && !key.meta) setTyped({ value: t.value + input, wrong: false });
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      {detail.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Text>
        Type "{words}" and Enter to go on, Esc to stop: <Text bold>{typed.value}</Text>
      </Text>
      {typed.wrong ? <Text color="yellow">Not the words asked for; nothing was run. Type "{words}" exactly, or Esc.</Text> : null}
    </Box>
  );
}
