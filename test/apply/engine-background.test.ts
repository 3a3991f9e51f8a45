// Background steps (enabling Corosync and Pacemaker at boot): later groups run while
// one goes on, apply waits for it before it loads the cluster configuration, and its failure fails the run
// there with its own command and stderr.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import type { ApplyEvent } from '../../src/apply/engine.js';
import { FakeNode } from './fake-node.js';
import { answers, fakes, setup } from './engine-harness.js';
import { cibResourceIds, cibSection, mergeCibConfiguration } from '../../src/generate/cib-merge.js';
import { planSteps } from '../../src/plan/plan.js';
import { WRITE_AND_RECORD_FILE_SCRIPT } from '../../src/plan/node-files.js';
import { type PlanStep } from '../../src/plan/types.js';
import { buildCibModel } from '../../src/generate/cib-model.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/**
 * The plan with a longer lane per node: the NFS group's steps (files, a reload, the timer) made background
 * steps right after the node's boot enable. The engine's lane is what is tested, whatever the plan puts in
 * it (on the lab, a lane this long slowed the foreground more than it saved: docs/ha-tuning.md).
 */
function withLane(a: Awaited<ReturnType<typeof answers>>): PlanStep[] {
  const all = planSteps(a);
  const nfs = all.filter((s) => s.parallelGroup === '13-nfs').map((s): PlanStep => ({ ...s, parallelGroup: '02-cluster-enable', background: { before: '17-cib' } }));
  return all.filter((s) => s.parallelGroup !== '13-nfs').flatMap((s) => (s.id.endsWith('/cluster-enable') ? [s, ...nfs.filter((x) => x.node === s.node)] : [s]));
}

/** The commands of a node's background steps. */
function backgroundArgvs(steps: PlanStep[], node: string): Set<string> {
  return new Set(steps.filter((s) => s.node === node && s.background).flatMap((s) => s.commands.map((c) => JSON.stringify(c))));
}

/** Counts a node's background commands in flight (each takes a few ticks), and keeps their order. */
class Overlap implements Runner {
  inFlight = 0;
  most = 0;
  readonly order: Argv[] = [];
  constructor(
    readonly inner: FakeNode,
    private readonly bg: Set<string>,
    private readonly fail?: (argv: Argv) => RunResult | null,
  ) {}
  get label() {
    return this.inner.label;
  }
  async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    if (!this.bg.has(JSON.stringify(argv))) return this.inner.run(argv, o);
    this.inFlight += 1;
    this.most = Math.max(this.most, this.inFlight);
    this.order.push(argv);
    try {
      for (let i = 0; i < 5; i += 1) await new Promise((r) => setImmediate(r));
      return this.fail?.(argv) ?? (await this.inner.run(argv, o));
    } finally {
      this.inFlight -= 1;
    }
  }
  stream(argv: Argv, o: StreamOptions) {
    return this.inner.stream(argv, o);
  }
  close() {
    return this.inner.close();
  }
}

