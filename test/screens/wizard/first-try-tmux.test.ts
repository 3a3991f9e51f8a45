// What a new user met on the first walk through `hanfs-wizard --demo` (issue 29), driven through the built
// binary in a real terminal (tmux, 80x24): vdc was refused on both nodes ("signatures could not be
// checked"), the second node's disk step chose nothing though it has the same disks as the first, and
// Enter on the only export re-opened its edit form instead of going on. Each test reopens the wizard at
// the step concerned with --answers (the answers of the demo flow minus that step's).
// Needs `npm run build` first (npm test does it); fails when tmux or dist/cli.js is missing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { waitFor } from '../../helpers/ink.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'hanfs-first-try-'));
const socket = `hanfs-first-try-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
beforeAll(() => {
  expect(spawnSync('tmux', ['-V']).status, 'tmux is required (test/setup/install-tools.sh)').toBe(0);
  expect(existsSync(join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build').toBe(true);
});
afterAll(() => {
  tmux('kill-server');
  rmSync(work, { recursive: true, force: true });
});

/** Starts the demo wizard in its own tmux session on an answers file; returns screen reading and keys. */
function open(session: string, draft: Record<string, unknown>) {
  const file = join(work, `${session}.yaml`);
  writeFileSync(file, stringify(draft));
  const r = tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-c', work,
    `node ${join(ROOT, 'dist/cli.js')} --demo --answers ${file}; echo EXIT=$?; sleep 30`);
  expect(r.status, r.stderr).toBe(0);
  const screen = () => tmux('capture-pane', '-p', '-t', session).stdout;
  const until = async (text: string | RegExp, timeoutMs = 40_000) => {
    await waitFor(() => (typeof text === 'string' ? screen().includes(text) : text.test(screen())), { timeoutMs, frame: screen });
    return screen();
  };
  /** One key, then wait for the screen to change: a person waits for the terminal too. */
  const key = async (k: string) => {
    const before = screen();
    tmux('send-keys', '-t', session, k);
    await waitFor(() => screen() !== before, { timeoutMs: 20_000, frame: screen });
  };
  const saved = () => parse(readFileSync(file, 'utf8')) as { nodes: { disks?: string[] }[]; nfs?: { exports?: unknown[] } };
  return { screen, until, key, saved };
}

function demoAnswers(): { nodes: Record<string, unknown>[]; nfs?: unknown } & Record<string, unknown> {
  return parse(readFileSync(join(ROOT, 'test/fixtures/wizard/demo-flow-answers.yaml'), 'utf8'));
}
const line = (screen: string, disk: string) => screen.split('\n').find((l) => new RegExp(`\\] ${disk}\\b`).test(l)) ?? '';

test('tmux: vdc is offered on both demo nodes, and the second node proposes the first node\'s pair', async () => {
  const draft = demoAnswers();
  for (const n of draft.nodes) delete n.disks;
  const w = open('disks', draft);

  const first = await w.until('node1: choose exactly two disks (Space), 0 chosen');
  // The blank RAID pair vdb and vdc: both usable, shown with their serials, none refused as unchecked.
  expect(first).not.toContain('signatures could not be checked');
  expect(line(first, 'vdc')).toContain('HANFS-N1-RAID-C');
  await w.key('j');
  await w.key('Space');
  await w.key('j');
  await w.key('Space');
  expect(w.screen()).toContain('node1: choose exactly two disks (Space), 2 chosen');
  await w.key('Enter');

  const second = await w.until('node2: choose exactly two disks');
  expect(second).toContain('node2: choose exactly two disks (Space), 2 chosen');
  expect(line(second, 'vdb')).toContain('[x]');
  expect(line(second, 'vdc')).toContain('[x]');
  expect(line(second, 'vdc')).toContain('HANFS-N2-RAID-C');
  expect(line(second, 'vdf')).toContain('[ ]');
  expect(second).not.toContain('signatures could not be checked');
  await w.key('Enter');
  await w.until('/dev/md0');
  // Next saved the answers: node2's own by-id names, not node1's.
  await waitFor(() => w.saved().nodes[1]?.disks !== undefined, { timeoutMs: 10_000 });
  expect(w.saved().nodes.map((n) => n.disks)).toEqual([
    ['/dev/disk/by-id/virtio-HANFS-N1-RAID-B', '/dev/disk/by-id/virtio-HANFS-N1-RAID-C'],
    ['/dev/disk/by-id/virtio-HANFS-N2-RAID-B', '/dev/disk/by-id/virtio-HANFS-N2-RAID-C'],
  ]);
}, 120_000);

test('tmux: Enter on the only export goes on to the next step; e still edits it', async () => {
  const draft = demoAnswers();
  delete draft.nfs;
  const w = open('exports', draft);

  const list = await w.until('/srv/nfs/export → 192.168.100.0/24');
  expect(list).toContain('› /srv/nfs/export');
  await w.key('Enter');
  const after = await w.until('Stickiness');
  expect(after).not.toContain('Edit export');
  await waitFor(() => w.saved().nfs?.exports !== undefined, { timeoutMs: 10_000 });
  expect(w.saved().nfs!.exports).toEqual([{ path: '/srv/nfs/export', clients: '192.168.100.0/24', options: 'rw,sync,no_subtree_check' }]);

  await w.key('Escape');
  await w.until('/srv/nfs/export → 192.168.100.0/24');
  await w.key('e');
  await w.until('Edit export 1');
  await w.key('Escape');
  expect(await w.until('/srv/nfs/export → 192.168.100.0/24')).not.toContain('Edit export');
}, 120_000);
