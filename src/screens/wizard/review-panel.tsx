// The review's middle: the tab shown (the files list, the rehearsal table, or the warnings), each in its
// loading, failed or ready state. Apart from the review screen (review-screen.tsx), which owns the keys
// and the focus: this is what it draws between the tabs and the hint line.
import { Box, Text } from 'ink';
import type { Problem } from '../../answers/semantic.js';
import type { ExportFile } from '../../generate/export-layout.js';
import { Spinner } from '../common/spinner.js';
import { tint } from '../common/theme.js';
import type { ReviewTab } from './review-tabs.js';
import type { ReviewData } from './use-review-data.js';

/** Lines the review shows of a list or table at a time. */
export const LIST_HEIGHT = 12;

export interface ReviewPanelProps {
  tab: ReviewTab;
  data: ReviewData;
  files: ExportFile[];
  warnings: Problem[];
  /** The files list's first shown line and focused file. */
  top: number;
  focus: number;
  /** The first shown line of the rehearsal table or the warnings. */
  scroll: number;
}

export function ReviewPanel({ tab, data, files, warnings, top, focus, scroll }: ReviewPanelProps) {
  return (
    <Box flexDirection="column" marginY={1} minHeight={LIST_HEIGHT}>
      {tab === 'files' ? (
        data.files.status === 'loading' ? (
          <Spinner label="generating the files…" />
        ) : data.files.status === 'failed' ? (
          <Text color={tint('red')}>✗ could not generate the files: {data.files.error}</Text>
        ) : (
          files.slice(top, top + LIST_HEIGHT).map((f, i) => (
            <Text key={f.path} bold={top + i === focus} wrap="truncate-end">
              {top + i === focus ? '› ' : '  '}
              {f.path.padEnd(52)} {f.mode.toString(8).padStart(4, '0')} {String(typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.length).padStart(6)} B
            </Text>
          ))
        )
      ) : tab === 'rehearsal' ? (
        data.rehearsal.status === 'loading' ? (
          <Spinner label="rehearsing failures with Pacemaker's scheduler…" />
        ) : data.rehearsal.status === 'failed' ? (
          <Text color={tint('yellow')} wrap="wrap">! rehearsal not available: {data.rehearsal.error}</Text>
        ) : (
          <Text>{scrolled(data.rehearsal.value, scroll)}</Text>
        )
      ) : warnings.length === 0 ? (
        <Text>No warnings.</Text>
      ) : (
        warnings.slice(scroll).map((w) => (
          <Text key={w.path + w.message} color={tint('yellow')} wrap="wrap">
            ! {w.path}: {w.message}
          </Text>
        ))
      )}
    </Box>
  );
}

/** LIST_HEIGHT lines of a text from line `from` (clamped), so a long table scrolls inside the review. */
function scrolled(text: string, from: number): string {
  const lines = text.split('\n');
  const top = Math.min(from, Math.max(0, lines.length - LIST_HEIGHT));
  return lines.slice(top, top + LIST_HEIGHT).join('\n');
}
