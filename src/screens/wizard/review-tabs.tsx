// The review's tab bar: Files, Rehearsal, Warnings (← → switch).
import { Box, Text } from 'ink';

export type ReviewTab = 'files' | 'rehearsal' | 'warnings';
export const REVIEW_TABS: ReviewTab[] = ['files', 'rehearsal', 'warnings'];

export function ReviewTabs({ tab, warnings }: { tab: ReviewTab; warnings: number }) {
  const label = (t: ReviewTab) => (t === 'files' ? 'Files' : t === 'rehearsal' ? 'Rehearsal' : `Warnings (${warnings})`);
  return (
    <Box>
      {REVIEW_TABS.map((t) => (
        <Text key={t} inverse={t === tab} bold={t === tab}>
          {` ${label(t)} `}
        </Text>
      ))}
      <Text dimColor> ← → switch</Text>
    </Box>
  );
}
