// The review: every generated file (exactly the bytes export and apply write; secrets masked), the
// failover rehearsal table, and every warning in one list.
import { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../common/use-keys.js';
import type { StepScreenProps } from '../../steps/types.js';
import { completeDraft } from '../../steps/draft.js';
import { useReviewData, shownContent } from './use-review-data.js';
import { ReviewTabs, REVIEW_TABS, type ReviewTab } from './review-tabs.js';
import { FileViewer } from '../common/file-viewer.js';
import { NextButton } from './next-button.js';
import { LIST_HEIGHT, ReviewPanel } from './review-panel.js';
import { tint } from '../common/theme.js';

export function ReviewScreen({ draft, errors, services, next, back, active }: StepScreenProps) {
  const r = completeDraft(draft);
  const answers = r.ok ? r.answers : null;
  const warnings = r.ok ? r.warnings : [];
  const data = useReviewData(services, answers, warnings, 78);
  const [tab, setTab] = useState<ReviewTab>('files');
  const [focus, setFocus] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const [scroll, setScroll] = useState(0);
  const files = data.files.status === 'ok' ? data.files.value.files : [];
  const stops = files.length + 1;

  useKeys((input, key) => {
    if (key.escape) return back();
    if (key.leftArrow || key.rightArrow) {
      setScroll(0);
      const i = REVIEW_TABS.indexOf(tab) + (key.rightArrow ? 1 : -1);
      return setTab(REVIEW_TABS[(i + REVIEW_TABS.length) % REVIEW_TABS.length]!);
    }
    if (tab !== 'files') {
      if (key.return) return next();
      if (key.downArrow || input === 'j') setScroll((x) => x + 1);
      else if (key.upArrow || input === 'k') setScroll((x) => Math.max(0, x - 1));
      return;
    }
    if (key.upArrow || input === 'k') setFocus((f) => (f + stops - 1) % stops);
    else if (key.downArrow || input === 'j' || key.tab) setFocus((f) => (f + 1) % stops);
    else if (key.return) {
      if (focus < files.length) setOpen(focus);
      else next();
    }
  }, active && open === null);

  if (!answers) {
    return (
      <Box flexDirection="column">
        <Text color={tint('red')}>✗ The answers are not complete yet:</Text>
        {Object.entries(errors).slice(0, 12).map(([k, v]) => (
          <Text key={k} wrap="truncate-end">
            {'  '}{k}: {v}
          </Text>
        ))}
        <Text>Esc goes back to fix them.</Text>
      </Box>
    );
  }
  const openFile = open !== null && data.files.status === 'ok' ? files[open] : undefined;
  if (openFile && data.files.status === 'ok') {
    return <FileViewer path={openFile.path} text={shownContent(openFile, data.files.value.mask)} onClose={() => setOpen(null)} active={active} />;
  }
  const top = Math.max(0, Math.min(focus - LIST_HEIGHT + 1, files.length - LIST_HEIGHT));
  return (
    <Box flexDirection="column">
      <ReviewTabs tab={tab} warnings={warnings.length} />
      <ReviewPanel tab={tab} data={data} files={files} warnings={warnings} top={top} focus={focus} scroll={scroll} />
      <Text dimColor>{tab === 'files' ? 'Enter opens a file · Enter on Next goes to the finish' : 'j/k scroll · Enter goes to the finish'}</Text>
      <NextButton focused={tab !== 'files' || focus === files.length} errors={0} />
    </Box>
  );
}
