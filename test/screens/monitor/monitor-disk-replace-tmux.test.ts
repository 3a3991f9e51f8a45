// The disk replacement from the live monitor, in a real terminal (tmux), on the demo's degraded-raid
// recordings (node1's md0: vdc failed, then removed, rebuilding onto vdc, clean: one capture per mdstat
// read, whoever reads it): the flow the lab drill test/lab/drills/disk-replace-monitor.ts drives on real nodes, read with
// the same screen readers (test/lab/drills/monitor-screen.ts), so the drill waits only for screens the
// monitor draws. The panel's DEGRADED; D; the blank disk offered and taken with Enter; its name typed;
// the dry run's outcome; Enter closes and the panel shows the array clean. (The rebuild is shown on the lab
// by the engine's progress lines in the overlay, which a dry run does not have.)
// Needs tmux (install-tools.sh); fails without it. Runs the built dist/cli.js (npm run build first), or
// the command module through tsx when there is no build; HANFS_MONITOR_CMD overrides both.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { actionOutcome, asksReplacement, confirmWords, monitorReady, offeredDisks, panelRaid, typedSoFar } from '../../lab/drills/monitor-screen.js';
import { waitScreen } from '../../helpers/wait-screen.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// Its own tmux server (-L): other agents' and tests' tmux sessions are never touched.
const socket = `hanfs-disk-replace-tmux-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-J', '-t', 'dr');
const NODES = ['node1', 'node2'];

// Generous: the host runs the lab and other agents' builds (this test is capped at half a core then).
function waitFor(what: string, pred: (s: string) => boolean, timeoutMs = 90_000): Promise<string> {
  return waitScreen(screen, pred, timeoutMs, what);
}

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
});

describe('disk replace from the live monitor in tmux (demo degraded-raid)', () => {
  it('DEGRADED on the panel, D, the blank disk chosen, its name typed, the outcome; Enter, then clean', async () => {
    const cmd = process.env.HANFS_MONITOR_CMD ?? (existsSync(`${root}dist/cli.js`) ? `node ${root}dist/cli.js monitor` : `node --import ${root}test/helpers/sh-text.mjs --import tsx ${root}test/helpers/run-monitor.ts`);
    // A long interval: each poll takes the recordings' next mdstat, so the screen moves only when the
    // flow asks (the first poll, the poll after the run, r).
    tmux('new-session', '-d', '-s', 'dr', '-x', '200', '-y', '60', '-c', root,
      `env NO_COLOR=1 ${cmd} --demo=degraded-raid --interval 3600; echo MONITOR-EXIT=$?; sleep 30`);
    let s = await waitFor('node1 DEGRADED', (x) => monitorReady(x) && panelRaid(x, 'node1', NODES) === 'degraded');
    expect(s).toMatch(/RAID md0: .*\[U_\] DEGRADED failed vdc\(F\)/);
    tmux('send-keys', '-t', 'dr', 'D');
    s = await waitFor('the replacement offered', (x) => asksReplacement(x));
    // The one blank disk that fits, under the cursor; vdd (old ext4) and vde (too small) are not offered.
    expect(offeredDisks(s)).toEqual([expect.objectContaining({ cursor: true, path: '/dev/vdf' })]);
    expect(offeredDisks(s)[0]!.line).toContain('virtio-HANFS-N1-SPARE');
    tmux('send-keys', '-t', 'dr', 'Enter');
    s = await waitFor('the typed confirmation', (x) => confirmWords(x) !== null);
    expect(confirmWords(s)).toBe('/dev/vdf');
    expect(actionOutcome(s)).toBeNull();
    tmux('send-keys', '-t', 'dr', '-l', '/dev/vdf');
    await waitFor('the typed words', (x) => typedSoFar(x) === '/dev/vdf');
    tmux('send-keys', '-t', 'dr', 'Enter');
    s = await waitFor('the outcome', (x) => actionOutcome(x) !== null);
    const outcome = actionOutcome(s)!;
    expect(outcome.kind).toBe('dry-run');
    expect(outcome.line).toMatch(/^disk replace: dry run: \d+ steps would run, \d+ are already done; nothing was changed$/);
    // A dry run keeps no journal (the lab's real run names one: the drill reads it from the same line).
    expect(outcome.journal).toBeNull();
    // Enter closes the overlay and the panels come back, polled after the run: the recordings' later
    // mdstat readings (the action's reads took the removed and rebuilding ones) end clean.
    tmux('send-keys', '-t', 'dr', 'Enter');
    s = await waitFor('node1 clean', (x) => monitorReady(x) && panelRaid(x, 'node1', NODES) === 'clean');
    expect(s).not.toContain('action: disk replace');
    expect(s).toMatch(/RAID md0: active raid1 \[UU\]/);
    tmux('send-keys', '-t', 'dr', 'q');
    s = await waitFor('q to quit', (x) => x.includes('MONITOR-EXIT='));
    expect(s).toContain('MONITOR-EXIT=0');
  }, 400_000);
});
