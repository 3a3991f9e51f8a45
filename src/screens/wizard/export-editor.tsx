// Adding or editing one NFS export: path, clients and options, checked as the answers file checks them.
import { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../common/use-keys.js';
import type { Draft, FieldDef } from '../../steps/types.js';
import { schemaErrors, setPath } from '../../steps/draft.js';
import { exportsOf, type ExportDraft } from '../../steps/exports.js';
import { editText } from '../common/text-edit.js';
import { FieldRow } from './field-row.js';
import { NextButton } from './next-button.js';

export interface ExportEditorProps {
  draft: Draft;
  /** Position in nfs.exports; equal to the list's length when adding. */
  index: number;
  initial: ExportDraft;
  onSave: (e: ExportDraft) => void;
  onCancel: () => void;
  active: boolean;
}

const KEYS = ['path', 'clients', 'options'] as const;
const HINTS = {
  path: 'A directory under the replicated mount point.',
  clients: 'Who may mount: a host, a network such as 192.168.1.0/24, or a wildcard (exports(5)).',
  options: 'exports(5) options, comma-separated: rw,sync,no_subtree_check is the safe default.',
};

export function ExportEditor({ draft, index, initial, onSave, onCancel, active }: ExportEditorProps) {
  const [value, setValue] = useState<ExportDraft>(initial);
  const [focus, setFocus] = useState(0);
  const [refused, setRefused] = useState(false);
  const list = [...exportsOf(draft)];
  list[index] = value;
  const fields: FieldDef[] = KEYS.map((k) => ({ path: `nfs.exports[${index}].${k}`, label: k === 'path' ? 'Directory' : k === 'clients' ? 'Clients' : 'Options', kind: 'text', hint: HINTS[k] }));
  const errors = schemaErrors(setPath(draft, 'nfs.exports', list), fields.map((f) => f.path));
  KEYS.forEach((k, i) => {
    if (value[k] === '') errors[fields[i]!.path] = 'is required';
  });
  const count = Object.keys(errors).length;

  useKeys((input, key) => {
    if (key.escape) return onCancel();
    if (key.upArrow || (key.tab && key.shift)) return setFocus((f) => (f + 3) % 4);
    if (key.downArrow || key.tab) return setFocus((f) => (f + 1) % 4);
    if (key.return && focus === 3) return count === 0 ? onSave(value) : setRefused(true);
    if (key.return) return setFocus(focus + 1);
    const k = KEYS[focus];
    if (!k) return;
    const edited = editText(value[k], input, key);
    if (edited !== null) {
      setValue((v) => ({ ...v, [k]: edited }));
      setRefused(false);
    }
  }, active, true);

  return (
    <Box flexDirection="column">
      <Text bold>{index < exportsOf(draft).length ? `Edit export ${index + 1}` : 'New export'}</Text>
      {fields.map((f, i) => (
        <FieldRow key={f.path} field={f} shown={value[KEYS[i]!]} focused={i === focus} error={errors[f.path]} labelWidth={12} />
      ))}
      <Text>  {fields[focus]?.hint ?? ' '}</Text>
      <NextButton focused={focus === 3} errors={count} label="Save export" />
      {refused ? <Text>  not saved: fix the fields marked ✗ first</Text> : null}
      <Text dimColor>Esc: cancel this edit</Text>
    </Box>
  );
}
