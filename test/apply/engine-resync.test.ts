// The RAID1 resync after `mdadm --create`: apply does not wait for it, shows it live per node while later
// steps run (progress events with percent, rate and ETA from real /proc/mdstat captures), and the outcome
// says where it stands.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { createDemoRunners } from '../../src/exec/demo-lab.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { planSteps } from '../../src/plan/plan.js';
import { PIN_DISKS_SCRIPT } from '../../src/plan/disk-pins.js';
import { MD_MEMBERS_SCRIPT } from '../../src/plan/md-members.js';
import type { ApplyEvent } from '../../src/apply/engine.js';
import { formatOutcomeText } from '../../src/apply/format.js';
import { answers, FIX, setup } from './engine-harness.js';

/**
 * A demo-lab node (the real bare captures: the disks pass the review) whose /proc/mdstat comes from a
 * resync fixture. mdadm --create (and the pinning of its disks before it) and mkdir are what apply changes here: recorded, and mkdir (a later
 * step) can be held until the test has seen what it waits for, so "later steps run during the resync"
 * is observed, not assumed.
 */
class MdNode implements Runner {
  readonly mutations: Argv[] = [];
  hold: Promise<void> = Promise.resolve();
  private readonly md: ReplayRunner;
  constructor(
    readonly label: string,
    private readonly demo: Runner,
    mdDir: string,
  ) {
    this.md = new ReplayRunner({ dir: mdDir, label });
  }
  async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    if (argv[0] === 'cat' && argv[1] === '/proc/mdstat') return this.md.run(argv, o);
    // The fixtures' first /proc/mdstat reading (no md0 yet) is what the RAID step's check saw before the
    // array existed. That check now reads the array's members (src/plan/md-members.ts), which the bare demo
    // node has no array for: the reading is taken as before, and the demo node answers the check.
    if (argv[0] === 'sh' && argv[2] === MD_MEMBERS_SCRIPT) {
      await this.md.run(['cat', '/proc/mdstat'], o);
      return this.demo.run(argv, o);
    }
    if (argv[0] === 'mdadm' || argv[0] === 'mkdir' || (argv[0] === 'sh' && argv[2] === PIN_DISKS_SCRIPT)) {
      this.mutations.push(argv);
      if (argv[0] === 'mkdir') await this.hold;
      return { argv, exitCode: 0, stdout: '', stderr: '', timedOut: false, aborted: false, durationMs: 1 };
    }
    return this.demo.run(argv, o);
  }
  stream(argv: Argv, o: StreamOptions) {
    return this.demo.stream(argv, o);
  }
  close() {
    return this.demo.close();
  }
}

async function scenario(folder: string, release: (e: ApplyEvent) => boolean) {
  const a = await answers('demo-answers.yaml');
  const demo = createDemoRunners('bare');
  const nodes = a.nodes.map((n, i) => new MdNode(n.name, demo[i]!, join(FIX, folder, n.name)));
  let open!: () => void;
  nodes[0]!.hold = new Promise<void>((r) => (open = r));
  const events: ApplyEvent[] = [];
  const steps = planSteps(a).filter((s) => /^node[12]\/(raid|mountpoint)$/.test(s.id));
  const { engine, log } = setup(a, nodes, {
    steps,
    onEvent: (e) => {
      events.push(e);
      if (release(e)) open();
    },
  });
  const out = await engine.run();
  return { out, events, nodes, journal: readFileSync(log, 'utf8') };
}

const bg = (events: ApplyEvent[]) => events.filter((e): e is Extract<ApplyEvent, { type: 'progress' }> => e.type === 'progress' && e.background === true);

describe('RAID1 resync after mdadm --create', () => {
  it('is not waited for: later steps run while it is shown per node, and the outcome says where it stands', async () => {
    const { out, events, nodes } = await scenario('md-resync-running', (e) => e.type === 'progress' && e.background === true && e.percent === 38.9);
    expect(out.kind).toBe('done');
    if (out.kind !== 'done') return;
    expect(out.ran).toEqual(expect.arrayContaining(['node1/raid', 'node2/raid', 'node1/mountpoint', 'node2/mountpoint']));
    // The array was created, and the later step ran on node1 only after the resync was seen at 38.9 %:
    // the resync went on while apply did.
    expect(nodes[0]!.mutations.map((x) => x[0])).toEqual(['sh', 'mdadm', 'mkdir']);
    const raidDone = events.findIndex((e) => e.type === 'step-done' && e.step.id === 'node1/raid');
    const first = events.findIndex((e) => e.type === 'progress' && e.background === true);
    expect(raidDone).toBeGreaterThanOrEqual(0);
    expect(first).toBeGreaterThan(raidDone);
    const p = bg(events);
    // Only node1 resyncs (node2's pair was already clean 5 s after create, as captured).
    expect(new Set(p.map((e) => e.step.node))).toEqual(new Set(['node1']));
    // First reading: the kernel's speed until the window has two samples; 261120-16000 KiB left at 8000 KiB/s.
    expect(p[0]).toMatchObject({ what: 'RAID1 resync of /dev/md0', percent: 6, rateKiBs: 8000, etaSec: 31 });
    const at39 = p.find((e) => e.percent === 38.9)!;
    // Rate and ETA from the moving window of the two readings (monitor/progress.ts), not a constant.
    expect(at39.rateKiBs).toBeGreaterThan(0);
    expect(at39.etaSec).not.toBeNull();
    expect(out.background).toEqual([expect.objectContaining({ node: 'node1', device: '/dev/md0', action: 'resync', percent: 38.9 })]);
    const text = formatOutcomeText(out);
    expect(text).toMatch(/^apply finished: /);
    expect(text).toMatch(/md0 on node1 resyncing 39%, ETA \d+ s: continues in the background .*hanfs-wizard monitor shows it/);
  });

  it('reports the end of a resync that finishes during the run', async () => {
    const { out, events, journal } = await scenario('md-resync-finishes', (e) => e.type === 'message' && /resync finished/.test(e.text));
    expect(out.kind).toBe('done');
    // Every read of /proc/mdstat by the watcher is journaled, not only its first and last.
    const reads = [...journal.matchAll(/node1 node1\/raid \(resync\): \$ cat \/proc\/mdstat\n  exit 0 in \d+ ms\n  stdout:\n((?:    .*\n)+)/g)].map((m) => m[1]!);
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads.some((x) => /resync = +38\.9%/.test(x))).toBe(true);
    expect(reads.some((x) => /resync = +6\.0%/.test(x))).toBe(true);
    if (out.kind !== 'done') return;
    const p = bg(events);
    expect(p.map((e) => e.percent)).toEqual(expect.arrayContaining([6, 38.9, 100]));
    expect(p[p.length - 1]!.percent).toBe(100);
    expect(events.some((e) => e.type === 'message' && e.text === '/dev/md0 on node1: resync finished')).toBe(true);
    expect(out.background).toEqual([]);
    expect(formatOutcomeText(out)).not.toMatch(/resyncing/);
  });
});
