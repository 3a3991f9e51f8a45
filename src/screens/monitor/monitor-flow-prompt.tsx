// What the action overlay asks before it reads the plan: a value to type (with the last Enter's bad
// input, one line naming the field, the value kept to correct), or one of a list under a cursor (a few
// options around it: the screen is 24 rows). Presentational: the state is action-flow-state.ts's.
import { Box, Text } from 'ink';
import type { FlowPhase } from './action-flow-state.js';
import type { MonitorTheme } from './monitor-theme.js';

type PromptPhase = Extract<FlowPhase, { kind: 'asking' } | { kind: 'choosing' }>;

/** How many options are listed at once. */
export const SHOWN_OPTIONS = 6;

export function FlowPrompt({ phase, theme }: { phase: PromptPhase; theme: MonitorTheme }) {
  if (phase.kind === 'asking') {
    return (
      <Box flexDirection="column">
        <Text wrap="truncate">{`${phase.prompt.question}: `}<Text bold>{phase.value}</Text>{'  (Enter reads the plan, Esc closes)'}</Text>
        {phase.error ? <Text color={theme.color('CRITICAL')}>{`error: ${phase.error}`}</Text> : null}
      </Box>
    );
  }
  const { prompt, cursor } = phase;
  const first = Math.max(0, Math.min(cursor - Math.floor(SHOWN_OPTIONS / 2), prompt.options.length - SHOWN_OPTIONS));
  const shown = prompt.options.slice(first, first + SHOWN_OPTIONS);
  return (
    <Box flexDirection="column">
      {(prompt.context ?? []).map((l, i) => (
        <Text key={`c${i}`} wrap="truncate" bold={i === 0}>{l}</Text>
      ))}
      <Text bold wrap="truncate">{`${prompt.question}:`}</Text>
      {shown.map((o, i) => (
        <Text key={`o${first + i}`} wrap="truncate" inverse={first + i === cursor}>{`${first + i === cursor ? '>' : ' '} ${o.label}`}</Text>
      ))}
      {prompt.options.length > shown.length ? <Text dimColor={theme.dim}>{`  (${prompt.options.length} in all; up/down scrolls)`}</Text> : null}
      {prompt.note ? <Text dimColor={theme.dim}>{prompt.note}</Text> : null}
      <Text dimColor={theme.dim}>up/down chooses, Enter takes it, Esc closes</Text>
    </Box>
  );
}
