// A spinner while both nodes are read, then a summary of each: OS, kernel, DRBD, disks, NICs, failures.
import { Box, Text } from 'ink';
import { useKeys } from '../common/use-keys.js';
import { Spinner } from '../common/spinner.js';
import type { StepScreenProps } from '../../steps/types.js';
import { NextButton } from './next-button.js';
import { tint } from '../common/theme.js';

export function ProbingScreen({ ctx, next, back, active, reprobe }: StepScreenProps) {
  useKeys((input, key) => {
    if (key.escape) back();
    else if (key.return && ctx.probe.status === 'done') next();
    else if (input === 'r' && (ctx.probe.status === 'done' || ctx.probe.status === 'failed')) reprobe();
  }, active);
  const p = ctx.probe;
  if (p.status === 'waiting' || p.status === 'running') {
    return <Spinner label={p.status === 'running' ? `reading ${p.labels.join(' and ')}…` : 'waiting for the node targets…'} />;
  }
  if (p.status === 'failed') {
    return (
      <Box flexDirection="column">
        <Text color={tint('red')}>✗ probing failed: {p.error}</Text>
        <Text>r: try again · Esc: back to the node targets</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {p.facts.map((f) => {
        const eligible = f.disks.filter((d) => d.verdict.eligible).length;
        return (
          <Box key={f.target + f.hostname} flexDirection="column" marginBottom={1}>
            <Text bold>
              {f.hostname} ({f.target})
            </Text>
            <Text>  {f.os?.prettyName ?? 'unknown OS'} · kernel {f.kernel ?? '?'} · DRBD {f.drbdModuleVersion ?? 'missing'}</Text>
            <Text>  {f.disks.length} disks, {eligible} usable · NICs: {f.nics.filter((n) => !n.loopback).map((n) => n.name).join(', ')}</Text>
            {f.failures.length > 0 ? (
              <Text color={tint('yellow')} wrap="truncate-end">
                {'  ! '}{f.failures.length} probe{f.failures.length > 1 ? 's' : ''} failed: {f.failures.map((x) => x.probe).join(', ')}
              </Text>
            ) : null}
          </Box>
        );
      })}
      <NextButton focused errors={0} />
    </Box>
  );
}
