// The state of every step is read on both nodes at once, a few checks at a time on each, before anything
// runs (read one after the other they cost the lab 27 s of every apply), and the assessment still lists
// the steps in plan order.
import { describe, expect, it } from 'vitest';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { ASSESS_CONCURRENCY } from '../../src/apply/engine.js';
import { planSteps } from '../../src/generate/plan.js';
import { answers, fakes, setup } from './engine-harness.js';
import type { FakeNode } from './fake-node.js';

/** Counts the commands in flight on all nodes together and per node; remembers the most at once. */
class Overlap {
  now = 0;
  most = 0;
  readonly perNode = new Map<string, { now: number; most: number }>();
}

/** Each command takes a little while (a real SSH round trip does), so overlapping calls can be seen. */
class Slow implements Runner {
  constructor(
    private readonly inner: FakeNode,
    private readonly overlap: Overlap,
  ) {}
  get label() {
    return this.inner.label;
  }
  async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    const mine = this.overlap.perNode.get(this.label) ?? { now: 0, most: 0 };
    this.overlap.perNode.set(this.label, mine);
    this.overlap.now++;
    mine.now++;
    this.overlap.most = Math.max(this.overlap.most, this.overlap.now);
    mine.most = Math.max(mine.most, mine.now);
    try {
      await new Promise((r) => setTimeout(r, 2));
      return await this.inner.run(argv, o);
    } finally {
      this.overlap.now--;
      mine.now--;
    }
  }
  stream(argv: Argv, o: StreamOptions) {
    return this.inner.stream(argv, o);
  }
  close() {
    return this.inner.close();
  }
}

describe('the assessment before a run', () => {
  it('reads both nodes at once and lists every step in plan order', async () => {
    const a = await answers('done-answers.yaml');
    const overlap = new Overlap();
    const { engine, events } = setup(a, fakes(a).map((n) => new Slow(n, overlap)), { dryRun: true });
    const out = await engine.run();
    expect(out.kind).toBe('dry-run');
    const assessed = events.find((e) => e.type === 'assessed');
    expect(assessed?.type === 'assessed' && assessed.steps.map((s) => s.id)).toEqual(planSteps(a).map((s) => s.id));
    // A dry run runs nothing but the assessment's reads (and the disk reviews): more than one command in
    // flight on a node, and more than one node's worth at once, only come from reading in parallel;
    // never more than ASSESS_CONCURRENCY per node.
    for (const n of overlap.perNode.values()) expect(n.most).toBe(ASSESS_CONCURRENCY);
    expect(overlap.most).toBe(2 * ASSESS_CONCURRENCY);
  });
});
