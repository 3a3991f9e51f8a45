import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A real capture from test/fixtures/probes/ (see SOURCE.md there). */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/probes/${name}`, import.meta.url)), 'utf8');
}
