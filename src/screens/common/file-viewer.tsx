// One generated file, scrollable: j/k or ↑↓ a line, PgUp/PgDn or Space a page, g/G the ends, Esc closes.
import { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './use-keys.js';

export interface FileViewerProps {
  path: string;
  /** The text to show (secrets already masked). */
  text: string;
  /** @default 14 */
  height?: number;
  onClose: () => void;
  active: boolean;
}

export function FileViewer({ path, text, height = 14, onClose, active }: FileViewerProps) {
  const lines = text.replace(/\n$/, '').split('\n');
  const max = Math.max(0, lines.length - height);
  const [top, setTop] = useState(0);
  const scroll = (n: number) => setTop((t) => Math.max(0, Math.min(max, t + n)));
  useKeys((input, key) => {
    if (key.escape || input === 'q') onClose();
    else if (key.downArrow || input === 'j') scroll(1);
    else if (key.upArrow || input === 'k') scroll(-1);
    else if (key.pageDown || input === ' ') scroll(height);
    else if (key.pageUp) scroll(-height);
    else if (input === 'g') setTop(0);
    else if (input === 'G') setTop(max);
  }, active);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {path} · lines {Math.min(lines.length, top + 1)}-{Math.min(lines.length, top + height)} of {lines.length}
      </Text>
      <Box flexDirection="column" height={height}>
        {lines.slice(top, top + height).map((l, i) => (
          <Text key={top + i} wrap="truncate-end">
            {l === '' ? ' ' : l}
          </Text>
        ))}
      </Box>
      <Text dimColor>j/k scroll · Space/PgDn page · g/G ends · Esc back to the list</Text>
    </Box>
  );
}
