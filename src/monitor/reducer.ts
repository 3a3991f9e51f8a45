// The one pure reducer of the monitor: reduce(state, event) -> new state. Collectors turn what they read
// (events2 lines, /proc/drbd polls, crm_mon XML, ping output...) into these events, carrying the raw text;
// parsing happens here, through the pure parsers, so a replayed capture and a live node give the same
// state. Nothing is mutated: every level that changes is copied.
import { parseEvents2Line } from '../probes/drbd-events2.js';
import { parseProcDrbd } from '../probes/proc-drbd.js';
import { parseCrmMon } from '../probes/crm-mon.js';
import { parseCrmMonExtras } from '../probes/crm-mon-extras.js';
import { parseCibFacts } from '../probes/cib-facts.js';
import { parsePing } from '../probes/ping.js';
import { parseExportfsV, parseSystemctlIsActive } from '../probes/nfs.js';
import { parseMdstat } from '../probes/mdstat.js';
import { parseLvmForMonitor } from './lvm-adapter.js';
import { clock as hhmmss } from './units.js';
import { nodeConfigOf, type ConfigFile, type ConfigRead } from './node-config.js';
import { keepUnchanged } from './keep-unchanged.js';
import { emptyNode, pushLog, type Component, type DrbdView, type MonitorState, type NodeState } from './model.js';
import { applyEvents2, applyProcDevice } from './reduce-drbd.js';

export type MonitorEvent =
  | { type: 'events2-line'; node: string; at: number; line: string; stream?: boolean }
  | { type: 'events2-ended'; node: string; at: number; error: string }
  | { type: 'proc-drbd'; node: string; at: number; text: string }
  | { type: 'crm-mon'; node: string; at: number; xml: string; error?: string }
  | { type: 'ping'; node: string; at: number; target: string; output: string }
  | { type: 'mdstat'; node: string; at: number; text: string }
  | { type: 'lvm'; node: string; at: number; text: string }
  | { type: 'nfs'; node: string; at: number; systemctl: string; exportfs: string }
  | { type: 'reachability'; node: string; at: number; reachable: boolean; error?: string; retryAt?: number }
  | { type: 'probe-error'; node: string; at: number; probe: string; error: string; component?: Component }
  | { type: 'cib'; node: string; at: number; xml: string }
  | { type: 'clock'; node: string; at: number; offsetMs: number | null; error?: string }
  | { type: 'pingd'; node: string; at: number }
  | { type: 'fresh'; node: string; at: number; components: Component[] }
  | { type: 'node-config'; node: string; at: number; files: Record<ConfigFile, ConfigRead> }
  | { type: 'tick'; at: number };


function withNode(state: MonitorState, name: string, f: (n: NodeState) => NodeState): MonitorState {
  const known = state.nodes[name];
  const prev = known ?? emptyNode(name, name);
  // What a poll read again unchanged keeps its object (keep-unchanged.ts): the live view then stays asleep.
  const next = keepUnchanged(prev, f(prev));
  if (known !== undefined && next === known) return state;
  const order = state.nodeOrder.includes(name) ? state.nodeOrder : [...state.nodeOrder, name];
  return { ...state, nodeOrder: order, nodes: { ...state.nodes, [name]: next } };
}

function nodeError(n: NodeState, at: number, text: string): NodeState {
  const last = n.errors[n.errors.length - 1];
  // The same failure every poll would push everything else out of the five kept.
  if (last !== undefined && last.text.endsWith(text)) return n;
  return { ...n, errors: pushLog(n.errors, { at, text: `${hhmmss(at)} ${text}` }) };
}

/** A good reading of one component. */
function readOk(n: NodeState, c: Component, at: number): NodeState {
  return { ...n, readings: { ...n.readings, [c]: { okAt: at, failedAt: null, error: null } } };
}

/**
 * A failed reading. Several sources feed one component (events2 and /proc/drbd for DRBD): within one
 * round (same `at`) a good reading from one source is not undone by another's failure; the failure is
 * still logged.
 */
