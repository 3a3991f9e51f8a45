// The last screen before anything is destroyed on a node: every disk that will be wiped, with its size,
// model, serial and current signatures; the admin types the node's name and Enter to go on. A wrong name
// wipes nothing and asks again; Esc refuses.
import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { DiskReview } from '../../apply/disk-review.js';
import { formatBytes } from '../../probes/disks.js';

export interface ApplyWipeConfirmProps {
  node: string;
  disks: DiskReview[];
  onAnswer: (confirmed: boolean) => void;
}

export function ApplyWipeConfirm({ node, disks, onAnswer }: ApplyWipeConfirmProps) {
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
      if (t.value === node) onAnswer(true);
      else setTyped({ value: '', wrong: true });
    } else if (key.backspace || key.delete) setTyped({ value: t.value.slice(0, -1), wrong: false });
    else if (input && !key.ctrl && !key.meta) setTyped({ value: t.value + input, wrong: false });
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
      <Text color="red" bold>
        These disks on {node} will be WIPED (everything on them is lost):
      </Text>
      {disks.map((d) => (
        <Text key={d.disk}>
          {'  '}
          {d.disk}
          {d.info ? ` (${d.info.path})  ${formatBytes(d.info.sizeBytes)}  model ${d.info.model ?? '-'}  serial ${d.info.serial ?? '-'}  signatures: ${d.info.signatures.join(', ') || 'none'}` : ''}
        </Text>
      ))}
      <Text>
        Type the node name ({node}) and Enter to wipe them, Esc to stop: <Text bold>{typed.value}</Text>
      </Text>
      {typed.wrong ? <Text color="yellow">That is not {node}; nothing was wiped. Type {node} exactly, or Esc.</Text> : null}
    </Box>
  );
}
