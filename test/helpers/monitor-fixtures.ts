// Reads the real captures in test/fixtures/monitor/ (see SOURCE.md there) and turns them into monitor
// events, so the reducer tests replay exactly what the lab printed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MonitorEvent } from '../../src/monitor/reducer.js';

const dir = fileURLToPath(new URL('../fixtures/monitor/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(dir + name, 'utf8');
}

/** One events2-line event per line of a `--timestamps` stream capture, `at` = the line's own timestamp. */
export function streamEvents(name: string, node: string): MonitorEvent[] {
  return fixture(name)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => ({ type: 'events2-line' as const, node, line, at: Date.parse(line.split(' ')[0]!) || 0 }));
}

export const stream = (scenario: string, n: 1 | 2): string => `drbdsetup_events2_timestamps_statistics_all.${scenario}.node${n}.txt`;
