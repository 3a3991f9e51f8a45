// The NFS exports: a adds, e edits, d removes, v switches the NFS versions served, Enter goes on.
// Enter goes on from anywhere in the list, as on the disks screen: when it edited the focused export, a
// user pressing Enter to continue past the one prefilled export was sent round its edit form in a loop.
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../common/use-keys.js';
import type { StepScreenProps } from '../../steps/types.js';
import { getPath, setPath } from '../../steps/draft.js';
import { DEFAULT_EXPORT_OPTIONS, exportsOf, type ExportDraft } from '../../steps/exports.js';
import { ExportEditor } from './export-editor.js';
import { NextButton } from './next-button.js';
import { tint } from '../common/theme.js';

const VERSION_CHOICES: (3 | 4)[][] = [[3, 4], [4], [3]];

export function ExportsScreen({ draft, errors, update, next, back, active, setTyping }: StepScreenProps) {
  const list = exportsOf(draft);
  const [focus, setFocus] = useState(0);
  const [editing, setEditing] = useState<{ index: number; initial: ExportDraft } | null>(null);
  useEffect(() => setTyping(editing !== null), [editing, setTyping]);
  const versions = (getPath(draft, 'nfs.versions') as number[] | undefined) ?? [3, 4];
  const stops = list.length + 1; // the exports, then Next

  useKeys((input, key) => {
    if (key.escape) return back();
    if (key.upArrow || input === 'k' || (key.tab && key.shift)) return setFocus((f) => (f + stops - 1) % stops);
    if (key.downArrow || input === 'j' || key.tab) return setFocus((f) => (f + 1) % stops);
    if (input === 'a') {
      const mount = String(getPath(draft, 'filesystem.mount') ?? '/srv/nfs').replace(/\/+$/, '');
      return setEditing({ index: list.length, initial: { path: `${mount}/`, clients: list[0]?.clients ?? '', options: DEFAULT_EXPORT_OPTIONS } });
    }
    if (input === 'v') {
      const i = VERSION_CHOICES.findIndex((c) => c.join() === versions.join());
      return update((d) => setPath(d, 'nfs.versions', VERSION_CHOICES[(i + 1) % VERSION_CHOICES.length]));
    }
    const current = list[focus];
    if (key.return) return next();
    if (current && input === 'e') return setEditing({ index: focus, initial: { ...current } });
    if (current && input === 'd') {
      update((d) => setPath(d, 'nfs.exports', exportsOf(d).filter((_, i) => i !== focus)));
      return setFocus((f) => Math.max(0, f - 1));
    }
  }, active && editing === null);

  if (editing) {
    return (
      <ExportEditor
        draft={draft}
        index={editing.index}
        initial={editing.initial}
        active={active}
        onCancel={() => setEditing(null)}
        onSave={(e) => {
          update((d) => {
            const l = [...exportsOf(d)];
            l[editing.index] = e;
            return setPath(d, 'nfs.exports', l);
          });
          setEditing(null);
        }}
      />
    );
  }
  return (
    <Box flexDirection="column">
      <Text>NFS versions: {versions.join(' and ')} (v switches)</Text>
      <Box flexDirection="column" marginY={1}>
        {list.length === 0 ? <Text>  no export yet: a adds one</Text> : null}
        {list.map((e, i) => (
          <Text key={`${i}-${e.path}`} bold={i === focus} wrap="truncate-end">
            {i === focus ? '› ' : '  '}
            {e.path} → {e.clients} ({e.options})
          </Text>
        ))}
      </Box>
      {Object.entries(errors).map(([k, v]) => (
        <Text key={k} color={tint('red')} wrap="wrap">
          ✗ {k}: {v}
        </Text>
      ))}
      <Text dimColor>a add · e edit · d remove · v versions · Enter next</Text>
      <NextButton focused={focus === list.length} errors={Object.keys(errors).length} />
    </Box>
  );
}
