// Background steps (the initramfs rebuild): later groups run while one goes on, apply waits for it
// before its final checks, and its failure fails the run there with its own command and stderr.
import { describe, expect, it } from 'vitest';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { INITRAMFS_SCRIPT, WRITE_FILE_SCRIPT } from '../../src/generate/plan.js';
import type { ApplyEvent } from '../../src/apply/engine.js';
import { FakeNode } from './fake-node.js';
import { answers, fakes, setup } from './engine-harness.js';

const isInitramfs = (argv: Argv) => argv[0] === 'nice' && argv[5] === INITRAMFS_SCRIPT;
const writesNfsConf = (argv: Argv) => argv[0] === 'sh' && argv[2] === WRITE_FILE_SCRIPT && argv[4] === '/etc/nfs.conf.d/hanfs.conf';

/** Holds a node's initramfs rebuild until `release` is called; notes when it ran and what ran meanwhile. */
class Gate implements Runner {
  readonly during: Argv[] = [];
  private open: () => void = () => {};
  private readonly opened = new Promise<void>((r) => (this.open = r));
  private inside = false;
  constructor(readonly inner: FakeNode, private readonly releaseOn: (argv: Argv) => boolean, private readonly result?: RunResult) {}
  get label() {
    return this.inner.label;
  }
  async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    if (this.inside) this.during.push(argv);
    if (this.releaseOn(argv)) this.open();
    if (!isInitramfs(argv)) return this.inner.run(argv, o);
    this.inside = true;
    await this.opened;
    this.inside = false;
    return this.result ?? this.inner.run(argv, o);
  }
  stream(argv: Argv, o: StreamOptions) {
    return this.inner.stream(argv, o);
  }
  close() {
    return this.inner.close();
  }
}

const ids = (events: ApplyEvent[], type: ApplyEvent['type']) =>
  events.filter((e) => e.type === type).map((e) => (e as { step: { id: string } }).step.id);

describe('a background step', () => {
  it('runs while later groups go on, and is done before the final checks', async () => {
    const a = await answers('done-answers.yaml');
    // Released only once the node writes its NFS drop-in (group 13): if the engine waited for the
    // rebuild where it starts (group 04), this run would never end.
    const gates = fakes(a).map((n) => new Gate(n, writesNfsConf));
    const { engine, events } = setup(a, gates);
    const out = await engine.run();
    expect(out.kind).toBe('done');
    for (const g of gates) {
      expect(g.during.some(writesNfsConf)).toBe(true);
      const done = ids(events, 'step-done');
      const started = ids(events, 'step-start');
      // Finished before the node's final DRBD check started.
      const order = events.map((e) => ('step' in e ? `${e.type} ${e.step.id}` : ''));
      expect(order.indexOf(`step-done ${g.label}/initramfs`)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(`step-done ${g.label}/initramfs`)).toBeLessThan(order.indexOf(`step-start ${g.label}/verify-drbd`));
      expect(done).toContain(`${g.label}/initramfs`);
      expect(started).toContain(`${g.label}/verify-drbd`);
    }
    // The screen shows it apart from the node's current step.
    expect(events.some((e) => e.type === 'step-start' && e.step.id === 'node1/initramfs' && e.step.background === true)).toBe(true);
  });

  it('that fails stops the run before the final checks, with its command and stderr', async () => {
    const a = await answers('done-answers.yaml');
    const broken: RunResult = { argv: [], exitCode: 1, stdout: '', stderr: 'E: /boot: No space left on device\n', timedOut: false, aborted: false, durationMs: 2 };
    const [n1, n2] = fakes(a);
    const gates = [new Gate(n1!, writesNfsConf, broken), new Gate(n2!, () => true)];
    const { engine, events } = setup(a, gates);
    const out = await engine.run();
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(out.step).toBe('node1/initramfs');
    expect(out.failure.command).toContain('update-initramfs -u -k all');
    expect(out.failure.stderr).toContain('No space left on device');
    expect(ids(events, 'step-start').some((x) => x.endsWith('/verify-drbd') || x === 'cluster/verify-mount')).toBe(false);
    // The next run finds the rebuild still to do (mdadm.conf newer than the initramfs) and does it.
    const again = await setup(a, [n1!, n2!]).engine.run();
    expect(again.kind === 'done' && again.ran).toContain('node1/initramfs');
  });
});
