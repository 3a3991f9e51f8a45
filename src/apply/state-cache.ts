// Memoised read-only checks: what the assessment and the steps read of a node's state, one command per
// argv until something changes the node.
import type { Argv, RunResult } from '../exec/runner.js';
import type { ApplyOptions } from './events.js';

/** Memoised read-only checks: one run of each argv per node until something changes the node. */
export class StateCache {
  private readonly cache = new Map<string, Promise<RunResult>>();
  constructor(private readonly o: ApplyOptions) {}
  invalidate(): void {
    this.cache.clear();
  }
  private static key(node: string, argv: Argv): string {
    return `${node}\0${JSON.stringify(argv)}`;
  }
  run(node: string, step: string, argv: Argv): Promise<RunResult> {
    const key = StateCache.key(node, argv);
    let p = this.cache.get(key);
    if (!p) {
      const runner = this.o.runners.get(node)!;
      p = runner.run(argv, { signal: this.o.signal, timeoutMs: 60_000 }).then((r) => {
        this.o.journal.command(node, `${step} (check)`, argv, r);
        return r;
      });
      this.cache.set(key, p);
    }
    return p;
  }

  /**
   * Reads these checks of one node in one batch (the runner's runMany: one SSH session, the checks side
   * by side on the node) and keeps their results as run() would have. Each check as its own session cost
   * the lab 12 s of every apply, the sessions more than the checks (sshd's fork and the login shell, 0.1 s
   * each on an idle emulated vCPU, 0.3-1.5 s under load). Without runMany, or when the batch as a whole
   * fails, nothing is kept: each check then runs on its own when it is read, as before.
   */
  async prefetch(node: string, checks: readonly { step: string; argv: Argv }[]): Promise<void> {
    const runner = this.o.runners.get(node)!;
    if (!runner.runMany) return;
    const fresh = new Map<string, { step: string; argv: Argv }>();
    for (const c of checks) {
      const key = StateCache.key(node, c.argv);
      if (!this.cache.has(key) && !fresh.has(key)) fresh.set(key, c);
    }
    if (fresh.size < 2) return;
    const list = [...fresh.entries()];
    const results = await runner.runMany(list.map(([, c]) => c.argv), { signal: this.o.signal, timeoutMs: 60_000 });
    // A result that is no command's own (the batch failed, timed out, was aborted) is not kept.
    const unanswered = (r: RunResult) => r.error !== undefined || r.timedOut || r.aborted;
    if (results.every(unanswered)) {
      const r = results[0]!;
      this.o.journal.note(node, 'assessment', `the batch of ${list.length} checks did not run (${r.error ?? (r.timedOut ? 'timed out' : 'aborted')}): each is read on its own`);
      return;
    }
    list.forEach(([key, c], i) => {
      const r = results[i]!;
      if (this.cache.has(key) || unanswered(r)) return;
      this.o.journal.command(node, `${c.step} (check, in a batch of ${list.length})`, c.argv, r);
      this.cache.set(key, Promise.resolve(r));
    });
  }
}
