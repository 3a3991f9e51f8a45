// The frame around every step: where we are, a DEMO marker with --demo, and the keys that work here.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { tint } from '../common/theme.js';

export interface FrameProps {
  title: string;
  position: number;
  count: number;
  demo: boolean;
  /** A status line (saved, unsaved, save error). */
  status: string;
  /** True when a text field has the focus: q and j/k are then typed, so the hint says Ctrl+C. */
  typing: boolean;
  children: ReactNode;
}

export function Frame({ title, position, count, demo, status, typing, children }: FrameProps) {
  return (
    <Box flexDirection="column" width={80}>
      <Box justifyContent="space-between">
        <Text bold color={tint('cyan')}>
          hanfs-wizard · {position}/{count} · {title}
        </Text>
        {demo ? (
          <Text inverse bold color={tint('yellow')}>
            {' DEMO '}
          </Text>
        ) : null}
      </Box>
      <Box flexDirection="column">
        {children}
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text dimColor wrap="truncate-end">
          ↑↓{typing ? '' : '/jk'} move · Tab field · Enter next · Esc back · ? help · {typing ? 'Ctrl+C' : 'q'} quit
        </Text>
        <Text dimColor wrap="truncate-end">{status}</Text>
      </Box>
    </Box>
  );
}
