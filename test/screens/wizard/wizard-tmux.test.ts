// The built binary as a person runs it: `node dist/cli.js --demo` in a real terminal (tmux, 80x24), keys
// sent one at a time, the screen read back with capture-pane, through to an export on disk.
// Needs `npm run build` first (npm test does it); fails when tmux or dist/cli.js is missing.
import { afterAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { waitFor } from '../../helpers/ink.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'hanfs-wizard-tmux-'));
const socket = `hanfs-wizard-test-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
afterAll(() => {
  tmux('kill-server');
  rmSync(work, { recursive: true, force: true });
});

const screen = () => tmux('capture-pane', '-p', '-t', 'w').stdout;
async function until(text: string | RegExp, timeoutMs = 40_000): Promise<string> {
  await waitFor(() => (typeof text === 'string' ? screen().includes(text) : text.test(screen())), { timeoutMs, frame: screen });
  return screen();
}
/** One key, then wait for the screen to change: a person waits for the terminal too. */
async function key(k: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    const before = screen();
    tmux('send-keys', '-t', 'w', k);
    await waitFor(() => screen() !== before, { timeoutMs: 20_000, frame: screen });
  }
}
async function typeText(text: string): Promise<void> {
  for (const ch of text) await key(ch === ' ' ? 'Space' : ch);
}

test('tmux: node dist/cli.js --demo, from welcome to an export', async () => {
  expect(spawnSync('tmux', ['-V']).status, 'tmux is required (test/setup/install-tools.sh)').toBe(0);
  expect(existsSync(join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build').toBe(true);
  const answers = join(work, 'answers.yaml');
  const out = join(work, 'export');
  const r = tmux('new-session', '-d', '-s', 'w', '-x', '80', '-y', '24', '-c', work,
    `node ${join(ROOT, 'dist/cli.js')} --demo --answers ${answers}; echo EXIT=$?; sleep 60`);
  expect(r.status, r.stderr).toBe(0);

  const first = await until('Start');
  expect(first).toContain('DEMO');
  await key('Enter');
  await until('root@192.168.100.12');
  await key('Down', 3);
  await key('Enter');
  await until('usable');
  await key('Enter');
  await until('every package is installed');
  await key('Enter');
  await until('node1: choose exactly two disks');
  await key('j');
  await key('Space');
  await key('j', 4);
  await key('Space');
  await key('Enter');
  // The second node has the same disks: its step proposes the first node's pair.
  expect(await until('node2: choose exactly two disks (Space), 2 chosen')).toMatch(/\[x\] vdb[\s\S]*\[x\] vdf/);
  await key('Enter');
  await until('/dev/md0');
  await key('Down');
  await key('Enter');
  await until('Volume group');
  await key('Down', 5);
  await key('Enter');
  await until('Split brain, no Primary');
  await key('Down');
  await typeText('10.10.0.11/24');
  await key('Down', 2);
  await typeText('10.10.0.12/24');
  await key('Down', 8);
  await key('Enter');
  await until('Virtual IP');
  await key('Down', 4);
  await typeText('192.168.100.100/24');
  await key('Down', 3);
  await key('Enter');
  await until('NFS versions');
  await key('Down');
  await key('Enter');
  await until('Stickiness');
  await key('Down', 3);
  await key('Enter');
  await until('Snapshots kept');
  await key('Down', 3);
  await key('Enter');
  await until('node1/etc/drbd.d/nfsdata.res', 30_000);
  // The screen never grows past the terminal: the header is still on the first line.
  expect(screen().split('\n')[0]).toContain('hanfs-wizard');
  await key('Right');
  await key('Enter');
  await until('Export the files to a directory');
  await key('Enter');
  await key('C-u');
  await typeText(out);
  await key('Enter');
  await until('exported', 30_000);
  await key('q');
  await until('EXIT=0');

  expect(readFileSync(join(out, 'README.md'), 'utf8').length).toBeGreaterThan(100);
  const saved = parse(readFileSync(answers, 'utf8'));
  expect(saved.virtualIp.address).toBe('192.168.100.100/24');
  expect(saved.nodes[1].replication.address).toBe('10.10.0.12/24');
  expect(existsSync(join(out, 'node2/etc/drbd.d/nfsdata.res'))).toBe(true);
}, 400_000);

test('tmux: colours on a terminal, none with NO_COLOR', async () => {
  const firstFrame = async (env: string) => {
    tmux('kill-session', '-t', 'c');
    tmux('new-session', '-d', '-s', 'c', '-x', '80', '-y', '24', '-c', work, `env ${env} TERM=xterm-256color node ${join(ROOT, 'dist/cli.js')} --demo --answers ${join(work, `c-${env.length}.yaml`)}`);
    let text = '';
    await waitFor(() => (text = tmux('capture-pane', '-e', '-p', '-t', 'c').stdout).includes('Start'), { timeoutMs: 15_000 });
    tmux('send-keys', '-t', 'c', 'q');
    return text;
  };
  // SGR colour codes: 30-37, 90-97 (foreground), 38;5 / 38;2 (extended).
  const colour = /\u001b\[[0-9;]*(3[0-7]|9[0-7]|38;[25])[0-9;]*m/;
  expect(await firstFrame('FORCE_COLOR=1')).toMatch(colour);
  const plain = await firstFrame('NO_COLOR=1');
  expect(plain).toContain('DEMO');
  expect(plain).not.toMatch(colour);
}, 60_000);

test('tmux: --answers FILE reopens at the first unfinished step with the answers in place', async () => {
  const file = join(work, 'reopen.yaml');
  const draft = parse(readFileSync(join(ROOT, 'test/fixtures/wizard/demo-flow-answers.yaml'), 'utf8'));
  delete draft.virtualIp;
  writeFileSync(file, stringify(draft));
  tmux('kill-session', '-t', 'r');
  tmux('new-session', '-d', '-s', 'r', '-x', '80', '-y', '24', '-c', work, `node ${join(ROOT, 'dist/cli.js')} --demo --answers ${file}; echo EXIT=$?; sleep 30`);
  const pane = () => tmux('capture-pane', '-p', '-t', 'r').stdout;
  await waitFor(() => pane().includes('enp0s9: UP'), { timeoutMs: 40_000, frame: pane });
  expect(pane()).toContain('10/15 · Service network and virtual IP');
  expect(pane()).toContain('192.168.100.12/24');
  tmux('send-keys', '-t', 'r', 'Escape');
  await waitFor(() => pane().includes('DRBD replication'), { timeoutMs: 20_000, frame: pane });
  expect(pane()).toContain('10.10.0.12/24');
  tmux('send-keys', '-t', 'r', 'C-c');
  await waitFor(() => pane().includes('EXIT=0'), { timeoutMs: 20_000, frame: pane });
}, 120_000);
