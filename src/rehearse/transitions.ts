// The rehearsal's moves on CIB files (engine.ts plays them per scenario): one crm_simulate transition,
// settling until the scheduler has nothing left to do, a computed-but-not-run transition, node attributes,
// and each kind of scenario step. Pacemaker's tools do the work; this only chains them and reads them.
import { posix } from 'node:path';
import { parseCrmMon, type CrmStatus } from '../probes/crm-mon.js';
import { orderViolations, parseGraph, type GraphAction } from './graph.js';
import { deviceDelayS, fencingViolations, priorityDelayS, splitViolations } from './fencing.js';
import { viewOf, type CheckContext, type StateView, type Violation } from './invariants.js';
import type { Step } from './scenarios.js';
import type { ToolHost } from './host.js';
import { failCountAttribute, forgetNodeStatus } from './cib-state.js';
import { parseSimulation } from './simulation-output.js';

export class ToolError extends Error {}
export class Aborted extends Error {}

export async function tool(host: ToolHost, argv: string[], cibFile: string | undefined, signal: AbortSignal | undefined): Promise<string> {
  if (signal?.aborted) throw new Aborted('aborted');
  const r = await host.tool(argv, cibFile, signal);
  if (signal?.aborted) throw new Aborted('aborted');
  if (!r.ok) throw new ToolError(r.message);
  return r.stdout;
}

export interface Ctx {
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
 * One transition: the modifications (nodes up or failed, injected failures), then one crm_simulate run
 * that schedules and executes; records its actions and order violations. With `lost` (the nodes this run
 * fails) and fencing configured, the graph is judged by the fencing invariants.
 *
 * The modifications get a run of their own (`-O` saves the modified CIB without scheduling): Pacemaker
 * 3.0.0's crm_simulate --output-as=xml prints nothing after <modifications> in a run that has any (no
 * <actions>, no <transition>; its text output and the -G graph still have them), while 2.1.5 prints them.
 * Split, both releases print the actions of every transition, from the same argv.
 */
export async function simulate(c: Ctx, input: string, extra: string[], lost: string[] = []): Promise<{ file: string; acted: boolean; before: CrmStatus; graph: GraphAction[] | null }> {
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
export async function settle(c: Ctx, file: string): Promise<{ file: string; view: StateView }> {
  let cur = file;
  for (let i = 0; i < 6; i++) {
    const r = await simulate(c, cur, []);
    if (!r.acted) return { file: cur, view: viewOf(r.before, c.check) };
    cur = r.file;
  }
  throw new ToolError('the cluster did not settle after 6 transitions (the scheduler keeps changing its mind)');
}

export async function setAttrs(c: Ctx, file: string, node: string, attrs: [string, string][], lifetime = 'reboot'): Promise<void> {
  for (const [name, value] of attrs) await tool(c.host, ['crm_attribute', '-N', node, '-n', name, '-v', value, '-l', lifetime], file, c.signal);
}

export async function applyStep(c: Ctx, file: string, step: Step): Promise<string> {
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

export async function readState(c: Ctx, file: string): Promise<StateView> {
  const mon = parseCrmMon(await tool(c.host, ['crm_mon', '-1', '--output-as=xml'], file, c.signal));
  if (!mon.ok) throw new ToolError(`crm_mon could not read ${file}: ${mon.message}`);
  return viewOf(mon, c.check);
}
