// The rehearsal: plays every scenario (scenarios.ts) on the generated CIB with Pacemaker's own scheduler
// (crm_simulate on CIB files, as docs/architecture.md describes) and checks every settled state (invariants.ts).
// Nothing here decides placement: Pacemaker does; we only set the stage and read the result.
import { availableParallelism } from 'node:os';
import { posix } from 'node:path';
import { sbdOf, type Answers } from '../answers/schema.js';
import { buildCibModel, MIGRATION_THRESHOLD, PING_ATTRIBUTE } from '../generate/cib-model.js';
import { renderCibXml } from '../generate/cib-xml.js';
import { parseCrmMon, type CrmStatus } from '../probes/crm-mon.js';
import { childEl, parseXml } from '../probes/xml.js';
import { orderViolations, parseGraph, type GraphAction } from './graph.js';
import { deviceDelayS, fencingViolations, priorityDelayS, splitViolations } from './fencing.js';
import { checkExpectation, checkState, serviceNode, viewOf, type CheckContext, type StateView, type Violation } from './invariants.js';
import { buildScenarios, healthyAttributes, type Expectation, type Scenario, type Step } from './scenarios.js';
import { HostError, localHost, schedulerVersion, type ToolHost } from './host.js';
import { installCommand, readOsRelease } from './tools.js';

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

class ToolError extends Error {}
class Aborted extends Error {}

async function tool(host: ToolHost, argv: string[], cibFile: string | undefined, signal: AbortSignal | undefined): Promise<string> {
  if (signal?.aborted) throw new Aborted('aborted');
  const r = await host.tool(argv, cibFile, signal);
  if (signal?.aborted) throw new Aborted('aborted');
  if (!r.ok) throw new ToolError(r.message);
  return r.stdout;
}

/**
 * What one `crm_simulate --output-as=xml -A` run says: the actions it decided (as crm_simulate's text
 * summary words them: "Move p_vip (nfs1 -> nfs2)") and the cluster status it started from, which is
 * crm_mon's own cluster-status output (same formatter, same parser). Pure.
 */
export function parseSimulation(xml: string): { actions: string[]; status: CrmStatus } | null {
  const root = parseXml(xml);
  if (!root || root.name !== 'pacemaker-result') return null;
  const actions: string[] = [];
  for (const a of childEl(root, 'actions')?.children ?? []) {
    const t = a.attrs;
    if (a.name === 'rsc_action') {
      const verb = (t['action'] ?? '').replace(/^./, (c) => c.toUpperCase());
      const roles = t['next-role'] ? `${t['role']} -> ${t['next-role']} ` : '';
      const where = t['dest'] ? `${t['source']} -> ${t['dest']}` : (t['node'] ?? t['source'] ?? '');
      actions.push(`${verb} ${t['resource']} (${roles}${where})`);
    } else if (a.name === 'node_action') {
      // task reads e.g. "Fence (reboot)"
      actions.push(`${t['task'] ?? 'Fence'} ${t['node']}`);
    }
  }
  const inner = /<cluster_status>([\s\S]*?)<\/cluster_status>/.exec(xml)?.[1];
  const mon = inner === undefined ? null : parseCrmMon(`<pacemaker-result>${inner}</pacemaker-result>`);
  return mon?.ok ? { actions, status: mon } : null;
}

interface Ctx {
  host: ToolHost;
  /** The scheduler's Pacemaker version ("2.1.5"): what it reads differs between releases. */
  schedulerVersion: string;
  /** Every file of a scenario starts with its id, so scenarios share one directory (one mktemp on a node). */
  prefix: string;
  signal: AbortSignal | undefined;
  dir: string;
  check: CheckContext;
  drbd: string;
  service: string[];
  healthy: [string, string][];
  seq: number;
  actions: string[];
  order: string[];
  /** The answers configure fencing: node losses are judged by the fencing invariants. */
  fencing: boolean;
  /** Fencing violations of the current step (fencing.ts). */
  fence: Violation[];
  /** Extra crm_simulate flags: `-w 1` with diskless SBD (the nodes' watchdog is the fence device). */
  simFlags: string[];
}

const nextFile = (c: Ctx) => posix.join(c.dir, `${c.prefix}state-${++c.seq}.xml`);

