// One field of a form: the focus marker, the label, the value (a select shows ‹ value ›) and, below it,
// the field's error in the answers file's own words.
import { Box, Text } from 'ink';
import type { FieldDef } from '../../steps/types.js';
import { tint } from '../common/theme.js';

export interface FieldRowProps {
  field: FieldDef;
  /** The text shown as the value (raw text being typed, or the option label). */
  shown: string;
  focused: boolean;
  error?: string;
  /** @default 26 */
  labelWidth?: number;
}

export function FieldRow({ field, shown, focused, error, labelWidth = 26 }: FieldRowProps) {
  const text = field.secret ? '•'.repeat([...shown].length) : shown;
  const value = field.kind === 'select' ? `‹ ${text} ›` : `${text}${focused ? '▏' : ''}`;
  // A short error stays on the field's line (80 columns), a long one goes below it.
  const inline = error !== undefined && 2 + labelWidth + Math.max(1, value.length) + 4 + error.length <= 80;
  return (
    <Box flexDirection="column">
      <Box>
        <Text color={focused ? tint('cyan') : undefined} bold={focused}>
          {focused ? '› ' : '  '}
          {field.label.padEnd(labelWidth).slice(0, labelWidth)}
        </Text>
        <Text inverse={focused && field.kind !== 'select'}>{value || ' '}</Text>
        {inline ? <Text color={tint('red')}>{`  ✗ ${error}`}</Text> : null}
      </Box>
      {error && !inline ? (
        <Text color={tint('red')}>
          {'    ✗ '}
          {error}
        </Text>
      ) : null}
    </Box>
  );
}
