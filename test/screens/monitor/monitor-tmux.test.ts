// Drives the live monitor as a person would, in a real terminal (tmux, 80x24), on the demo lab's failover:
// wait for the screen, watch the failover arrive, open help, select, quit. Needs tmux (install-tools.sh);
// fails without it. Runs the built dist/cli.js (npm run build first), or the command module through
// test/helpers/run-monitor.ts (tsx) when there is no build; HANFS_MONITOR_CMD overrides both.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitScreen } from '../../helpers/wait-screen.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const session = `hanfs-monitor-test-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', session);

function waitFor(pred: (s: string) => boolean, timeoutMs = 20_000): Promise<string> {
  return waitScreen(screen, pred, timeoutMs);
}

afterAll(() => {
  try {
    tmux('kill-session', '-t', session);
  } catch {
    // already ended by q
  }
});

describe('monitor live view in tmux (80x24)', () => {
  it('shows the failover as it happens, help, selection, and quits on q', async () => {
    // The built CLI when there is one (npm run build first: it must be current), else the source via tsx.
    const cmd = process.env.HANFS_MONITOR_CMD ?? (existsSync(`${root}dist/cli.js`) ? `node ${root}dist/cli.js monitor` : `node --import ${root}test/helpers/sh-text.mjs --import tsx ${root}test/helpers/run-monitor.ts`);
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-c', root,
      `env NO_COLOR=1 ${cmd} --demo=failover --interval 1; echo MONITOR-EXIT=$?; sleep 30`);
    await waitFor((x) => x.includes('hanfs monitor'));
    let s = await waitFor((x) => /node1 unreachable since \d\d:\d\d:\d\d, retrying in \d s/.test(x));
    expect(s.split('\n')[0]).toMatch(/^hanfs monitor\s+CRITICAL/);
    // The replayed events2 stream reaches NetworkFailure, then node2 is promoted (lines 1.5 s apart).
    s = await waitFor((x) => / DRBD r0: Primary UpToDate, peer Unknown DUnknown, Connecting/.test(x), 30_000);
    for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    tmux('send-keys', '-t', session, '?');
    await waitFor((x) => x.includes('hanfs monitor keys'));
    tmux('send-keys', '-t', session, 'x');
    await waitFor((x) => !x.includes('hanfs monitor keys'));
    tmux('send-keys', '-t', session, 'Down', 'Down', 'Down');
    await waitFor((x) => x.includes('node2 DRBD r0  (esc closes)'));
    tmux('send-keys', '-t', session, 'q');
    s = await waitFor((x) => x.includes('MONITOR-EXIT='));
    expect(s).toContain('MONITOR-EXIT=0');
  });
});
