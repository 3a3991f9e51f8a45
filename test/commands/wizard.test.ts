// `hanfs-wizard` (the wizard command) outside a terminal and with bad options: one line, exit 2.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDraft, run } from '../../src/commands/wizard.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', './test/helpers/sh-text.mjs', '--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', input: '', timeout: 60_000 });

describe('hanfs-wizard without a terminal', () => {
  test('prints one line pointing to export --answers and exits 2', () => {
    const r = cli(['--demo']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: the wizard needs a terminal; without one use: hanfs-wizard export --answers FILE --out DIR\n');
    expect(r.stdout).toBe('');
  }, 60_000);

  test('an unknown option is refused before anything else', async () => {
    const r = cli(['--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --bogus: .*run with --help/);
  }, 60_000);

  test('--help answers without a terminal', async () => {
    expect(await run(['--help'])).toBe(0);
  });
});

describe('loadDraft', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-wizard-draft-'));

  test('a missing file is a fresh start', async () => {
    expect(await loadDraft(join(dir, 'none.yaml'))).toEqual({ ok: true, draft: {} });
  });

  test('a saved draft comes back as it was', async () => {
    writeFileSync(join(dir, 'a.yaml'), 'version: 1\nlvm:\n  vg: vg_data\n');
    expect(await loadDraft(join(dir, 'a.yaml'))).toEqual({ ok: true, draft: { version: 1, lvm: { vg: 'vg_data' } } });
  });

  test('a file that is not YAML names the option and the file', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'version: [1\n');
    const r = await loadDraft(join(dir, 'bad.yaml'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^error: --answers: .*bad\.yaml: malformed YAML/);
  });
});
