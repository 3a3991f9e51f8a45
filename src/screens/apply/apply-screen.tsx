// The apply run as it happens: finished steps in <Static> with their time, the current step of each node
// live below (with a progress bar for long steps), work going on in the background (RAID resyncs) with
// its own bars, then a failure's details or the question being asked.
import React from 'react';
import { Box, Static, Text } from 'ink';
import type { ApplyUiState, FinishedLine } from '../../apply/ui-state.js';
import { formatOutcomeText } from '../../apply/format.js';
import { ApplyProgressBar } from './apply-progress-bar.js';
import { ApplyWipeConfirm } from './apply-wipe-confirm.js';
import { ApplyYesNo } from './apply-yes-no.js';
import { ApplyTypedConfirm } from './apply-typed-confirm.js';

export interface ApplyScreenProps {
  state: ApplyUiState;
  now: number;
  onAnswer: (yes: boolean) => void;
}

const MARK: Record<FinishedLine['kind'], { sign: string; color?: string }> = {
  done: { sign: '✔', color: 'green' },
  skip: { sign: '·', color: 'gray' },
  'would-run': { sign: '→', color: 'cyan' },
  failed: { sign: '✘', color: 'red' },
  info: { sign: ' ' },
  warn: { sign: '!', color: 'yellow' },
};

function Line({ line }: { line: FinishedLine }) {
  const m = MARK[line.kind];
  return (
    <Text>
      <Text color={m.color}>{m.sign}</Text> {line.node ? <Text bold>[{line.node}] </Text> : null}
      {line.text}
      {line.durationMs !== null ? <Text color="gray"> ({(line.durationMs / 1000).toFixed(1)} s)</Text> : null}
    </Text>
  );
}

export function ApplyScreen({ state, now, onAnswer }: ApplyScreenProps) {
  const { prompt, failure, outcome } = state;
  return (
    <Box flexDirection="column">
      <Static items={state.finished}>{(line) => <Line key={line.key} line={line} />}</Static>
      {Object.entries(state.live).map(([node, live]) => (
        <Box key={node} flexDirection="column">
          <Text>
            <Text color="yellow">…</Text> <Text bold>[{node}]</Text> {live.title} <Text color="gray">({((now - live.startedAt) / 1000).toFixed(0)} s)</Text>
          </Text>
          {live.command ? <Text color="gray">    $ {live.command.length > 120 ? `${live.command.slice(0, 117)}...` : live.command}</Text> : null}
          {live.progress ? <ApplyProgressBar {...live.progress} /> : null}
        </Box>
      ))}
      {Object.entries(state.background).map(([key, b]) => (
        <Box key={key} flexDirection="column">
          <Text>
            <Text color="cyan">↻</Text> <Text bold>[{b.node}]</Text> {b.what} <Text color="gray">(in the background; apply goes on)</Text>
          </Text>
          <ApplyProgressBar what={b.what} percent={b.percent} rateKiBs={b.rateKiBs} etaSec={b.etaSec} />
        </Box>
      ))}
      {failure ? (
        <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
          <Text color="red" bold>
            {failure.node}: {failure.title} failed
          </Text>
          <Text>command: {failure.failure.command}</Text>
          <Text>exit code: {failure.failure.exitCode ?? 'none'}</Text>
          {failure.failure.stderr ? <Text>stderr: {failure.failure.stderr}</Text> : null}
          <Text color="cyan">next: {failure.failure.next}</Text>
        </Box>
      ) : null}
      {prompt?.kind === 'wipe' ? <ApplyWipeConfirm key={prompt.node} node={prompt.node} disks={prompt.disks} onAnswer={onAnswer} /> : null}
      {prompt?.kind === 'yes-no' ? <ApplyYesNo question={prompt.question} detail={prompt.detail} onAnswer={onAnswer} /> : null}
      {prompt?.kind === 'typed' ? <ApplyTypedConfirm words={prompt.words} detail={prompt.detail} onAnswer={onAnswer} /> : null}
      {outcome ? <Text bold>{formatOutcomeText(outcome)}</Text> : null}
    </Box>
  );
}
