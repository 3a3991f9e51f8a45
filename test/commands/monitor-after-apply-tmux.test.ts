// Issue 30, point 0, driven as a person would: `apply --demo --dry-run` at a real terminal (tmux, 80x24)
// ends in the live monitor, with the line saying what was just set up and the demo lab's recording of the
// initial DRBD sync; an action key there is a dry run; q quits with apply's exit code. The wizard reaches
// the same code: it hands over to apply.run with --demo --dry-run (src/commands/wizard.ts).
// Needs tmux (install-tools.sh) and the built dist/cli.js (npm run build; npm test does it); fails without.
import { afterAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/ink.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const socket = `hanfs-after-apply-test-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'hanfs-after-apply-'));
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
afterAll(() => {
  tmux('kill-server');
  rmSync(work, { recursive: true, force: true });
});
let pane = 'a';
const screen = () => tmux('capture-pane', '-p', '-t', pane).stdout;
async function until(pred: (s: string) => boolean, timeoutMs = 40_000): Promise<string> {
  await waitFor(() => pred(screen()), { timeoutMs, frame: screen });
  return screen();
}

test('tmux: apply --demo --dry-run becomes the live monitor; c is a dry run there; q quits with 0', async () => {
  expect(spawnSync('tmux', ['-V']).status, 'tmux is required (test/setup/install-tools.sh)').toBe(0);
  expect(existsSync(join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build').toBe(true);
  const answers = join(ROOT, 'test/fixtures/wizard/demo-flow-answers.yaml');
  const r = tmux('new-session', '-d', '-s', 'a', '-x', '80', '-y', '24', '-c', ROOT,
    `env NO_COLOR=1 node ${join(ROOT, 'dist/cli.js')} apply --demo --dry-run --answers ${answers}; echo EXIT=$?; sleep 60`);
  expect(r.status, r.stderr).toBe(0);

  let s = await until((x) => x.includes('hanfs monitor') && x.includes("demo: the dry run changed nothing; this is the demo lab's recording"));
  // Under apply's last lines: the monitor's health line, then the line saying what this is; keys at the bottom.
  const lines = s.split('\n');
  const top = lines.findIndex((l) => /^hanfs monitor\s+(OK|WARNING|CRITICAL|UNKNOWN)/.test(l));
  expect(top).toBeGreaterThanOrEqual(0);
  expect(lines[top + 1]).toMatch(/^demo: the dry run changed nothing/);
  expect(s).toMatch(/actions: c .* R \(dry run\)/);
  // The initial DRBD sync of the recording is in view (node2 is the SyncTarget of r0).
  s = await until((x) => /DRBD r0: Secondary \w+, peer Primary UpToDate, Connected\/(WFSyncUUID|SyncTarget)/.test(x));
  for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

  tmux('send-keys', '-t', 'a', 'c');
  s = await until((x) => x.includes('action: cleanup') && x.includes('esc closes'));
  expect(s).toContain('dry run: the demo lab is a recording, nothing can change on it');
  // The recording's Pacemaker is not running yet: the cleanup is refused with the reason, nothing run.
  expect(s).toMatch(/refused: Pacemaker's status could not be read/);
  tmux('send-keys', '-t', 'a', 'Escape');
  await until((x) => !x.includes('action: cleanup'));
  tmux('send-keys', '-t', 'a', 'q');
  s = await until((x) => x.includes('EXIT='));
  expect(s).toContain('EXIT=0');
}, 120_000);

test('tmux: the wizard on --demo, Apply at its end: the same app becomes the monitor; q quits with 0', async () => {
  expect(existsSync(join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build').toBe(true);
  // A complete answers file: the wizard reopens at its last step (Finish).
  const answers = join(work, 'answers.yaml');
  copyFileSync(join(ROOT, 'test/fixtures/wizard/demo-flow-answers.yaml'), answers);
  pane = 'w';
  const r = tmux('new-session', '-d', '-s', 'w', '-x', '80', '-y', '24', '-c', work,
    `env NO_COLOR=1 node ${join(ROOT, 'dist/cli.js')} --demo --answers ${answers}; echo EXIT=$?; sleep 60`);
  expect(r.status, r.stderr).toBe(0);
  await until((x) => x.includes('Apply to both nodes (demo: a dry run)'));
  tmux('send-keys', '-t', 'w', 'Down');
  await until((x) => x.includes('runs hanfs-wizard apply'));
  tmux('send-keys', '-t', 'w', 'Enter');
  const s = await until((x) => x.includes('hanfs monitor') && /actions: c .* R \(dry run\)/.test(x));
  expect(s).toContain("demo: the dry run changed nothing; this is the demo lab's recording");
  tmux('send-keys', '-t', 'w', 'q');
  expect(await until((x) => x.includes('EXIT='))).toContain('EXIT=0');
}, 120_000);
