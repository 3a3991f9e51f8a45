// After a successful apply at a terminal, the same app becomes the live monitor of the same nodes over
// the same connections (the wizard's promise: it guides, then watches): the RAID resync and the DRBD sync
// that apply left running in the background stay in view, under a line saying what was just set up.
// On the demo nothing was set up (a dry run on recordings): the monitor then shows the demo lab's
// recording of a cluster just set up (the initial DRBD sync), and says so.
import type { Answers } from '../answers/schema.js';
import type { Runner } from '../exec/runner.js';
import type { MonitoredNode } from '../monitor/collect.js';

/** The poll interval of the monitor after apply: the monitor's default. */
const INTERVAL_MS = 2000;

/** The demo scenario shown after the demo's dry run: the initial sync, as right after a first apply. */
export const DEMO_AFTER_APPLY = 'syncing';

/** One line: what apply just set up (the monitor's banner). Pure. */
export function justSetUpLine(a: Answers, demo: boolean): string {
  const exports = a.nfs.exports.map((e) => e.path).join(', ');
  const what = `${exports} on ${a.virtualIp.address.replace(/\/\d+$/, '')}, served by ${a.nodes[0].name} or ${a.nodes[1].name}`;
  return demo
    ? `demo: the dry run changed nothing; this is the demo lab's recording of a cluster just set up (${what})`
    : `just set up: ${what}; the RAID resync and the DRBD sync go on in the background`;
}

export interface AfterApplyOptions {
  /** The answers file apply read: the monitor's actions get it as --answers (null on the demo). */
  answersPath?: string | null;
  /** The runners apply used, one per answers node (in order); null on the demo. */
  runners: Runner[] | null;
  /** The admin accepted running without fencing (typed at apply): the monitor does not flag it again. */
  acceptNoFencing: boolean;
}

export async function monitorAfterApply(a: Answers, o: AfterApplyOptions): Promise<number> {
  const [{ initialState }, { createStore }, { expectedFromAnswers }, { runLive }, { DEMO_DRY_RUN, DEMO_PING }] = await Promise.all([
    import('../monitor/model.js'),
    import('../monitor/store.js'),
    import('../monitor/expected.js'),
    import('../screens/monitor/monitor-live.js'),
    import('./monitor.js'),
  ]);
  let nodes: MonitoredNode[];
  let demoRunners: Runner[] = [];
  if (o.runners) {
    nodes = a.nodes.map((n, i) => ({ name: n.name, runner: o.runners![i]!, pingTargets: a.ping.targets }));
  } else {
    const { tryCreateDemoRunners } = await import('../exec/demo-lab.js');
    const d = tryCreateDemoRunners(DEMO_AFTER_APPLY);
    if (!d.ok) throw new Error(d.error); // the packaged demo lab is broken: a programmer error
    demoRunners = d.runners;
    // The recordings' own node names and the peers' addresses they pinged.
    nodes = d.runners.map((r) => ({ name: r.label, runner: r, pingTargets: DEMO_PING[r.label] ?? [] }));
  }
  const start = initialState(nodes.map((n) => ({ name: n.name, target: n.runner.label })), Date.now(), INTERVAL_MS);
  // The demo's recordings are of the lab's cluster, not of the answers: no expected topology there.
  const store = createStore({ ...start, expected: o.runners ? expectedFromAnswers(a) : null, acceptNoFencing: o.acceptNoFencing });
  try {
    return await runLive(store, nodes, INTERVAL_MS, { banner: justSetUpLine(a, o.runners === null), dryRunReason: o.runners ? null : DEMO_DRY_RUN, answersPath: o.runners ? (o.answersPath ?? null) : null });
  } finally {
    // apply closes its own runners; the demo's are ours.
    await Promise.all(demoRunners.map((r) => r.close()));
  }
}