function readFailed(n: NodeState, c: Component, at: number, error: string): NodeState {
  const r = n.readings[c];
  if (r.okAt === at || (c === 'drbd' && n.events2Open)) return n;
  return { ...n, readings: { ...n.readings, [c]: { okAt: r.okAt, failedAt: at, error } } };
}

/** Which component a probe-error is about. */
const PROBE_COMPONENT: Record<string, Component> = {
  '/proc/drbd': 'drbd', events2: 'drbd', '/proc/mdstat': 'raid', lvm: 'lvm', nfs: 'nfs', crm_mon: 'pacemaker', cib: 'cib', ping: 'connectivity',
};

/** md resync progress: remembers when each array's percent last moved (for "resync stalled"). */
function trackRaidProgress(prev: NodeState['raidProgress'], arrays: ReturnType<typeof parseMdstat>, at: number): NodeState['raidProgress'] {
  const out: NodeState['raidProgress'] = {};
  for (const a of arrays) {
    if (a.sync === null) continue;
    const p = prev[a.name];
    out[a.name] = p !== undefined && p.percent === a.sync.percent ? p : { percent: a.sync.percent, since: at };
  }
  return out;
}

/**
 * One name per DRBD resource on every node: /proc/drbd (8.4) prints only minors, so a node read that way
 * knows "/dev/drbd0" while its peer's events2 says "r0". The name comes from a node whose events2 named
 * that minor, else from what should exist (the answers' or the CIB's device). Pure.
 */
export function nameProcResources(state: MonitorState): MonitorState {
  const placeholders = Object.values(state.nodes).some((n) => Object.keys(n.drbd.resources).some((k) => k.startsWith('/dev/drbd')));
  if (!placeholders) return state;
  const byMinor = new Map<number, string>();
  for (const [minor, name] of Object.entries(state.expected?.drbdMinors ?? {})) byMinor.set(Number(minor), name);
  for (const n of Object.values(state.nodes)) {
    // The CIB's Filesystem device names the minor of its (single) DRBD resource.
    const fs = n.cib?.primitives.find((p) => p.agent.endsWith(':Filesystem'))?.params['device'];
    const drbdRes = n.cib?.primitives.filter((p) => p.agent.endsWith(':drbd')).map((p) => p.params['drbd_resource']) ?? [];
    const m = /^\/dev\/drbd(\d+)$/.exec(fs ?? '');
    if (m && drbdRes.length === 1 && drbdRes[0] && !byMinor.has(Number(m[1]))) byMinor.set(Number(m[1]), drbdRes[0]);
  }
  for (const n of Object.values(state.nodes)) {
    for (const r of Object.values(n.drbd.resources)) {
      if (r.fromProcOnly) continue;
      for (const d of Object.values(r.devices)) if (d.minor !== null) byMinor.set(d.minor, r.name);
    }
  }
  let nodes = state.nodes;
  for (const [nodeName, n] of Object.entries(state.nodes)) {
    let resources = n.drbd.resources;
    for (const [key, r] of Object.entries(n.drbd.resources)) {
      const minor = /^\/dev\/drbd(\d+)$/.exec(key)?.[1];
      const name = minor === undefined ? undefined : byMinor.get(Number(minor));
      if (name === undefined || name in resources) continue;
      const { [key]: _old, ...rest } = resources;
      resources = { ...rest, [name]: { ...r, name } };
    }
    if (resources !== n.drbd.resources) nodes = { ...nodes, [nodeName]: { ...n, drbd: { ...n.drbd, resources } } };
  }
  return nodes === state.nodes ? state : { ...state, nodes };
}

export function reduce(state: MonitorState, event: MonitorEvent): MonitorState {
  const next = reduceEvent(state, event);
  return next === state ? state : nameProcResources(next);
}

function reduceEvent(state: MonitorState, event: MonitorEvent): MonitorState {
  if (event.type === 'tick') return event.at === state.now ? state : { ...state, now: event.at };
  const s = event.at > state.now ? { ...state, now: event.at } : state;
  return withNode(s, event.node, (n) => reduceNode(n, event, event.at));
}

