// The state of every step is read on both nodes at once before anything runs (read one after the other
// they cost the lab 27 s of every apply): all of a node's checks in one batch when its runner has runMany,
// else a few checks at a time; the assessment lists the steps in plan order either way.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { ASSESS_CONCURRENCY, type ApplyEvent } from '../../src/apply/engine.js';
import { planSteps } from '../../src/plan/plan.js';
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

/** A runner with runMany (as SSH has): counts batches and single runs; a batch may be made to fail whole. */
class Batching implements Runner {
  batches: number[] = [];
  readonly singles: string[] = [];
  /** Commands the batch returned without a result of their own (the fake node's missing captures). */
  readonly unanswered: string[] = [];
  constructor(
    private readonly inner: FakeNode,
    private readonly broken = false,
  ) {}
  get label() {
    return this.inner.label;
  }
  run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    this.singles.push(JSON.stringify(argv));
    return this.inner.run(argv, o);
  }
  async runMany(argvs: readonly Argv[], o?: RunOptions): Promise<RunResult[]> {
    this.batches.push(argvs.length);
    if (this.broken) return argvs.map((argv) => ({ argv, exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: false, error: 'node1: batch of 2 commands: output ended before command 0', durationMs: 1 }));
    const out = await Promise.all(argvs.map((a) => this.inner.run(a, o)));
    for (const r of out) if (r.error !== undefined) this.unanswered.push(JSON.stringify(r.argv));
    return out;
  }
  stream(argv: Argv, o: StreamOptions) {
    return this.inner.stream(argv, o);
  }
  close() {
    return this.inner.close();
  }
}

describe('the assessment through runMany', () => {
  const statuses = (events: ApplyEvent[]) => {
    const e = events.find((x) => x.type === 'assessed');
    return e?.type === 'assessed' ? e.steps.map((s) => `${s.id} ${s.status} ${s.reason}`) : [];
  };

  it('reads each node\'s checks in one batch, each distinct check once, and judges as one at a time would', async () => {
    const a = await answers('done-answers.yaml');
    const plain = setup(a, fakes(a), { dryRun: true });
    await plain.engine.run();
    const batching = fakes(a).map((n) => new Batching(n));
    const { engine, events, log } = setup(a, batching, { dryRun: true });
    expect((await engine.run()).kind).toBe('dry-run');
    expect(statuses(events)).toEqual(statuses(plain.events));
    for (const [i, b] of batching.entries()) {
      const node = a.nodes[i]!.name;
      const distinct = new Set(planSteps(a).filter((s) => s.node === node && s.check).map((s) => JSON.stringify(s.check!.argv)));
      expect(b.batches).toEqual([distinct.size]);
      // Read on their own again only: what the batch left unanswered, once each (and, after the
      // assessment, the dry run's one look at the RAID resync, which is not a check).
      expect(b.unanswered.length).toBeLessThan(distinct.size / 2);
      const mdstat = JSON.stringify(['cat', '/proc/mdstat']);
      expect(b.singles.filter((x) => x === mdstat)).toHaveLength(1);
      expect(b.singles.filter((x) => x !== mdstat).sort()).toEqual([...b.unanswered].sort());
    }
    // Each check is in the journal with its output, as a single run would be.
    expect(readFileSync(log, 'utf8')).toMatch(/node1 node1\/node-name \(check, in a batch of \d+\): \$ uname -n\n  exit 0 in \d+ ms\n  stdout:\n    node1/);
  });

  it('a batch that fails as a whole is journaled, and each check is then read on its own', async () => {
    const a = await answers('done-answers.yaml');
    const plain = setup(a, fakes(a), { dryRun: true });
    await plain.engine.run();
    const batching = fakes(a).map((n) => new Batching(n, true));
    const { engine, events, log } = setup(a, batching, { dryRun: true });
    expect((await engine.run()).kind).toBe('dry-run');
    expect(statuses(events)).toEqual(statuses(plain.events));
    for (const b of batching) expect(b.singles.length).toBeGreaterThan(10);
    expect(readFileSync(log, 'utf8')).toMatch(/the batch of \d+ checks did not run \(node1: batch of 2 commands: output ended before command 0\): each is read on its own/);
  });
});