describe("a node's background steps", () => {
  it('run one after another in plan order, beside the foreground, all done before the configuration loads', async () => {
    const a = await answers('done-answers.yaml');
    const steps = withLane(a);
    const nodes = fakes(a).map((n) => new Overlap(n, backgroundArgvs(steps, n.label)));
    const { engine, events } = setup(a, nodes, { steps });
    const out = await engine.run();
    expect(out.kind).toBe('done');
    const order = events.map((e) => ('step' in e ? `${e.type} ${e.step.id}` : ''));
    const cibAt = order.indexOf('step-start cluster/cib');
    expect(cibAt).toBeGreaterThan(0);
    for (const n of nodes) {
      // Something ran in the background here (else this test says nothing), never two commands at once.
      expect(n.order.length).toBeGreaterThan(1);
      expect(n.most).toBe(1);
      const bgSteps = steps.filter((s) => s.node === n.label && s.background).map((s) => s.id);
      const started = order.filter((x) => x.startsWith('step-start ') && bgSteps.includes(x.slice(11))).map((x) => x.slice(11));
      // Plan order, each started only once the one before it ended.
      expect(started).toEqual(bgSteps.filter((id) => started.includes(id)));
      for (const [i, id] of started.entries()) {
        if (i > 0) expect(order.indexOf(`step-start ${id}`)).toBeGreaterThan(order.indexOf(`step-done ${started[i - 1]}`));
        expect(order.indexOf(`step-done ${id}`)).toBeLessThan(cibAt);
      }
      // The foreground went on meanwhile: a foreground step of the node started while the lane ran.
      const first = order.indexOf(`step-start ${started[0]}`);
      const last = order.indexOf(`step-done ${started.at(-1)}`);
      const fg = order.slice(first, last).filter((x) => x.startsWith(`step-start ${n.label}/`) && !bgSteps.includes(x.slice(11)));
      expect(fg.length).toBeGreaterThan(0);
    }
  });

  it('that fails: the rest of the lane does not run, the foreground stops before its next step, the run fails with it', async () => {
    const a = await answers('done-answers.yaml');
    const broken = (argv: Argv): RunResult | null =>
      argv[0] === 'sh' && argv[2] === WRITE_AND_RECORD_FILE_SCRIPT && argv[4] === '/etc/nfs.conf.d/hanfs.conf'
        ? { argv, exitCode: 1, stdout: '', stderr: 'sh: 1: cannot create /etc/nfs.conf.d/hanfs.conf.hanfs-new: Read-only file system\n', timedOut: false, aborted: false, durationMs: 2 }
        : null;
    const [n1, n2] = fakes(a);
    const steps = withLane(a);
    const nodes = [new Overlap(n1!, backgroundArgvs(steps, 'node1'), broken), new Overlap(n2!, backgroundArgvs(steps, 'node2'))];
    const { engine, events } = setup(a, nodes, { steps });
    const out = await engine.run();
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(out.step).toBe('node1/file:/etc/nfs.conf.d/hanfs.conf');
    expect(out.failure.stderr).toContain('Read-only file system');
    const started = ids(events, 'step-start');
    // Nothing after it in node1's lane, and the configuration never loaded.
    expect(started).not.toContain('node1/systemd-reload');
    expect(started).not.toContain('cluster/cib');
    expect(started.some((x) => x.endsWith('/verify-drbd'))).toBe(false);
    // No step of either node started once the failure was known.
    const failedAt = events.findIndex((e) => e.type === 'step-failed');
    expect(events.slice(failedAt).filter((e) => e.type === 'step-start')).toEqual([]);
  });
});

