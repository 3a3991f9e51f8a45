// Background steps (enabling Corosync and Pacemaker at boot): later groups run while
// one goes on, apply waits for it before it loads the cluster configuration, and its failure fails the run
// there with its own command and stderr.
import { describe, expect, it } from 'vitest';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import type { ApplyEvent } from '../../src/apply/engine.js';
import { FakeNode } from './fake-node.js';
import { answers, fakes, setup } from './engine-harness.js';

/** The command after `nice -n N` or `env VAR=value` (how the background steps are started). */
const unniced = (argv: Argv) => (argv[0] === 'nice' && argv[1] === '-n' ? argv.slice(3) : argv[0] === 'env' ? argv.slice(2) : argv);
const isEnable = (argv: Argv) => unniced(argv)[0] === 'systemctl' && unniced(argv)[1] === 'enable' && argv.includes('corosync.service');
/** A later group's command: the cluster's state read once the wait for both nodes comes (group 16 on). */
const laterRead = (argv: Argv) => argv[0] === 'crm_mon';

/** Holds a node's boot enable (or another command) until `door` opens; notes what the node ran meanwhile. */
class Gate implements Runner {
  readonly during: Argv[] = [];
  /** The held command as the engine sent it. */
  heldArgv: Argv | null = null;
  private inside = false;
  constructor(
    readonly inner: FakeNode,
    private readonly door: Door,
    private readonly result?: RunResult,
    private readonly held: (argv: Argv) => boolean = isEnable,
  ) {}
  get label() {
    return this.inner.label;
  }
  async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    if (this.inside) {
      this.during.push(argv);
      if (laterRead(argv)) this.door.open();
    }
    if (!this.held(argv)) return this.inner.run(argv, o);
    this.heldArgv = argv;
    this.inside = true;
    await this.door.opened;
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

/** Opens once, for every gate that shares it. */
class Door {
  open: () => void = () => {};
  readonly opened = new Promise<void>((r) => (this.open = r));
}

const ids = (events: ApplyEvent[], type: ApplyEvent['type']) =>
  events.filter((e) => e.type === type).map((e) => (e as { step: { id: string } }).step.id);

describe('a background step', () => {
  it('runs while later groups go on, and is done before the configuration is loaded', async () => {
    const a = await answers('done-answers.yaml');
    // Released only by a later group's command: if the engine waited for the step where it starts
    // (right after the cluster starts), this run would never end.
    // The cluster's state is read on the first node (the cluster-wide steps run there), so its gate
    // opens the door for both.
    const door = new Door();
    const gates = fakes(a).map((n) => new Gate(n, door));
    const { engine, events } = setup(a, gates);
    const out = await engine.run();
    expect(out.kind).toBe('done');
    expect(gates[0]!.during.some(laterRead)).toBe(true);
    for (const g of gates) {
      const done = ids(events, 'step-done');
      const started = ids(events, 'step-start');
      // Finished before the cluster configuration is loaded (its resources' starts get the CPU alone), so
      // before the node's final DRBD check too.
      const order = events.map((e) => ('step' in e ? `${e.type} ${e.step.id}` : ''));
      const cibAt = order.findIndex((x) => x.endsWith(' cluster/cib'));
      expect(cibAt).toBeGreaterThan(0);
      expect(order.indexOf(`step-done ${g.label}/cluster-enable`)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(`step-done ${g.label}/cluster-enable`)).toBeLessThan(cibAt);
      expect(order.indexOf(`step-done ${g.label}/cluster-enable`)).toBeLessThan(order.indexOf(`step-start ${g.label}/verify-drbd`));
      expect(done).toContain(`${g.label}/cluster-enable`);
      expect(started).toContain(`${g.label}/verify-drbd`);
    }
    // The screen shows it apart from the node's current step.
    expect(events.some((e) => e.type === 'step-start' && e.step.id === 'node1/cluster-enable' && e.step.background === true)).toBe(true);
  });

  it('that fails stops the run before the configuration is loaded, with its command and stderr', async () => {
    const a = await answers('done-answers.yaml');
    const broken: RunResult = { argv: [], exitCode: 1, stdout: '', stderr: 'Failed to enable unit: Read-only file system\n', timedOut: false, aborted: false, durationMs: 2 };
    const [n1, n2] = fakes(a);
    const door = new Door();
    const gates = [new Gate(n1!, door, broken), new Gate(n2!, door)];
    const { engine, events } = setup(a, gates);
    const out = await engine.run();
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(out.step).toBe('node1/cluster-enable');
    expect(out.failure.command).toBe('env SYSTEMCTL_SKIP_SYSV=1 systemctl enable --no-reload corosync.service pacemaker.service');
    expect(out.failure.stderr).toContain('Read-only file system');
    expect(ids(events, 'step-start').some((x) => x.endsWith('/verify-drbd') || x === 'cluster/verify-mount' || x === 'cluster/cib')).toBe(false);
    // The next run finds it still to do (systemctl is-enabled) and does it.
    const again = await setup(a, [n1!, n2!]).engine.run();
    expect(again.kind === 'done' && again.ran).toContain('node1/cluster-enable');
  });
});
