// One apply at a time per cluster: before its first check, apply takes a flock(1) on each node, over the
// same runner (SSH connection) its steps use, and holds it until the end. Two applies (two terminals, two
// admins, a cron job) would otherwise race on the steps meant to run once (blkid-then-mkfs, create-md, the
// CIB load). The holder is a small shell on the node that keeps the lock's file descriptor open and
// writes a line every second: when apply ends it is aborted; when apply is killed (even SIGKILL) the
// connection or pipe goes away, the next write gets SIGPIPE, the shell dies and the kernel drops the
// lock. The refusal names the holder (host, PID, start time, command) from a file written beside the lock.
import { hostname } from 'node:os';
import type { Runner, RunResult } from '../exec/runner.js';
import { quoteArgv } from '../exec/shell-quote.js';

/** The lock of one node (per node name, so two nodes on one test machine do not share it). */
export function runLockPath(node: string): string {
  return `/run/lock/hanfs-wizard-${node}.lock`;
}

/**
 * $1 the lock file, $2 the holder's one-line description. Prints "locked" once held, then "held" every
 * second; or "held-by: <description>" and exits 75 (EX_TEMPFAIL) when another process holds it. Fixed
 * text: both values arrive as positional arguments.
 */
export const RUN_LOCK_SCRIPT =
  'exec 9>>"$1" || exit 71; ' +
  'if ! flock -n 9; then printf "held-by: %s\\n" "$(cat -- "$1.owner" 2>/dev/null || echo unknown)"; exit 75; fi; ' +
  '(umask 022; printf "%s\\n" "$2" > "$1.owner"); echo locked; ' +
  'while :; do sleep 1 9>&-; echo held || exit 0; done';

/** Who holds the lock, as the refusal names it. One line: control characters never reach it. */
export function holderDescription(now: Date, pid = process.pid, argv = process.argv.slice(2), host = hostname()): string {
  const line = `host ${host}, PID ${pid}, started ${now.toISOString()}, command: hanfs-wizard ${quoteArgv(argv)}`;
  return line.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export type RunLockResult =
  | { ok: true; release: () => Promise<void> }
  /** heldByOther: another process holds it (refused, exit 3); else the node could not be locked (exit 1). */
  | { ok: false; node: string; message: string; heldByOther: boolean };

interface Holding {
  node: string;
  controller: AbortController;
  done: Promise<RunResult>;
  first: Promise<{ kind: 'locked' } | { kind: 'held-by'; who: string } | { kind: 'failed'; why: string }>;
}

function hold(node: string, runner: Runner, info: string): Holding {
  const controller = new AbortController();
  let settle!: Holding['first'] extends Promise<infer T> ? (v: T) => void : never;
  const first = new Promise<Awaited<Holding['first']>>((r) => (settle = r));
  const done = runner.stream(['sh', '-c', RUN_LOCK_SCRIPT, '--', runLockPath(node), info], {
    signal: controller.signal,
    onLine: (line) => {
      if (line === 'locked') settle({ kind: 'locked' });
      else if (line.startsWith('held-by: ')) settle({ kind: 'held-by', who: line.slice(9) });
    },
  });
  void done.then((r) => {
    // Ended before saying "locked" or "held-by": flock missing, /run/lock not writable, node unreachable.
    const why = r.error ?? (r.stderr.trim().split('\n').pop() || `exit ${r.exitCode ?? 'none'}`);
    settle({ kind: 'failed', why });
  });
  return { node, controller, done, first };
}

/**
 * Takes every node's lock at once. Refuses as soon as one node reports another holder (the others are
 * let go at once, not waited for), or when a node cannot be locked; then nothing is held.
 */
export async function acquireRunLocks(runners: ReadonlyMap<string, Runner>, info: string): Promise<RunLockResult> {
  const holdings = [...runners].map(([node, r]) => hold(node, r, info));
  const locked = new Set<Holding>();
  // Waits only for the holders that took their lock (their release is what matters); a node still
  // connecting is let go without waiting out its handshake timeout.
  const releaseAll = async () => {
    for (const h of holdings) h.controller.abort();
    await Promise.all([...locked].map((h) => h.done));
    // An aborted stream ends here before the node's kill of the holder has landed (SSH kills by PID in
    // a command of its own): wait on the node until the lock is free, so "released" means released.
    await Promise.all([...locked].map((h) => runners.get(h.node)!.run(['flock', '-w', '10', runLockPath(h.node), 'true'], { timeoutMs: 15_000 })));
  };
  const outcomes = holdings.map((h) => h.first.then((o) => ({ h, o })));
  const pending = new Set(outcomes);
  while (pending.size > 0) {
    const next = await Promise.race([...pending]);
    pending.delete(outcomes[holdings.indexOf(next.h)]!);
    if (next.o.kind === 'locked') {
      locked.add(next.h);
      continue;
    }
    await releaseAll();
    const message = next.o.kind === 'held-by'
      ? `another apply is running on ${next.h.node} (${next.o.who}); wait for it to finish, then run apply again`
      : `could not take the run lock ${runLockPath(next.h.node)} on ${next.h.node}: ${next.o.why}`;
    return { ok: false, node: next.h.node, message, heldByOther: next.o.kind === 'held-by' };
  }
  return { ok: true, release: releaseAll };
}
