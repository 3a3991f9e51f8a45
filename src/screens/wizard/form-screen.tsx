// The screen of every form step (raid, lvm, drbd, network, pacemaker, backups, nodes): the step's fields
// one per line, the focused field's explanation, the step's notes, and Next. Keys: ↑↓ (j/k outside text),
// Tab/Shift+Tab between fields, ←→ or Space change a choice, Enter goes on, Esc goes back.
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../common/use-keys.js';
import type { Draft, FieldDef, StepScreenProps } from '../../steps/types.js';
import { getPath, setPath } from '../../steps/draft.js';
import { editText } from '../common/text-edit.js';
import { FieldRow } from './field-row.js';
import { NextButton } from './next-button.js';
import { Notes } from './notes.js';

const readValue = (f: FieldDef, d: Draft): unknown => (f.read ? f.read(d) : getPath(d, f.path));
const writeValue = (f: FieldDef, d: Draft, v: unknown): Draft => (f.write ? f.write(d, v) : setPath(d, f.path, v));

export function displayValue(f: FieldDef, v: unknown): string {
  if (f.kind === 'select') return String(f.options?.find((o) => o.value === v)?.label ?? v ?? '');
  if (Array.isArray(v)) return v.join(', ');
  return v === undefined || v === null ? '' : String(v);
}

/** Typed text -> the value stored in the draft (numbers as numbers, lists as arrays). */
export function parseTyped(f: FieldDef, text: string): unknown {
  if (f.kind === 'number') return /^\d{1,9}$/.test(text) ? Number(text) : text;
  if (f.kind === 'list') return text.split(/[\s,]+/).filter((x) => x !== '');
  return text;
}

export function FormScreen({ step, draft, ctx, errors, notes, update, next, back, setTyping, active }: StepScreenProps) {
  const fields = step.fields?.(draft, ctx) ?? [];
  const [focus, setFocus] = useState(0);
  // Raw text per field while typing, so "192.168.1.1," stays as typed even though the draft holds a list.
  const [raw, setRaw] = useState<Record<string, string>>({});
  const count = fields.length + 1; // the Next button is the last stop
  const field = fields[focus];
  const typing = field !== undefined && field.kind !== 'select';
  useEffect(() => setTyping(typing), [typing, setTyping]);

  const move = (delta: number) => setFocus((f) => (f + delta + count) % count);
  const cycle = (f: FieldDef, delta: number) => {
    const opts = f.options ?? [];
    if (opts.length === 0) return;
    const i = opts.findIndex((o) => o.value === readValue(f, draft));
    const o = opts[(i + delta + opts.length) % opts.length]!;
    update((d) => writeValue(f, d, o.value));
    // A select can replace the fields below it (another fence agent's parameters): text typed there
    // belongs to the old choice.
    setRaw({});
  };

  useKeys((input, key) => {
    if (key.escape) return back();
    if (key.upArrow || (key.tab && key.shift) || (!typing && input === 'k')) return move(-1);
    if (key.downArrow || key.tab || (!typing && input === 'j')) return move(1);
    if (key.return) return field === undefined ? next() : move(1);
    if (!field) return;
    if (field.kind === 'select') {
      if (key.leftArrow || input === 'h') cycle(field, -1);
      else if (key.rightArrow || input === ' ' || input === 'l') cycle(field, 1);
      return;
    }
    const current = raw[field.path] ?? displayValue(field, readValue(field, draft));
    const edited = editText(current, input, key);
    if (edited === null) return;
    setRaw((r) => ({ ...r, [field.path]: edited }));
    update((d) => writeValue(field, d, parseTyped(field, edited)));
  }, active, typing);

  const selected = field?.kind === 'select' ? field.options?.find((o) => o.value === readValue(field, draft)) : undefined;
  const explain = selected?.explain ?? field?.hint;
  return (
    <Box flexDirection="column">
      {fields.map((f, i) => (
        <FieldRow
          key={f.path}
          field={f}
          shown={raw[f.path] ?? displayValue(f, readValue(f, draft))}
          focused={i === focus}
          error={errors[f.path]}
        />
      ))}
      <Box marginTop={1} minHeight={2}>
        <Text wrap="wrap">{explain ? `  ${explain}` : ' '}</Text>
      </Box>
      <Notes notes={notes} />
      <NextButton focused={focus === fields.length} errors={Object.keys(errors).length} />
    </Box>
  );
}
