// The rehearsal: plays every scenario (scenarios.ts) on the generated CIB with Pacemaker's own scheduler
// (crm_simulate on CIB files, as docs/architecture.md describes) and checks every settled state (invariants.ts).
// Nothing here decides placement: Pacemaker does; we only set the stage and read the result.
// Its parts: transitions.ts (one crm_simulate move on a CIB file, settling, each kind of step),
// simulation-output.ts and cib-state.ts (pure reading and editing), pool.ts (scenarios a few at a time).
import { availableParallelism } from 'node:os';
import { posix } from 'node:path';
import { sbdOf, type Answers } from '../answers/schema.js';
import { buildCibModel, MIGRATION_THRESHOLD, PING_ATTRIBUTE } from '../generate/cib-model.js';
import { renderCibXml } from '../generate/cib-xml.js';
import { checkExpectation, checkState, serviceNode, type StateView, type Violation } from './invariants.js';
import { buildScenarios, healthyAttributes, type Expectation, type Scenario } from './scenarios.js';
import { HostError, localHost, schedulerVersion, type ToolHost } from './host.js';
import { installCommand, readOsRelease } from './tools.js';
import { escapeRe } from './cib-state.js';
import { pool } from './pool.js';
import { Aborted, ToolError, applyStep, readState, setAttrs, settle, simulate, type Ctx } from './transitions.js';

export { parseSimulation } from './simulation-output.js';
export { failCountAttribute, forgetNodeStatus } from './cib-state.js';

export interface RehearseOptions {
  /** Scenarios run at once (default: 3 per core). */
  concurrency?: number;
  /** Where the per-scenario temporary directories go (default: the OS temp dir). Local host only. */
  tmpDir?: string;
  /**
   * Where Pacemaker's tools run (default: this machine). runnerHost(a node's runner) plays the scenarios
   * with the scheduler of the release the nodes run; the result says which one was used.
   */
  host?: ToolHost;
  /** Why the rehearsal runs where it does, when that is not where it was asked to (chooseHost). */
  hostNote?: string;
  /** Keep the CIB files of every step (for debugging); the result then names the directory. */
  keepFiles?: boolean;
  /** Aborting stops the tools running, removes the temporary files and ends with reason "aborted". */
  signal?: AbortSignal;
}

export interface ScenarioResult {
  id: string;
  title: string;
  expect: Expectation;
  /** Where the service ran when the scenario began, and where it ended (null: stopped). */
  start: string | null;
  end: string | null | 'split';
  promoted: string[];
  /** crm_simulate's transition summaries, in order, e.g. "Move p_vip ( nfs1 -> nfs2 )". */
  actions: string[];
  violations: (Violation & { step: number })[];
  /** A service resource was started, restarted or recovered during the scenario. */
  serviceRestarted: boolean;
  /** A tool failed: the scenario could not be played to its end. */
  error?: string;
}

export type RehearsalResult =
  | {
      ok: true;
      active: string;
      passive: string;
      scenarios: ScenarioResult[];
      /** Every invariant held in every scenario. */
      holds: boolean;
      durationMs: number;
      /** The scheduler that played the scenarios: its Pacemaker version and where it ran. */
      scheduler: { version: string; where: string; note?: string };
      keptIn?: string;
    }
  | { ok: false; reason: 'tools-missing' | 'simulation-failed' | 'aborted'; message: string };

/** What every scenario shares: the tools, the ids the checks name, the answers' choices. */
type Shared = Omit<Ctx, 'dir' | 'prefix' | 'seq' | 'actions' | 'order' | 'fence'>;

function sharedContext(a: Answers, host: ToolHost, version: string, signal: AbortSignal | undefined): Shared {
  const model = buildCibModel(a);
  const service = model.group.members.map((p) => p.id);
  return {
    host,
    schedulerVersion: version,
    signal,
    drbd: model.drbd.primitive.id,
    service,
    healthy: healthyAttributes(a),
    fencing: a.pacemaker.stonith !== 'none',
    // Diskless SBD fences by the watchdog alone; without --watchdog the scheduler sees no fence device
    // and disables every start (crm_simulate(8), -w).
    simFlags: sbdOf(a.pacemaker.stonith) && sbdOf(a.pacemaker.stonith)!.device === undefined ? ['-w', '1'] : [],
    check: { drbdPrimitive: model.drbd.primitive.id, service, pingAttribute: PING_ATTRIBUTE, whenAllLost: a.ping.whenAllLost, banned: new Set<string>() },
  };
}

