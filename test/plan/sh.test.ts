// Every shell program the plan runs on a node is a file of src/plan/sh/, checked by shellcheck (a real
// tool: test/setup/install-tools.sh installs it), and runs as the one line src/plan/sh.ts makes of it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../../src/plan/sh.js';

const DIR = join(import.meta.dirname, '../../src/plan/sh');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.sh')).sort();

describe('the plan\'s shell programs', () => {
  it('are there', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(16);
  });

  it.each(FILES)('%s passes shellcheck', (f) => {
    const r = spawnSync('shellcheck', ['--shell=sh', '--severity=style', join(DIR, f)], { encoding: 'utf8' });
    expect(r.error, 'shellcheck must be installed (test/setup/install-tools.sh)').toBeUndefined();
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each(FILES)('%s is the same program as one line (sh -n accepts both)', (f) => {
    const text = readFileSync(join(DIR, f), 'utf8');
    for (const program of [text, oneLine(text)]) {
      const r = spawnSync('sh', ['-n', '-c', program], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    expect(oneLine(text)).not.toContain('\n');
  });

  it('oneLine drops comment and blank lines and joins the rest by a space', () => {
    expect(oneLine('# shellcheck shell=sh\n# why\nset -e;\n\n  a "$1";\nb\n')).toBe('set -e; a "$1"; b');
  });
});
