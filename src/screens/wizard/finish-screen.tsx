// The end: export every file to a directory, apply to the nodes, or save the answers and quit.
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../common/use-keys.js';
import type { StepScreenProps } from '../../steps/types.js';
import { completeDraft } from '../../steps/draft.js';
import { editText } from '../common/text-edit.js';
import { tint } from '../common/theme.js';

const CHOICES = [
  { id: 'export', label: 'Export the files to a directory', explain: 'Writes every file (README.md first) without touching the nodes.' },
  { id: 'apply', label: 'Apply to both nodes', explain: 'Saves the answers and runs hanfs-wizard apply: it shows the plan, then asks before changing anything.' },
  { id: 'save', label: 'Save the answers and quit', explain: 'Reopen later with hanfs-wizard --answers FILE, or export with hanfs-wizard export.' },
] as const;

export function FinishScreen({ draft, services, back, exit, active, setTyping }: StepScreenProps) {
  const [focus, setFocus] = useState(0);
  const [dir, setDir] = useState('./hanfs-export');
  const [editingDir, setEditingDir] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setTyping(editingDir), [editingDir, setTyping]);
  const r = completeDraft(draft);

  const doExport = async () => {
    if (!r.ok) return setMessage({ ok: false, text: 'the answers are not complete: go back to the review' });
    setMessage({ ok: true, text: `exporting to ${dir}…` });
    const built = await services.buildExport(r.answers, r.warnings);
    if (!built.ok) return setMessage({ ok: false, text: built.error });
    const w = await services.writeExport(dir, built.files, false);
    const saved = await services.save(draft);
    setMessage(
      w.ok
        ? { ok: true, text: `exported ${w.written} files to ${dir}; start with ${dir}/README.md${saved.ok ? ` · answers saved to ${services.answersPath}` : ''} · q quits` }
        : { ok: false, text: `${w.message}: choose another directory` },
    );
  };

  useKeys((input, key) => {
    if (editingDir) {
      if (key.escape) return setEditingDir(false);
      if (key.return) {
        setEditingDir(false);
        return void doExport();
      }
      const edited = editText(dir, input, key);
      if (edited !== null) setDir(edited);
      return;
    }
    if (key.escape) return back();
    if (key.upArrow || input === 'k') setFocus((f) => (f + CHOICES.length - 1) % CHOICES.length);
    else if (key.downArrow || input === 'j' || key.tab) setFocus((f) => (f + 1) % CHOICES.length);
    else if (key.return) {
      const c = CHOICES[focus]!.id;
      if (c === 'export') setEditingDir(true);
      else if (c === 'apply') {
        if (services.applyUnavailable) return setMessage({ ok: false, text: services.applyUnavailable });
        void services.save(draft).then((s) => {
          if (!s.ok) return setMessage({ ok: false, text: `could not save: ${s.error}` });
          services.requestApply();
          exit(0);
        });
      }
      else void services.save(draft).then((s) => (s.ok ? exit(0) : setMessage({ ok: false, text: `could not save: ${s.error}` })));
    }
  }, active, editingDir);

  return (
    <Box flexDirection="column">
      {CHOICES.map((c, i) => (
        <Text key={c.id} bold={i === focus} color={i === focus ? tint('cyan') : undefined}>
          {i === focus ? '› ' : '  '}
          {c.label}
          {c.id === 'apply' && services.applyUnavailable ? ' (not available yet)' : c.id === 'apply' && services.demo ? ' (demo: a dry run)' : ''}
        </Text>
      ))}
      <Box marginTop={1}>
        <Text wrap="wrap">  {CHOICES[focus]!.explain}</Text>
      </Box>
      {editingDir || focus === 0 ? (
        <Text>
          {'  Directory: '}
          <Text inverse={editingDir}>{dir}{editingDir ? '▏' : ''}</Text>
          {editingDir ? '  (Enter writes, Esc cancels)' : ''}
        </Text>
      ) : null}
      {message ? (
        <Text color={tint(message.ok ? 'green' : 'red')} wrap="wrap">
          {message.ok ? '✓ ' : '✗ '}
          {message.text}
        </Text>
      ) : null}
    </Box>
  );
}
