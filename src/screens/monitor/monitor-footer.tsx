// The bottom line of the live monitor: the action keys (from the registry, action-keys.ts) and the
// selection's; ? and q are on the top line.
import { Text } from 'ink';
import type { ActionKey } from './action-keys.js';
import type { MonitorTheme } from './monitor-theme.js';

export interface FooterProps {
  keys: ActionKey[];
  theme: MonitorTheme;
  /** Set on the demo: the actions run as dry runs. */
  dryRun: boolean;
}

export function MonitorFooter({ keys, theme, dryRun }: FooterProps) {
  // Named while they fit beside the rest in 80 columns; else their letters (? names each one).
  const named = keys.map((k) => `${k.key} ${k.label}`).join('  ');
  const actions = named.length <= 36 ? named : `actions: ${keys.map((k) => k.key).join(' ')}`;
  return <Text dimColor={theme.dim} wrap="truncate">{`${actions}${dryRun ? ' (dry run)' : ''}  up/down select  r refresh`}</Text>;
}
