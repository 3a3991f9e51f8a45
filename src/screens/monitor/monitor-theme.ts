// Colours of the live monitor, from one lookup table; NO_COLOR (https://no-color.org) turns them off.
import type { Severity } from '../../monitor/health.js';

export const SEVERITY_COLOR: Record<Severity, string> = { OK: 'green', WARNING: 'yellow', CRITICAL: 'red', UNKNOWN: 'magenta' };

export interface MonitorTheme {
  /** The colour for a severity, or undefined when colours are off. */
  color(s: Severity): string | undefined;
  dim: boolean;
}

export function makeTheme(noColor: boolean): MonitorTheme {
  return { color: (s) => (noColor ? undefined : SEVERITY_COLOR[s]), dim: !noColor };
}

/** NO_COLOR set to anything non-empty disables colour. */
export function noColorFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
}
