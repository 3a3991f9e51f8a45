// The last stop of every screen: Next, or why it cannot go on yet.
import { Text } from 'ink';
import { tint } from '../common/theme.js';

export interface NextButtonProps {
  focused: boolean;
  /** How many fields have errors; Next is blocked while there are any. */
  errors: number;
  /** @default "Next" */
  label?: string;
}

export function NextButton({ focused, errors, label = 'Next' }: NextButtonProps) {
  if (errors > 0) {
    return (
      <Text color={tint('red')} bold={focused}>
        {focused ? '› ' : '  '}[ {label} ] blocked: fix the {errors === 1 ? 'field' : `${errors} fields`} marked ✗
      </Text>
    );
  }
  return (
    <Text color={focused ? tint('green') : undefined} bold={focused} inverse={focused}>
      {focused ? '› ' : '  '}[ {label} → ]
    </Text>
  );
}
