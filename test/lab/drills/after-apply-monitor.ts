// Issue 30, point 0, on the real lab: `apply` at a real terminal (tmux on the host, 80x30) on the lab's
// answers ends in the live monitor of both nodes over apply's own connections: the "just set up" line,
// both nodes' DRBD and RAID lines (a resync still running shows its bar), the action keys; q quits with 0.
// Run it after the e2e's apply (every step then reads "already done" and apply is done at once), or as
// the first apply (the monitor then shows the initial RAID resync and DRBD sync). The e2e wires it in.
import { spawnSync } from 'node:child_process';
import { NO_FENCING_WORDS } from '../../../src/apply/no-fencing.js';
import type { OpsDrillContext } from './ops-common.js';

export interface AfterApplyMonitorResult {
  /** From starting apply to the monitor's first frame with the "just set up" line, seconds. */
  secondsToMonitor: number;
  /** The screen as the monitor first showed both nodes' DRBD lines. */
  screen: string;
  exitCode: number | null;
}

const socket = `hanfs-lab-after-apply-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-u', '-L', socket, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
const screen = () => tmux('capture-pane', '-p', '-t', 'aa').stdout;

async function until(pred: (s: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`after-apply monitor: timed out waiting for ${what}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function afterApplyMonitorDrill(ctx: OpsDrillContext, applyTimeoutMs = 30 * 60_000): Promise<AfterApplyMonitorResult> {
  const env = Object.entries(ctx.env).filter(([k, v]) => v !== undefined && /^(HOME|PATH|SSH_AUTH_SOCK|LANG|LC_ALL)$/.test(k)).map(([k, v]) => `${k}=${v}`);
  const started = Date.now();
  const r = tmux('new-session', '-d', '-s', 'aa', '-x', '80', '-y', '30',
    `env ${env.join(' ')} NO_COLOR=1 node ${ctx.cli} apply --answers ${ctx.answers}; echo EXIT=$?; sleep 600`);
  if (r.status !== 0) throw new Error(`tmux: ${r.stderr}`);
  try {
    // The lab runs without fencing (stonith: none): at a terminal apply asks for that to be typed first.
    const first = await until((s) => s.includes('just set up:') || s.includes(NO_FENCING_WORDS), applyTimeoutMs, 'the no-fencing question or the monitor after apply');
    if (!first.includes('just set up:')) {
      tmux('send-keys', '-t', 'aa', '-l', NO_FENCING_WORDS);
      tmux('send-keys', '-t', 'aa', 'Enter');
      await until((s) => s.includes('just set up:'), applyTimeoutMs, 'the monitor after apply');
    }
    const secondsToMonitor = (Date.now() - started) / 1000;
    const seen = await until((s) => (s.match(/DRBD \S+: (Primary|Secondary)/g) ?? []).length >= 2 && s.includes('actions: c '), 60_000, "both nodes' DRBD lines");
    tmux('send-keys', '-t', 'aa', 'q');
    const end = await until((s) => /EXIT=\d+/.test(s), 60_000, 'q to quit');
    const code = Number(/EXIT=(\d+)/.exec(end)![1]);
    return { secondsToMonitor, screen: seen, exitCode: code };
  } finally {
    tmux('kill-server');
  }
}