describe('the early configuration (cluster/cib-ping, cluster/cib-held)', () => {
  /** The engine runs only `id`; node1's `cibadmin -Q` reads `first`, then `then` (the read before the load). */
  async function loadEarly(id: string, first: string, then: string | null) {
    const a = await answers('done-answers.yaml');
    const [n1, n2] = fakes(a);
    let reads = 0;
    const writes: { argv: Argv; input: string }[] = [];
    const node1: Runner = {
      label: n1!.label,
      run: async (argv: Argv, o?: RunOptions) => {
        if (argv[0] === 'cibadmin' && argv[1] === '-Q' && argv.length === 2) {
          reads += 1;
          const cib = reads === 1 ? first : then;
          if (cib !== null) return { argv, exitCode: 0, stdout: cib, stderr: '', timedOut: false, aborted: false, durationMs: 1 };
        }
        if (argv[0] === 'cibadmin' && argv.includes('--replace')) {
          writes.push({ argv, input: String(o?.input ?? '') });
          return { argv, exitCode: 0, stdout: '', stderr: '', timedOut: false, aborted: false, durationMs: 1 };
        }
        return n1!.run(argv, o);
      },
      stream: (argv: Argv, o: StreamOptions) => n1!.stream(argv, o),
      close: () => n1!.close(),
    };
    const steps = planSteps(a).filter((s) => s.id === id).map(({ background: _, ...s }) => s);
    const { engine } = setup(a, [node1, n2!], { steps });
    return { out: await engine.run(), reads, writes };
  }
  const empty = () => {
    const r = spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  /** A fresh CIB with the ping clone loaded by the real cibadmin (CIB_file), as cluster/cib-ping leaves it. */
  const pingOnly = async () => {
    const a = await answers('done-answers.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'cib-early-'));
    const file = join(dir, 'cib.xml');
    writeFileSync(file, empty());
    const stdin = planSteps(a).find((s) => s.id === 'cluster/cib-ping')!.stdin[0];
    if (stdin?.kind !== 'cib-merge') throw new Error('cluster/cib-ping carries a CIB');
    const env = { ...process.env, CIB_file: file };
    const merged = mergeCibConfiguration(readFileSync(file, 'utf8'), stdin.cib)!;
    const r = spawnSync('cibadmin', ['--replace', '--scope', 'configuration', '--xml-pipe'], { input: merged, encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    return spawnSync('cibadmin', ['-Q'], { encoding: 'utf8', env }).stdout;
  };
  // The done cluster's live CIB (captured): everything loaded, as if someone had loaded it meanwhile.
  const doneCib = async () => {
    const a = await answers('done-answers.yaml');
    return (await fakes(a)[0]!.run(['cibadmin', '-Q'])).stdout;
  };

  for (const id of ['cluster/cib-ping', 'cluster/cib-held']) {
    it(`${id} is refused, nothing written, when other resources appeared between its check and its load`, async () => {
      const { out, reads, writes } = await loadEarly(id, id === 'cluster/cib-ping' ? empty() : await pingOnly(), await doneCib());
      expect(out.kind).toBe('failed');
      if (out.kind !== 'failed') return;
      expect(out.step).toBe(id);
      expect(out.failure.stderr).toMatch(/the live CIB already holds (\S+, )*p_fs\b.*: nothing was loaded/);
      expect(reads).toBe(2);
      expect(writes).toEqual([]);
    });
  }

  it('cluster/cib-held loads everything over the ping clone, the group held stopped, the ping clone kept as it was', async () => {
    const live = await pingOnly();
    const { out, writes } = await loadEarly('cluster/cib-held', live, live);
    expect(out.kind).toBe('done');
    expect(writes).toHaveLength(1);
    const loaded = writes[0]!.input;
    const a = await answers('done-answers.yaml');
    const model = buildCibModel(a);
    expect(cibResourceIds(loaded)).toEqual(expect.arrayContaining([...cibResourceIds(live), model.drbd.id, model.group.id, ...model.group.members.map((p) => p.id)]));
    const group = new RegExp(`<group id="${model.group.id}">\\s*<meta_attributes id="[^"]*">\\s*<nvpair id="[^"]*" name="target-role" value="Stopped"/>`);
    expect(cibSection(loaded, 'resources')).toMatch(group);
    // The ping clone's definition unchanged: Pacemaker has no reason to restart it.
    const ping = (xml: string) => /<clone\b[^>]*id="[^"]*ping[^"]*"[\s\S]*?<\/clone>/.exec(cibSection(xml, 'resources') ?? '')?.[0];
    expect(ping(loaded)).toBeDefined();
    expect(ping(loaded)).toBe(ping(live));
  });

  it('cluster/cib-held is done once the configuration holds more than the ping clone: ours, or anyone\'s resource (never refused forever)', async () => {
    const a = await answers('done-answers.yaml');
    const steps = planSteps(a);
    const res = (stdout: string): RunResult => ({ argv: ['cibadmin', '-Q'], exitCode: 0, stdout, stderr: '', timedOut: false, aborted: false, durationMs: 1 });
    // Someone's own resource beside the ping clone, added with the real cibadmin.
    const file = join(mkdtempSync(join(tmpdir(), 'cib-foreign-')), 'cib.xml');
    writeFileSync(file, await pingOnly());
    const add = spawnSync('cibadmin', ['-C', '-o', 'resources', '-X', '<primitive id="their_dummy" class="ocf" provider="pacemaker" type="Dummy"/>'], { encoding: 'utf8', env: { ...process.env, CIB_file: file } });
    expect(add.status, add.stderr).toBe(0);
    const foreign = readFileSync(file, 'utf8');
    for (const id of ['cluster/cib-held', 'cluster/early-online']) {
      const step = steps.find((s) => s.id === id)!;
      if (step.check?.kind !== 'probe') throw new Error('probe check');
      expect(step.check.judge(res(empty())), id).toBe(false);
      expect(step.check.judge(res(await pingOnly())), id).toBe(false);
      expect(step.check.judge(res(await doneCib())), id).toBe(true);
      expect(step.check.judge(res(foreign)), id).toBe(true);
    }
    expect(steps.find((s) => s.id === 'cluster/cib-held')!.doneIf).toEqual(['cluster/cib']);
  });
});
