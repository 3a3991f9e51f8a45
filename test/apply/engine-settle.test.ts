// The last wait of apply on real crm_mon captures: settled means stable over a window of consecutive
// polls, and failed actions end the wait at once with what to do.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { planSteps } from '../../src/generate/plan.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { stableWindowMs } from '../../src/apply/cluster-settle.js';
import { answers, FIX, setup } from './engine-harness.js';
import { fakeClock } from './fake-clock.js';

/** Replays a settle fixture and notes when (on the fake clock) each crm_mon poll ran and which it was. */
class Timed implements Runner {
  readonly polls: number[] = [];
  private readonly inner: ReplayRunner;
  constructor(readonly label: string, dir: string, private readonly now: () => number) {
    this.inner = new ReplayRunner({ dir, label });
  }
  run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    if (argv[0] === 'crm_mon') this.polls.push(this.now());
    return this.inner.run(argv, o);
  }
  stream(argv: Argv, o: StreamOptions) {
    return this.inner.stream(argv, o);
  }
  close() {
    return this.inner.close();
  }
}

async function settle(folder: string) {
  const a = await answers('done-answers.yaml');
  const clock = fakeClock();
  const node1 = new Timed('node1', join(FIX, folder, 'node1'), clock.now);
  const steps = planSteps(a).filter((s) => s.id === 'cluster/settle');
  const { engine, events } = setup(a, [node1, node1], { steps, ...clock });
  const out = await engine.run();
  return { a, out, events, polls: node1.polls };
}

describe('cluster/settle', () => {
  it('passes only after the service ran on consecutive polls for the whole window; a Starting resource or a flap restarts the count', async () => {
    const { a, out, events, polls } = await settle('settle');
    expect(out).toMatchObject({ kind: 'done', ran: ['cluster/settle'] });
    const window = stableWindowMs(renderCibXml(a));
    // Polls: 0 p_ping Starting, 1-3 running, 4 a failover in flight, 5... running (fixture SOURCE.md).
    // Three good polls were not enough; the count began again at poll 5 and ended once the window was full.
    expect(polls.length).toBeGreaterThan(6);
    const since = polls[5]!;
    expect(polls[polls.length - 1]! - since).toBeGreaterThanOrEqual(window);
    expect(polls[polls.length - 2]! - since).toBeLessThan(window);
    // The screen's "cluster stable" bar went back to 0 at the flap and reached 100.
    const stable = events.filter((e) => e.type === 'progress' && e.what === 'cluster stable').map((e) => (e as { percent: number }).percent);
    expect(stable).toContain(0);
    expect(stable[stable.length - 1]).toBe(100);
  });

  it('fails at once on failed actions (the lab\'s p_nfsnotify), naming resource, operation, node and reason, and how to clear them', async () => {
    const { out, polls } = await settle('settle-failed');
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(polls).toHaveLength(1);
    expect(out.step).toBe('cluster/settle');
    expect(out.failure.stderr).toMatch(/p_nfsnotify start on lab2 returned 'error' \(exit 1\): sm-notify with source host set to \[ 192\.168\.101\.100 \] failed/);
    expect(out.failure.stderr).toMatch(/p_nfsserver stop on lab2 returned 'error' \(exit 1\): Failed to unmount a bind mount/);
    expect(out.failure.stderr).toMatch(/fail-count INFINITY|fail-count 1000000/);
    expect(out.failure.next).toMatch(/Fix the cause first/);
    expect(out.failure.next).toContain('crm_resource --cleanup --resource p_nfsserver');
    expect(out.failure.next).toContain('crm_resource --cleanup --resource p_nfsnotify');
  });

  it('times out with what is still wrong when the cluster never settles', async () => {
    const { out, polls } = await settle('settle-timeout');
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(polls.length).toBeGreaterThan(100);
    expect(out.failure.stderr).toMatch(/node1 is offline/);
    expect(out.failure.stderr).toMatch(/p_fs is Stopped/);
    expect(out.failure.stderr).toMatch(/not reached within \d+ s: every resource started where expected/);
  });
});
