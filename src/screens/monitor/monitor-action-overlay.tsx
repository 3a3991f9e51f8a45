// The action overlay of the live monitor: the plan (formatActionPlan, the subcommand's own lines), the
// refusal with its reason, the confirmation (y/n or typed words), the engine's progress, the read-back.
// Presentational: the state comes from action-flow-state.ts, the keys go through use-action-flow.ts.
import { Box, Text } from 'ink';
import type { ActionPlan } from '../../apply/action-run.js';
import type { FlowState } from './action-flow-state.js';
import { FlowPrompt } from './monitor-flow-prompt.js';
import { PLAN_LINES, planWindow } from './plan-lines.js';
import type { MonitorTheme } from './monitor-theme.js';

export interface ActionOverlayProps {
  state: FlowState;
  /** Set on the demo: why the action runs as a dry run. */
  dryRunReason: string | null;
  theme: MonitorTheme;
  /** How many lines of the plan at most (the screen is 24 rows). @default 9 */
  maxPlanLines?: number;
}

function PlanLines({ plan, max, scroll = 0 }: { plan: ActionPlan; max: number; scroll?: number }) {
  // The plan's own lines (the subcommand's), a window of them when they do not fit (plan-lines.ts).
  const w = planWindow(plan, max, scroll);
  return (
    <Box flexDirection="column">
      {w.lines.map((l, i) => (
        <Text key={i} wrap="truncate" bold={i === 0 && scroll === 0}>{l}</Text>
      ))}
      {w.more ? <Text dimColor wrap="truncate">{w.more}</Text> : null}
    </Box>
  );
}

export function ActionOverlay({ state, dryRunReason, theme, maxPlanLines = PLAN_LINES }: ActionOverlayProps) {
  const p = state.phase;
  if (p.kind === 'closed') return null;
  const warn = theme.color('WARNING');
  const bad = theme.color('CRITICAL');
  const label = 'plan' in p ? p.plan.action : p.label;
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold wrap="truncate">{`action: ${label}${p.kind === 'running' ? '  (running; the monitor keeps polling)' : ''}`}</Text>
      {dryRunReason ? <Text color={warn} wrap="truncate">{`dry run: ${dryRunReason}`}</Text> : null}
      {p.kind === 'asking' || p.kind === 'choosing' ? <FlowPrompt phase={p} theme={theme} /> : null}
      {p.kind === 'planning' ? <Text>reading the cluster...</Text> : null}
      {p.kind === 'bad' ? <Text color={bad}>{`error: ${p.message}`}</Text> : null}
      {p.kind === 'refused' ? <PlanLines plan={p.plan} max={maxPlanLines} /> : null}
      {p.kind === 'confirm' ? <PlanLines plan={p.plan} max={maxPlanLines} scroll={p.scroll} /> : null}
      {p.kind === 'refused' ? p.plan.refusals.map((r, i) => <Text key={i} color={bad} wrap="truncate">{`refused: ${r}`}</Text>) : null}
      {p.kind === 'refused' ? <Text>nothing was run.</Text> : null}
      {p.kind === 'confirm' && p.plan.confirm.kind === 'yes' ? <Text bold>{`${p.plan.confirm.question} [y/N]`}</Text> : null}
      {p.kind === 'confirm' && p.plan.confirm.kind === 'typed' ? (
        <Box flexDirection="column">
          <Text color={warn} wrap="truncate">{p.plan.confirm.why}</Text>
          <Text>{`Type "${p.plan.confirm.words}" + Enter (Esc stops): `}<Text bold>{p.typed}</Text></Text>
          {p.wrong ? <Text color={warn} wrap="truncate">{`Not the words asked for; nothing was run. Type "${p.plan.confirm.words}" exactly, or Esc.`}</Text> : null}
        </Box>
      ) : null}
      {/* A plan that asked nothing (a list, a cleanup of nothing) was not shown before it ran: its facts are its answer. */}
      {(p.kind === 'running' || p.kind === 'finished') && p.plan.confirm.kind === 'none' ? <PlanLines plan={p.plan} max={maxPlanLines} /> : null}
      {(p.kind === 'running' || p.kind === 'finished') && p.plan.confirm.kind !== 'none' ? <Text wrap="truncate">{p.plan.summary}</Text> : null}
      {p.kind === 'running' || p.kind === 'finished' ? p.lines.map((l, i) => <Text key={i} wrap="truncate">{l}</Text>) : null}
      {p.kind === 'running' ? <Text dimColor={theme.dim}>running...</Text> : null}
      {p.kind === 'finished' ? <Text bold>{p.outcome}</Text> : null}
      {p.kind === 'declined' ? <Text wrap="truncate">{`${p.plan.action}: not confirmed; nothing was run.`}</Text> : null}
      {p.kind === 'bad' || p.kind === 'refused' || p.kind === 'finished' || p.kind === 'declined' ? <Text dimColor={theme.dim}>esc closes</Text> : null}
      {p.kind === 'confirm' ? <Text dimColor={theme.dim}>esc closes without running anything</Text> : null}
    </Box>
  );
}
