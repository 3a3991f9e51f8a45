// Missing packages per node with the exact command that installs them, and the DRBD module check.
import { Box, Text } from 'ink';
import { useKeys } from '../common/use-keys.js';
import type { StepScreenProps } from '../../steps/types.js';
import { prereqsOf } from '../../steps/prerequisites.js';
import { NextButton } from './next-button.js';
import { tint } from '../common/theme.js';

export function PrerequisitesScreen({ ctx, errors, next, back, active, reprobe }: StepScreenProps) {
  useKeys((input, key) => {
    if (key.escape) back();
    else if (key.return) next();
    else if (input === 'r') reprobe();
  }, active);
  const facts = ctx.facts ?? [];
  return (
    <Box flexDirection="column">
      {ctx.probe.status === 'running' ? <Text>reading the nodes again…</Text> : facts.length === 0 ? <Text>waiting for the probes…</Text> : null}
      {facts.map((f) => {
        const p = prereqsOf(f);
        return (
          <Box key={f.hostname} flexDirection="column" marginBottom={1}>
            <Text bold>
              {p.node} · {f.os?.prettyName ?? 'unknown OS'} · {p.drbd}
            </Text>
            {p.missing.length === 0 ? (
              <Text color={tint('green')}>  ✓ every package is installed</Text>
            ) : (
              <>
                <Text color={tint('yellow')}>  ! missing: {p.missing.join(', ')}</Text>
                <Text>  install on {p.node}: {p.install ?? 'no install command known for this distribution'}</Text>
              </>
            )}
          </Box>
        );
      })}
      {Object.entries(errors).map(([k, v]) => (
        <Text key={k} color={tint('red')} wrap="wrap">
          ✗ {v}
        </Text>
      ))}
      <Text dimColor>r: read both nodes again (after installing what is missing)</Text>
      <NextButton focused errors={Object.keys(errors).length} />
    </Box>
  );
}
