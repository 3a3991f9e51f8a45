// Per-node command timeouts that follow the node's load. A fixed timeout is wrong both ways: short enough
// for an idle node, it fires on a survivor busy taking over the service (the lab's e2e saw crm_mon take
// longer than 10 s there, under emulation), and long enough for that, it leaves the live view frozen for a
// minute when a node really hangs. So each node's budget is four times the slowest of its last ten rounds,
// never below the base (a normal node always gets the base) nor above the cap; a round that timed out
// doubles the budget for the next one (up to the cap), and it shrinks back as fast rounds come in.
// Pure apart from its small history.

export const HISTORY = 10;
export const HEADROOM = 4;

export class AdaptiveTimeout {
  private readonly durations: number[] = [];
  private boosted: number;

  constructor(readonly baseMs: number, readonly capMs: number) {
    this.boosted = baseMs;
  }

  /** The budget for the next round's commands. */
  current(): number {
    const slowest = this.durations.length === 0 ? 0 : Math.max(...this.durations);
    return Math.min(this.capMs, Math.max(this.baseMs, HEADROOM * slowest, this.boosted));
  }

  /** Records how a round went: its duration, and whether it hit the budget. */
  record(durationMs: number, timedOut: boolean): void {
    if (timedOut) {
      this.boosted = Math.min(this.capMs, this.current() * 2);
      return;
    }
    this.boosted = this.baseMs;
    this.durations.push(durationMs);
    if (this.durations.length > HISTORY) this.durations.shift();
  }
}