async function runScenario(s: Scenario, base: string, baseView: StateView, start: string | null, parent: string, shared: Shared): Promise<ScenarioResult> {
  const c: Ctx = { ...shared, check: { ...shared.check, banned: new Set() }, dir: parent, prefix: `${s.id}-`, seq: 0, actions: [], order: [], fence: [] };
  const result: ScenarioResult = { id: s.id, title: s.title, expect: s.expect, start, end: null, promoted: [], actions: c.actions, violations: [], serviceRestarted: false };
  try {
    let cur = posix.join(c.dir, `${c.prefix}state-0.xml`);
    await c.host.copyFile(base, cur);
    const banned = new Set<string>();
    // The settled start is the same for every scenario: read once by the caller.
    let view = baseView;
    if (s.steps.length === 0) result.violations.push(...checkState(view, c.check).map((v) => ({ ...v, step: 0 })));
    for (const [i, step] of s.steps.entries()) {
      if (step.do === 'monitor-fails' && (step.failCount ?? 0) >= MIGRATION_THRESHOLD) banned.add(step.node);
      let violations: Violation[];
      if (step.do === 'fence-fails') {
        // Not settled: settling would run the fence. The state stays as the loss left it (the lost node
        // UNCLEAN, nothing moved); the graph's judgement is the check.
        cur = await applyStep(c, cur, step);
        view = await readState(c, cur);
        violations = c.fence.splice(0);
      } else {
        ({ file: cur, view } = await settle(c, await applyStep(c, cur, step)));
        violations = [...checkState(view, { ...c.check, banned }), ...c.order.splice(0).map((message) => ({ invariant: 'stack-order' as const, message })), ...c.fence.splice(0)];
      }
      result.violations.push(...violations.map((v) => ({ ...v, step: i + 1 })));
    }
    if (s.steps.length === 0) result.violations.push(...c.order.splice(0).map((message) => ({ invariant: 'stack-order' as const, message, step: 0 })));
    result.end = serviceNode(view);
    const serviceAction = new RegExp(`^(Start|Restart|Recover|Move)\\s+(${c.service.map(escapeRe).join('|')})\\s`);
    result.serviceRestarted = c.actions.some((a) => serviceAction.test(a));
    result.promoted = view.promoted;
    result.violations.push(...checkExpectation(s.expect, s.because, start, result.end).map((v) => ({ ...v, step: s.steps.length })));
  } catch (e) {
    if (!(e instanceof ToolError) && !(e instanceof HostError)) throw e;
    result.error = e.message;
  }
  return result;
}

/**
 * Both nodes up with quorum. Before any agent has reported, DRBD must start everywhere (it has to run to
 * report its data state) and nothing may be promoted: the "cold start" state, checked too.
 */
async function coldStart(c: Ctx, cib: string, n1: string, n2: string): Promise<{ file: string; result: ScenarioResult }> {
  const cold = await settle(c, (await simulate(c, cib, ['-u', n1, '-u', n2, '-q', '1'])).file);
  const result: ScenarioResult = {
    id: 'cold-start',
    title: 'both nodes start, DRBD has not reported yet',
    expect: 'stopped',
    start: null,
    end: serviceNode(cold.view),
    promoted: cold.view.promoted,
    actions: [...c.actions],
    violations: [
      ...checkState(cold.view, c.check),
      ...c.order.splice(0).map((message) => ({ invariant: 'stack-order' as const, message })),
      ...checkExpectation('stopped', 'no node has reported UpToDate data yet', null, serviceNode(cold.view)),
    ].map((v) => ({ ...v, step: 1 })),
    serviceRestarted: false,
  };
  return { file: cold.file, result };
}

/** Why the scheduler could not be asked its version: aborted, or Pacemaker's tools missing where they run. */
async function noScheduler(host: ToolHost, message: string): Promise<RehearsalResult> {
  if (message === 'aborted') return { ok: false, reason: 'aborted', message: 'the rehearsal was aborted' };
  return {
    ok: false,
    reason: 'tools-missing',
    message: host.remote
      ? `crm_simulate (Pacemaker's command-line tools) did not run on ${host.where}: ${message}`
      : `crm_simulate (Pacemaker's command-line tools) is not installed on this machine: ${installCommand(await readOsRelease())}`,
  };
}

