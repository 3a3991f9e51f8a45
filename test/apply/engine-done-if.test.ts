// A step's "done" may be implied by a later step (doneIf: the LV exists, so the PV does). The later step's
// check is read at the assessment; once the run goes on, a later step that was to do then and has not run
// since is still to do (only it brings about its own state), so its check is not read again before every
// earlier step: that re-reading cost the lab's first node 6-12 s per apply. A step's own check always is.
import { describe, expect, it } from 'vitest';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import type { PlanStep } from '../../src/plan/types.js';
import type { Group } from '../../src/plan/order.js';
import { answers, setup } from './engine-harness.js';

/** A node whose state is a set of names: `state X` exits 0 when X is there, `make X` puts it there. */
class StateNode implements Runner {
  readonly state = new Set<string>();
  readonly ran: Argv[] = [];
  constructor(readonly label: string) {}
  async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    void o;
    this.ran.push(argv);
    if (argv[0] === 'make') this.state.add(argv[1]!);
    const exitCode = argv[0] === 'state' ? (this.state.has(argv[1]!) ? 0 : 1) : 0;
    return { argv, exitCode, stdout: '', stderr: '', timedOut: false, aborted: false, durationMs: 1 };
  }
  stream(argv: Argv, o: StreamOptions): never {
    void argv;
    void o;
    throw new Error('not used');
  }
  async close() {}
}

/** Each test step in a group of its own, in the order of src/plan/order.ts. */
const GROUP_OF: Record<string, Group> = { pv: '03-raid', vg: '05-lvm', lv: '07-drbd-md', y: '00-preflight', x: '08-drbd-up' };

function probeStep(id: string, node: string, doneIf: string[] = []): PlanStep {
  const name = id.split('/')[1]!;
  return {
    id, node, cluster: false, title: name, why: 'test', destructive: false, wipes: [], consent: false,
    commands: [['make', name]], stdin: {}, doneIf, verify: null, parallelGroup: GROUP_OF[name]!, interruptsService: null,
    check: { kind: 'probe', argv: ['state', name], describe: `${name} is there`, judge: (r) => r.exitCode === 0 },
  };
}

const reads = (n: StateNode, name: string) => n.ran.filter((x) => x[0] === 'state' && x[1] === name).length;

describe('doneIf after the assessment', () => {
  it('a later step still to do is not read again before each earlier step; its own check is', async () => {
    const a = await answers('done-answers.yaml');
    const [n1, n2] = a.nodes.map((n) => new StateNode(n.name));
    const node = a.nodes[0]!.name;
    // pv, vg and lv as in the plan: pv implied by vg, vg by lv.
    const steps = [probeStep(`${node}/pv`, node, [`${node}/vg`]), probeStep(`${node}/vg`, node, [`${node}/lv`]), probeStep(`${node}/lv`, node)];
    const { engine } = setup(a, [n1!, n2!], { steps });
    const out = await engine.run();
    expect(out.kind).toBe('done');
    expect(out.kind === 'done' && out.ran).toEqual(steps.map((s) => s.id));
    // lv: once at the assessment, once as its own check before it runs (not again before vg: 3 reads
    // before this). pv's own check before it runs is the assessment's, nothing having run in between.
    expect(n1!.ran).toEqual([['state', 'pv'], ['state', 'vg'], ['state', 'lv'], ['make', 'pv'], ['state', 'vg'], ['make', 'vg'], ['state', 'lv'], ['make', 'lv']]);
    expect(reads(n1!, 'lv')).toBe(2);
  });

  it('a later step that ran is read again: its done implies the earlier step', async () => {
    const a = await answers('done-answers.yaml');
    const [n1, n2] = a.nodes.map((n) => new StateNode(n.name));
    const node = a.nodes[0]!.name;
    // x implied by y, but y runs first (another group, earlier): x must then see y done and skip.
    const y = { ...probeStep(`${node}/y`, node), parallelGroup: '00-preflight' as const };
    const x = probeStep(`${node}/x`, node, [`${node}/y`]);
    const { engine } = setup(a, [n1!, n2!], { steps: [y, x] });
    const out = await engine.run();
    expect(out.kind).toBe('done');
    expect(out.kind === 'done' && out.ran).toEqual([`${node}/y`]);
    expect(out.kind === 'done' && out.skipped).toEqual([`${node}/x`]);
    expect(n1!.ran.some((c) => c[0] === 'make' && c[1] === 'x')).toBe(false);
  });

  it('a later step found done at the assessment implies the earlier one there and then', async () => {
    const a = await answers('done-answers.yaml');
    const [n1, n2] = a.nodes.map((n) => new StateNode(n.name));
    const node = a.nodes[0]!.name;
    n1!.state.add('lv');
    const steps = [probeStep(`${node}/vg`, node, [`${node}/lv`]), probeStep(`${node}/lv`, node)];
    const { engine } = setup(a, [n1!, n2!], { steps });
    const out = await engine.run();
    expect(out.kind === 'done' && out.ran).toEqual([]);
    expect(n1!.ran.some((c) => c[0] === 'make')).toBe(false);
  });
});
