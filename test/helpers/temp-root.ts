// Vitest globalSetup: every test file's temporary directories (mkdtempSync(join(tmpdir(), ...)), and the
// validators' and sshd's own files) go under one fresh directory, removed when the run ends. Without it
// each `npm test` left a dozen directories in /tmp (700 after a day's runs on the team's machine). The
// workers are forked after this runs, so they inherit TMPDIR, which os.tmpdir() reads at every call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'hanfs-test-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