/** Every scenario played from the settled start in `root`; the result without its duration. */
async function playAll(cibXml: string, a: Answers, shared: Shared, root: string, opts: RehearseOptions): Promise<Omit<Extract<RehearsalResult, { ok: true }>, 'durationMs' | 'scheduler' | 'keptIn'>> {
  const host = shared.host;
  const [n1, n2] = [a.nodes[0].name, a.nodes[1].name];
  const c: Ctx = { ...shared, dir: root, prefix: '', seq: 0, actions: [], order: [], fence: [] };
  const cib = posix.join(root, 'cib.xml');
  await host.writeFile(cib, cibXml);
  const cold = await coldStart(c, cib, n1, n2);
  // Then the attributes their agents would publish, and let it settle: where every scenario starts.
  for (const n of [n1, n2]) await setAttrs(c, cold.file, n, shared.healthy);
  const base = (await settle(c, cold.file)).file;
  // The settled start read with crm_mon, as an admin would; every scenario starts here.
  const view = await readState(c, base);
  const where = serviceNode(view);
  const active = typeof where === 'string' && where !== 'split' ? where : (view.promoted[0] ?? n1);
  const passive = active === n1 ? n2 : n1;
  const scenarios = buildScenarios(a, active, passive);
  // Each scenario is a chain of short processes that mostly wait on process start-up and file I/O:
  // more chains than cores keeps both cores busy (measured: bench/rehearse.mjs). On a node, each chain
  // holds one SSH channel at a time: 4 stays well under sshd's default MaxSessions (10) and leaves the
  // node's own cores to the cluster.
  const limit = opts.concurrency ?? (host.remote ? 4 : availableParallelism() * 3);
  const startNode = where === 'split' ? null : where;
  const results = [cold.result, ...(await pool(scenarios, limit, (s) => runScenario(s, base, view, startNode, root, shared)))];
  // The settling into the start state belongs to the first scenario (both nodes up).
  const bothUp = results.find((r) => r.id === 'both-up');
  if (c.order.length && bothUp) bothUp.violations.push(...c.order.map((message) => ({ invariant: 'stack-order' as const, message, step: 0 })));
  const holds = results.every((r) => r.violations.length === 0 && r.error === undefined);
  return { ok: true, active, passive, scenarios: results, holds };
}

/**
 * Rehearses a CIB (normally renderCibXml(a); tests pass mutated ones) against the answers' promises.
 * The answers give the node names, the ids and what the admin chose (ping policy, stickiness).
 */
export async function rehearseCib(cibXml: string, a: Answers, opts: RehearseOptions = {}): Promise<RehearsalResult> {
  const started = Date.now();
  const host = opts.host ?? localHost(opts.tmpDir);
  const scheduler = await schedulerVersion(host);
  if (!scheduler.ok) return noScheduler(host, scheduler.message);
  const shared = sharedContext(a, host, scheduler.version, opts.signal);
  let root: string;
  try {
    root = await host.mkdtemp('hanfs-rehearse-');
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    return { ok: false, reason: 'simulation-failed', message: e.message };
  }
  try {
    const played = await playAll(cibXml, a, shared, root, opts);
    return { ...played, durationMs: Date.now() - started, scheduler: { version: scheduler.version, where: host.where, ...(opts.hostNote ? { note: opts.hostNote } : {}) }, ...(opts.keepFiles ? { keptIn: root } : {}) };
  } catch (e) {
    if (e instanceof Aborted) return { ok: false, reason: 'aborted', message: 'the rehearsal was aborted' };
    if (!(e instanceof ToolError) && !(e instanceof HostError)) throw e;
    return { ok: false, reason: 'simulation-failed', message: e.message };
  } finally {
    if (!opts.keepFiles) await host.rmTemp(root).catch(() => undefined);
  }
}

/** Rehearses the configuration these answers generate. */
export async function rehearse(a: Answers, opts: RehearseOptions = {}): Promise<RehearsalResult> {
  return rehearseCib(renderCibXml(a), a, opts);
}
