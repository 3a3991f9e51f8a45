// The disks of one node: Space chooses or drops one, exactly two make the RAID1 pair. Ineligible disks are
// dimmed with their reason; the focused disk's details (model, serial, by-id name) show below the list.
import { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../common/use-keys.js';
import type { StepScreenProps } from '../../steps/types.js';
import { chooseDisks, chosenDisks, diskStepNode } from '../../steps/disks.js';
import { findDisk, gib, preferredDiskPath } from '../../steps/defaults.js';
import { NextButton } from './next-button.js';
import { Notes } from './notes.js';
import { tint } from '../common/theme.js';

export function DisksScreen({ step, draft, ctx, errors, notes, update, next, back, active }: StepScreenProps) {
  const node = diskStepNode(step.id);
  const facts = ctx.facts?.[node];
  const disks = facts?.disks ?? [];
  const [focus, setFocus] = useState(0);
  const chosen = chosenDisks(draft, node);
  const field = `nodes[${node}].disks`;
  const isChosen = (path: string) => chosen.some((c) => findDisk(facts, c)?.path === path || c === path);

  useKeys((input, key) => {
    if (key.escape) return back();
    if (key.return) return next();
    if (key.upArrow || input === 'k' || (key.tab && key.shift)) setFocus((f) => (f + disks.length - 1) % Math.max(1, disks.length));
    else if (key.downArrow || input === 'j' || key.tab) setFocus((f) => (f + 1) % Math.max(1, disks.length));
    else if (input === ' ' && disks[focus]) {
      const d = disks[focus]!;
      update((dr) => {
        const cur = chosenDisks(dr, node);
        const kept = cur.filter((c) => findDisk(facts, c)?.path !== d.path && c !== d.path);
        return chooseDisks(dr, node, kept.length < cur.length ? kept : [...cur, preferredDiskPath(d)], facts);
      });
    }
  }, active);

  if (!facts) return <Text>waiting for the probes of this node…</Text>;
  const f = disks[focus];
  return (
    <Box flexDirection="column">
      <Text>
        {facts.hostname}: choose exactly two disks (Space), {chosen.length} chosen
      </Text>
      {disks.map((d, i) => {
        const reason = d.verdict.eligible ? '' : d.verdict.reasons[0] ?? '';
        const line = `${i === focus ? '›' : ' '} [${isChosen(d.path) ? 'x' : ' '}] ${d.name.padEnd(6)} ${gib(d.sizeBytes).padStart(10)}  ${
          d.verdict.eligible ? `${(d.model ?? '-').slice(0, 20).padEnd(20)} ${d.serial ?? '-'}` : reason
        }`;
        return (
          <Text key={d.path} dimColor={!d.verdict.eligible} bold={i === focus} wrap="truncate-end">
            {line}
          </Text>
        );
      })}
      {f ? (
        <Box flexDirection="column" marginTop={1}>
          <Text wrap="truncate-end">
            {f.path} · model {f.model ?? '-'} · serial {f.serial ?? '-'} · {f.byId[0] ?? 'no /dev/disk/by-id name'}
          </Text>
          {!f.verdict.eligible ? <Text wrap="wrap">not usable: {f.verdict.reasons.join('; ')}</Text> : null}
        </Box>
      ) : null}
      {errors[field] ? (
        <Text color={tint('red')} wrap="wrap">
          ✗ {errors[field]}
        </Text>
      ) : null}
      <Notes notes={notes} />
      <NextButton focused={false} errors={Object.keys(errors).length} />
    </Box>
  );
}