/**
/**
 * One transition: the modifications (nodes up or failed, injected failures), then one crm_simulate run
 * that schedules and executes; records its actions and order violations. With `lost` (the nodes this run
 * fails) and fencing configured, the graph is judged by the fencing invariants.
 *
 * The modifications get a run of their own (`-O` saves the modified CIB without scheduling): Pacemaker
 * 3.0.0's crm_simulate --output-as=xml prints nothing after <modifications> in a run that has any (no
 * <actions>, no <transition>; its text output and the -G graph still have them), while 2.1.5 prints them.
 * Split, both releases print the actions of every transition, from the same argv.
 */
async function simulate(c: Ctx, input: string, extra: string[], lost: string[] = []): Promise<{ file: string; acted: boolean; before: CrmStatus; graph: GraphAction[] | null }> {
  if (extra.length > 0) {
    const modified = nextFile(c);
    await tool(c.host, ['crm_simulate', '-x', input, ...c.simFlags, ...extra, '-O', modified, '--output-as=xml'], undefined, c.signal);
    input = modified;
  }
  const out = nextFile(c);
  const graph = posix.join(c.dir, `${c.prefix}graph-${c.seq}.xml`);
  const stdout = await tool(c.host, ['crm_simulate', '-x', input, '-S', '-A', ...c.simFlags, '-G', graph, '-O', out, '--output-as=xml'], undefined, c.signal);
  const sim = parseSimulation(stdout);
  if (!sim) throw new ToolError(`crm_simulate -x ${input}: unexpected output`);
  let g: GraphAction[] | null = null;
  if (sim.actions.length > 0 || lost.length > 0) {
    c.actions.push(...sim.actions);
    g = parseGraph(await c.host.readFile(graph));
    if (g && sim.actions.length > 0) c.order.push(...orderViolations(g, c.drbd, c.service));
    if (g && c.fencing && lost.length > 0) c.fence.push(...fencingViolations(g, lost, c.drbd, c.service));
  }
  return { file: out, acted: sim.actions.length > 0, before: sim.status, graph: g };
}

/**
 * The transition that follows the loss of `node`, computed but not run (no -S): the state with the node
 * UNCLEAN and its fence pending, and the graph of what would run. Used where the fence never succeeds.
 */
async function plan(c: Ctx, input: string, node: string): Promise<{ file: string; graph: GraphAction[] }> {
  const out = nextFile(c);
  const graph = posix.join(c.dir, `${c.prefix}graph-${c.seq}.xml`);
  await tool(c.host, ['crm_simulate', '-x', input, ...c.simFlags, '-f', node, '-G', graph, '-O', out], undefined, c.signal);
  const g = parseGraph(await c.host.readFile(graph));
  if (!g) throw new ToolError(`crm_simulate -x ${input} -f ${node}: no transition graph`);
  return { file: out, graph: g };
}

/**
 * Runs transitions until Pacemaker has nothing left to do. The last run, which decided nothing, shows
 * the settled state: no separate crm_mon call per step (a third fewer processes: the matrix's budget).
 */
async function settle(c: Ctx, file: string): Promise<{ file: string; view: StateView }> {
  let cur = file;
  for (let i = 0; i < 6; i++) {
    const r = await simulate(c, cur, []);
    if (!r.acted) return { file: cur, view: viewOf(r.before, c.check) };
    cur = r.file;
  }
  throw new ToolError('the cluster did not settle after 6 transitions (the scheduler keeps changing its mind)');
}

