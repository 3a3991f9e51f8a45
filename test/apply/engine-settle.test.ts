// The last wait of apply on real crm_mon captures: settled means every resource runs where expected
// and its first monitor after the start reported it (no time window), and failed actions end the wait
// at once with what to do.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { planSteps } from '../../src/plan/plan.js';
import { pollPause } from '../../src/apply/engine.js';
import { answers, FIX, setup } from './engine-harness.js';
import { fakeClock } from './fake-clock.js';

/** Replays a settle fixture and notes when (on the fake clock) each crm_mon poll ran and which it was. */
class Timed implements Runner {
  readonly polls: number[] = [];
  private readonly inner: ReplayRunner;
  constructor(readonly label: string, dir: string, private readonly now: () => number, private readonly readMs?: number) {
    this.inner = new ReplayRunner({ dir, label });
  }
  async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    if (argv[0] === 'crm_mon') this.polls.push(this.now());
    const r = await this.inner.run(argv, o);
    // As long as a read took on the lab's emulated node (crm_mon: 1-4 s).
    return this.readMs !== undefined && argv[0] === 'crm_mon' ? { ...r, durationMs: this.readMs } : r;
  }
  stream(argv: Argv, o: StreamOptions) {
    return this.inner.stream(argv, o);
  }
  close() {
    return this.inner.close();
  }
}

async function settle(folder: string, readMs?: number) {
  const a = await answers('done-answers.yaml');
  const clock = fakeClock();
  const node1 = new Timed('node1', join(FIX, folder, 'node1'), clock.now, readMs);
  const steps = planSteps(a).filter((s) => s.id === 'cluster/settle');
  const { engine, events, log } = setup(a, [node1, node1], { steps, ...clock });
  const out = await engine.run();
  return { a, out, events, polls: node1.polls, journal: readFileSync(log, 'utf8') };
}

describe('cluster/settle', () => {
  it('passes at the first poll where everything runs and each first monitor reported; a Starting resource does not pass', async () => {
    const { out, events, polls, journal } = await settle('settle');
    expect(out).toMatchObject({ kind: 'done', ran: ['cluster/settle'] });
    // Every poll is a command in the journal, not only the last (its timings must cover the whole wait).
    expect(journal.match(/cluster\/settle \(verify\): \$ crm_mon/g)).toHaveLength(polls.length);
    // Polls: 0 p_ping Starting, 1-3 running with every monitor reported (fixture manifest). Poll 1 ends
    // the wait: no fixed window to sit out once the monitors have confirmed the service.
    expect(polls).toHaveLength(2);
    expect(polls[1]! - polls[0]!).toBe(3000);
    expect(events.some((e) => e.type === 'progress' && e.what === 'cluster stable')).toBe(false);
  });

  it('pauses three times as long as a slow read took, so its polls take at most a quarter of the node', async () => {
    const { out, polls } = await settle('settle', 2000);
    expect(out).toMatchObject({ kind: 'done', ran: ['cluster/settle'] });
    expect(polls).toHaveLength(2);
    expect(polls[1]! - polls[0]!).toBe(6000);
    expect(pollPause(3000, 80)).toBe(3000); // a real server's crm_mon: the interval decides
  });

  it('pauses at most the interval plus 4 s however slow the last read was, so the end is seen soon after it came', async () => {
    const { out, polls } = await settle('settle', 6000);
    expect(out).toMatchObject({ kind: 'done', ran: ['cluster/settle'] });
    // The lab's slow read of 2026-11-27 05:12:34 took 6.0 s; three times that would be an 18 s pause.
    expect(polls[1]! - polls[0]!).toBe(7000);
    expect(pollPause(3000, 6000)).toBe(7000);
    expect(pollPause(2000, 1000)).toBe(3000);
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