type NodeEvent = Exclude<MonitorEvent, { type: 'tick' }>;
type Ev<T extends NodeEvent['type']> = Extract<NodeEvent, { type: T }>;

/** What one event does to its node; the readers with more to say have a function of their own below. */
function reduceNode(n: NodeState, event: NodeEvent, at: number): NodeState {
  switch (event.type) {
    case 'events2-line': {
      const p = parseEvents2Line(event.line);
      if (!p.ok) return readFailed(nodeError(n, at, `events2: ${p.error}`), 'drbd', at, `events2: ${p.error}`);
      return readOk({ ...n, events2Open: n.events2Open || event.stream === true, drbd: applyEvents2(n.drbd, p.event, at) }, 'drbd', at);
    }
    case 'events2-ended':
      // Logged, not shown as the DRBD state: /proc/drbd polls keep the view (8.4) while the stream is retried.
      return nodeError({ ...n, events2Open: false }, at, event.error);
    case 'proc-drbd':
      return procDrbd(n, event, at);
    case 'crm-mon':
      return crmMon(n, event, at);
    case 'cib': {
      const p = parseCibFacts(event.xml);
      if (!p.ok) return readFailed(nodeError(n, at, `cibadmin -Q: ${p.error}`), 'cib', at, `cibadmin -Q: ${p.error}`);
      return readOk({ ...n, cib: p.facts }, 'cib', at);
    }
    case 'clock':
      return { ...n, clockOffsetMs: event.offsetMs };
    case 'fresh': {
      const readings = { ...n.readings };
      for (const c of event.components) if (readings[c].failedAt === null) readings[c] = { ...readings[c], okAt: at };
      return { ...n, readings };
    }
    case 'node-config':
      return { ...n, config: nodeConfigOf(n.name, at, event.files) };
    case 'pingd':
      // Pacemaker's ping resource pings the targets on this node already: its attribute is the reading.
      return readOk({ ...n, ping: {} }, 'connectivity', at);
    case 'ping':
      return ping(n, event, at);
    case 'mdstat':
      return mdstat(n, event, at);
    case 'lvm': {
      const p = parseLvmForMonitor(event.text);
      if (!p.ok) return readFailed(nodeError({ ...n, lvm: { ...n.lvm, error: p.error, updatedAt: at } }, at, `lvm: ${p.error}`), 'lvm', at, `lvm: ${p.error}`);
      return readOk({ ...n, lvm: { vgs: p.vgs, lvs: p.lvs, error: null, updatedAt: at } }, 'lvm', at);
    }
    case 'nfs':
      return nfs(n, event, at);
    case 'reachability': {
      const status = event.reachable ? 'up' : 'down';
      const since = n.reach.status === status ? n.reach.since : at;
      let out: NodeState = { ...n, reach: { status, since, error: event.error ?? null, retryAt: event.retryAt ?? null } };
      if (!event.reachable) out = nodeError(out, at, `unreachable: ${event.error ?? 'no answer'}`);
      return out;
    }
    case 'probe-error': {
      const c = event.component ?? PROBE_COMPONENT[event.probe];
      const out = nodeError(n, at, `${event.probe}: ${event.error}`);
      return c === undefined ? out : readFailed(out, c, at, `${event.probe}: ${event.error}`);
    }
  }
}

function procDrbd(n: NodeState, event: Ev<'proc-drbd'>, at: number): NodeState {
  const p = parseProcDrbd(event.text);
  if (!p.ok) {
    // events2 is the better source: a failed /proc/drbd read must not hide what it says.
    const drbd = n.drbd.source === 'events2' ? n.drbd : { ...n.drbd, error: p.error, updatedAt: at };
    // "module not loaded" is an answer (no DRBD here), not blindness.
    const out = nodeError({ ...n, drbd }, at, `/proc/drbd: ${p.error}`);
    return /not loaded/.test(p.error) ? readOk(out, 'drbd', at) : readFailed(out, 'drbd', at, `/proc/drbd: ${p.error}`);
  }
  let view: DrbdView = { ...n.drbd, version: p.version, source: n.drbd.source ?? 'proc', updatedAt: at, error: null };
  for (const d of p.devices) view = applyProcDevice(view, d, at);
  return readOk({ ...n, drbd: view }, 'drbd', at);
}