async function setAttrs(c: Ctx, file: string, node: string, attrs: [string, string][], lifetime = 'reboot'): Promise<void> {
  for (const [name, value] of attrs) await tool(c.host, ['crm_attribute', '-N', node, '-n', name, '-v', value, '-l', lifetime], file, c.signal);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A node that boots again has no resource history and no transient attributes (the controller wipes
 * both on join; agents publish again once started). crm_simulate keeps them, so they are removed here.
 */
export function forgetNodeStatus(cibXml: string, node: string): string {
  const open = new RegExp(`<node_state\\b[^>]*\\buname="${escapeRe(node)}"[^>]*>`).exec(cibXml);
  // A self-closing node_state (a fenced node, for one) holds nothing to forget.
  if (!open || open[0].endsWith('/>')) return cibXml;
  const bodyStart = open.index + open[0].length;
  const bodyEnd = cibXml.indexOf('</node_state>', bodyStart);
  if (bodyEnd < 0) return cibXml;
  const body = cibXml
    .slice(bodyStart, bodyEnd)
    .replace(/<lrm\b[\s\S]*?<\/lrm>/, '')
    .replace(/<transient_attributes\b[\s\S]*?<\/transient_attributes>/, '');
  return cibXml.slice(0, bodyStart) + body + cibXml.slice(bodyEnd);
}

/**
 * The node attribute that models "this resource already failed N times here" in a CIB file, for the
 * scheduler that plays it (its version as its crm_simulate reported it, a probed fact, never a guess).
 * Measured on the same generated CIB, a monitor failure injected (-i) on the active node on top of a
 * fail count at migration-threshold: Pacemaker 2.1.5 (Debian 12) moves the service with the
 * resource-wide `fail-count-<rsc>` and keeps it in place with the per-operation form; 3.0.0 (Debian 13)
 * moves it with the per-operation `fail-count-<rsc>#monitor_<interval ms>` (the controller's own form
 * since 1.1.17) and keeps it in place with the resource-wide one. test/trixie/rehearse.test.ts plays it.
 */
export function failCountAttribute(schedulerVersion: string, rsc: string, intervalMs: number): string {
  const major = Number(/^(\d+)\./.exec(schedulerVersion)?.[1] ?? '0');
  return major >= 3 ? `fail-count-${rsc}#monitor_${intervalMs}` : `fail-count-${rsc}`;
}

async function applyStep(c: Ctx, file: string, step: Step): Promise<string> {
  switch (step.do) {
    case 'fail':
      // Both nodes of the two lost at once: nobody is left to fence, nothing to take over.
      return (await simulate(c, file, step.nodes.flatMap((n) => ['-f', n]), step.nodes.length < 2 ? step.nodes : [])).file;
    case 'fence-fails': {
      // What the controller runs when the fence fails: only what does not wait for it (fencing.ts).
      const p = await plan(c, file, step.node);
      if (c.fencing) c.fence.push(...fencingViolations(p.graph, [step.node], c.drbd, c.service));
      return p.file;
    }
    case 'split': {
      // Both sides fence. The passive side's view (the active node lost) is only computed, for the
      // delay its fence of the active node gets; the active side's view is played: it wins the race.
      const cib = await c.host.readFile(file);
      const fromPassive = await plan(c, file, step.active);
      const played = await simulate(c, file, ['-f', step.passive], [step.passive]);
      const delay = (g: GraphAction[] | null, node: string) => {
        const d = g ? priorityDelayS(g, node) : null;
        return d === null ? null : d + deviceDelayS(cib, node);
      };
      if (c.fencing) c.fence.push(...splitViolations(step.active, delay(fromPassive.graph, step.active), step.passive, delay(played.graph, step.passive)));
      return played.file;
    }
    case 'rejoin': {
      let xml = await c.host.readFile(file);
      for (const n of step.nodes) xml = forgetNodeStatus(xml, n);
      const clean = nextFile(c);
      await c.host.writeFile(clean, xml);
      const up = (await settle(c, (await simulate(c, clean, step.nodes.flatMap((n) => ['-u', n]))).file)).file;
      for (const n of step.nodes) await setAttrs(c, up, n, c.healthy);
      return up;
    }
    case 'attr': {
      const f = nextFile(c);
      await c.host.copyFile(file, f);
      for (const n of step.nodes) await setAttrs(c, f, n, [[step.name, step.value]]);
      return f;
    }
    case 'standby': {
      const f = nextFile(c);
      await c.host.copyFile(file, f);
      await setAttrs(c, f, step.node, [['standby', step.on ? 'on' : 'off']], 'forever');
      return f;
    }
    case 'move':
    case 'clear': {
      const f = nextFile(c);
      await c.host.copyFile(file, f);
      const argv = step.do === 'move' ? ['crm_resource', '--move', '--resource', step.rsc, '--node', step.node, '--lifetime', 'PT30M'] : ['crm_resource', '--clear', '--resource', step.rsc];
      await tool(c.host, argv, f, c.signal);
      return f;
    }
    case 'monitor-fails': {
      let f = file;
      if (step.failCount !== undefined) {
        f = nextFile(c);
        await c.host.copyFile(file, f);
        await setAttrs(c, f, step.node, [[failCountAttribute(c.schedulerVersion, step.rsc, step.intervalMs), String(step.failCount)]]);
      }
      return (await simulate(c, f, ['-i', `${step.rsc}_monitor_${step.intervalMs}@${step.node}=7`])).file;
    }
  }
}

async function readState(c: Ctx, file: string): Promise<StateView> {
  const mon = parseCrmMon(await tool(c.host, ['crm_mon', '-1', '--output-as=xml'], file, c.signal));
  if (!mon.ok) throw new ToolError(`crm_mon could not read ${file}: ${mon.message}`);
  return viewOf(mon, c.check);
}

async function runScenario(s: Scenario, base: string, baseView: StateView, start: string | null, parent: string, shared: Omit<Ctx, 'dir' | 'prefix' | 'seq' | 'actions' | 'order' | 'fence'>): Promise<ScenarioResult> {
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

async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (next < items.length && !stop) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (e) {
        stop = true; // no new scenario starts after a failure
        throw e;
      }
    }
  };
  // allSettled: on an abort or a failure, wait for every worker to stop before the caller removes
  // the directories they write in; then report the first failure.
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return out;
}

/**
 * Rehearses a CIB (normally renderCibXml(a); tests pass mutated ones) against the answers' promises.
 * The answers give the node names, the ids and what the admin chose (ping policy, stickiness).
 */
export async function rehearseCib(cibXml: string, a: Answers, opts: RehearseOptions = {}): Promise<RehearsalResult> {
  const started = Date.now();
  const host = opts.host ?? localHost(opts.tmpDir);
  const scheduler = await schedulerVersion(host);
  if (!scheduler.ok) {
    if (scheduler.message === 'aborted') return { ok: false, reason: 'aborted', message: 'the rehearsal was aborted' };
    return {
      ok: false,
      reason: 'tools-missing',
      message: host.remote
        ? `crm_simulate (Pacemaker's command-line tools) did not run on ${host.where}: ${scheduler.message}`
        : `crm_simulate (Pacemaker's command-line tools) is not installed on this machine: ${installCommand(await readOsRelease())}`,
    };
  }
  const model = buildCibModel(a);
  const service = model.group.members.map((p) => p.id);
  const shared = {
    host,
    schedulerVersion: scheduler.version,
    signal: opts.signal,
    drbd: model.drbd.primitive.id,
    service,
    healthy: healthyAttributes(a),
    fencing: a.pacemaker.stonith !== 'none',
    // Diskless SBD fences by the watchdog alone; without --watchdog the scheduler sees no fence device
    // and disables every start (crm_simulate(8), -w).
    simFlags: sbdOf(a.pacemaker.stonith) && sbdOf(a.pacemaker.stonith)!.device === undefined ? ['-w', '1'] : [],
    check: { drbdPrimitive: model.drbd.primitive.id, service, pingAttribute: PING_ATTRIBUTE, whenAllLost: a.ping.whenAllLost, banned: new Set<string>() },
  };
  let root: string;
  try {
    root = await host.mkdtemp('hanfs-rehearse-');
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    return { ok: false, reason: 'simulation-failed', message: e.message };
  }
  try {
    const [n1, n2] = [a.nodes[0].name, a.nodes[1].name];
    const c: Ctx = { ...shared, dir: root, prefix: '', seq: 0, actions: [], order: [], fence: [] };
    const cib = posix.join(root, 'cib.xml');
    await host.writeFile(cib, cibXml);
    // Both nodes up with quorum. Before any agent has reported, DRBD must start everywhere (it has to
    // run to report its data state) and nothing may be promoted: the "cold start" state, checked too.
    const cold = await settle(c, (await simulate(c, cib, ['-u', n1, '-u', n2, '-q', '1'])).file);
    const coldResult: ScenarioResult = {
      id: 'cold-start',
      title: 'both nodes start, DRBD has not reported yet',
      expect: 'stopped',
      start: null,
      end: serviceNode(cold.view),
      promoted: cold.view.promoted,
      actions: [...c.actions],
      violations: [
        ...checkState(cold.view, shared.check),
        ...c.order.splice(0).map((message) => ({ invariant: 'stack-order' as const, message })),
        ...checkExpectation('stopped', 'no node has reported UpToDate data yet', null, serviceNode(cold.view)),
      ].map((v) => ({ ...v, step: 1 })),
      serviceRestarted: false,
    };
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
    const results = [coldResult, ...(await pool(scenarios, limit, (s) => runScenario(s, base, view, startNode, root, shared)))];
    // The settling into the start state belongs to the first scenario (both nodes up).
    const bothUp = results.find((r) => r.id === 'both-up');
    if (c.order.length && bothUp) bothUp.violations.push(...c.order.map((message) => ({ invariant: 'stack-order' as const, message, step: 0 })));
    const holds = results.every((r) => r.violations.length === 0 && r.error === undefined);
    return { ok: true, active, passive, scenarios: results, holds, durationMs: Date.now() - started, scheduler: { version: scheduler.version, where: host.where, ...(opts.hostNote ? { note: opts.hostNote } : {}) }, ...(opts.keepFiles ? { keptIn: root } : {}) };
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