function crmMon(n: NodeState, event: Ev<'crm-mon'>, at: number): NodeState {
  const p = parseCrmMon(event.xml);
  if (!p.ok) {
    // crm_mon answering "Not connected" (code 102...) is a reading: Pacemaker is down here. No
    // document at all (timed out, not installed) or garbage is blindness: the reading failed.
    if (p.code === null) {
      const error = event.error ?? `${p.message}: ${event.xml.trim().split('\n')[0]?.slice(0, 40) ?? ''}`;
      return readFailed(nodeError(n, at, `crm_mon: ${error}`), 'pacemaker', at, `crm_mon: ${error}`);
    }
    const error = `${p.message} (crm_mon status ${p.code})`;
    return readOk(nodeError({ ...n, pacemaker: { status: null, extras: null, error, updatedAt: at } }, at, `crm_mon: ${error}`), 'pacemaker', at);
  }
  return readOk({ ...n, pacemaker: { status: p, extras: parseCrmMonExtras(event.xml), error: null, updatedAt: at } }, 'pacemaker', at);
}

function ping(n: NodeState, event: Ev<'ping'>, at: number): NodeState {
  const p = parsePing(event.output);
  const prev = n.ping[event.target];
  const next = p.ok
    ? { target: event.target, reachable: p.value.reachable, rttMs: p.value.avgRttMs, lossPercent: p.value.lossPercent, updatedAt: at, error: null }
    : { target: event.target, reachable: null, rttMs: null, lossPercent: null, updatedAt: at, error: p.error };
  let out: NodeState = { ...n, ping: { ...n.ping, [event.target]: next } };
  if (prev?.reachable !== false && next.reachable === false) out = nodeError(out, at, `ping ${event.target}: no reply`);
  return p.ok ? readOk(out, 'connectivity', at) : readFailed(out, 'connectivity', at, `ping ${event.target}: ${p.error}`);
}

function mdstat(n: NodeState, event: Ev<'mdstat'>, at: number): NodeState {
  // parseMdstat (the probes') reads any text; only a real /proc/mdstat starts with its personalities.
  if (!/^Personalities\s*:/m.test(event.text)) {
    const error = `not /proc/mdstat output: ${event.text.trim().split('\n')[0]?.slice(0, 60) || 'empty'}`;
    return readFailed(nodeError({ ...n, raid: { ...n.raid, error, updatedAt: at } }, at, `/proc/mdstat: ${error}`), 'raid', at, `/proc/mdstat: ${error}`);
  }
  const arrays = parseMdstat(event.text);
  return readOk({ ...n, raid: { arrays, error: null, updatedAt: at }, raidProgress: trackRaidProgress(n.raidProgress, arrays, at) }, 'raid', at);
}

function nfs(n: NodeState, event: Ev<'nfs'>, at: number): NodeState {
  const server = parseSystemctlIsActive(event.systemctl, ['nfs-server'])['nfs-server'] ?? null;
  if (server === null) {
    const error = `systemctl is-active nfs-server: unexpected answer: ${event.systemctl.trim().split('\n')[0]?.slice(0, 60) || 'empty'}`;
    return readFailed(nodeError(n, at, error), 'nfs', at, error);
  }
  return readOk({ ...n, nfs: { server, exports: parseExportfsV(event.exportfs), error: null, updatedAt: at } }, 'nfs', at);
}

/** Folds a list of events: handy for tests and for replaying a capture. */
export function reduceAll(state: MonitorState, events: readonly MonitorEvent[]): MonitorState {
  return events.reduce(reduce, state);
}
