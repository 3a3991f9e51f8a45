// The one pure reducer of the monitor: reduce(state, event) -> new state. Collectors turn what they read
// (events2 lines, /proc/drbd polls, crm_mon XML, ping output...) into these events, carrying the raw text;
// parsing happens here, through the pure parsers, so a replayed capture and a live node give the same
// state. Nothing is mutated: every level that changes is copied.
import { parseEvents2Line, type Events2Event } from '../probes/drbd-events2.js';
import { parseProcDrbd, type ProcDrbdDevice } from '../probes/proc-drbd.js';
import { parseCrmMon } from '../probes/crm-mon.js';
import { parseCrmMonExtras } from '../probes/crm-mon-extras.js';
import { parseCibFacts } from '../probes/cib-facts.js';
import { parsePing } from '../probes/ping.js';
import { parseExportfsV, parseSystemctlIsActive } from '../probes/nfs.js';
import { parseMdstat } from '../probes/mdstat.js';
import { parseLvmForMonitor } from './lvm-adapter.js';
import { advanceSync, RESYNC_STATES } from './progress.js';
import { clock as hhmmss } from './units.js';
import { nodeConfigOf, type ConfigFile, type ConfigRead } from './node-config.js';
import { keepUnchanged } from './keep-unchanged.js';
import {
  emptyNode, pushLog,
  type Component, type DrbdConnection, type DrbdPeerDevice, type DrbdResource, type DrbdView, type MonitorState, type NodeState,
} from './model.js';

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

function newResource(name: string): DrbdResource {
  return { name, role: null, suspended: null, devices: {}, connections: {}, splitBrainAt: null, fromProcOnly: false, events: [], errors: [] };
}

function newConnection(peerNodeId: number, connName: string | null): DrbdConnection {
  return { peerNodeId, connName, connection: null, peerRole: null, peerDevices: {} };
}

function newPeerDevice(volume: number): DrbdPeerDevice {
  return { volume, replication: null, peerDisk: null, oosKiB: null, resyncSuspended: null, sync: null, progressAt: null };
}

/** Connection states that mean the link to the peer is broken: kept as errors in the resource's log. */
const BAD_CONNECTION = new Set(['NetworkFailure', 'BrokenPipe', 'Timeout', 'ProtocolError', 'StandAlone']);
const BAD_DISK = new Set(['Failed', 'Diskless']);

function logChange(r: DrbdResource, at: number, text: string, isError: boolean): DrbdResource {
  const entry = { at, text: `${hhmmss(at)} ${text}` };
  return { ...r, events: pushLog(r.events, entry), errors: isError ? pushLog(r.errors, entry) : r.errors };
}

/** Updates a peer device with new replication/out-of-sync values and keeps its resync progress right. */
function updatePeerDevice(
  pd: DrbdPeerDevice, at: number,
  v: { replication?: string; peerDisk?: string; oosKiB?: number; resyncSuspended?: string; done?: number; etaSec?: number; totalKiB?: number; speedKiBs?: number | null; seenAt?: number },
): DrbdPeerDevice {
  const next: DrbdPeerDevice = {
    ...pd,
    replication: v.replication ?? pd.replication,
    peerDisk: v.peerDisk ?? pd.peerDisk,
    oosKiB: v.oosKiB ?? pd.oosKiB,
    resyncSuspended: v.resyncSuspended ?? pd.resyncSuspended,
  };
  if (next.replication !== null && RESYNC_STATES.has(next.replication)) {
    next.sync = advanceSync(pd.sync, {
      t: at,
      oosKiB: next.oosKiB,
      // A full sync's total is the device size; a bitmap resync's is the out-of-sync amount at its start.
      totalKiB: v.totalKiB ?? null,
      done: v.done ?? null,
      etaSec: v.etaSec ?? null,
      speedKiBs: v.speedKiBs ?? null,
    });
    // Progress is judged on our clock (events2's timestamps are the node's, and a replay's are old).
    if (pd.sync === null || next.oosKiB !== pd.oosKiB) next.progressAt = v.seenAt ?? at;
  } else {
    next.sync = null;
    next.progressAt = null;
  }
  return next;
}

function applyEvents2(view: DrbdView, ev: Events2Event, at: number): DrbdView {
  const t = ev.timeMs ?? at;
  const base: DrbdView = { ...view, source: 'events2', updatedAt: at, error: null };
  if (ev.object === '-') return { ...base, initialDumpDone: true };
  const name = ev.name;
  const resources = { ...base.resources };
  // A resource first seen in /proc/drbd has only a placeholder name (8.4 prints minors): once events2
  // speaks, it describes every resource by name, so the placeholders go.
  for (const [k, r] of Object.entries(resources)) if (r.fromProcOnly) delete resources[k];
  if (ev.action === 'destroy' && ev.object === 'resource') {
    delete resources[name];
    return { ...base, resources };
  }
  let r: DrbdResource = resources[name] ?? newResource(name);
  const verb = ev.action === 'exists' ? '' : `${ev.action} `;
  switch (ev.object) {
    case 'resource':
      if (ev.role !== undefined && ev.role !== r.role && ev.action !== 'exists') r = logChange(r, t, `${verb}role ${ev.role}`, false);
      r = { ...r, role: ev.role ?? r.role, suspended: ev.suspended ?? r.suspended };
      break;
    case 'device': {
      const devices = { ...r.devices };
      if (ev.action === 'destroy') delete devices[ev.volume];
      else {
        const d = devices[ev.volume] ?? { volume: ev.volume, minor: null, disk: null, sizeKiB: null };
        if (ev.disk !== undefined && ev.disk !== d.disk && ev.action !== 'exists') {
          r = logChange(r, t, `${verb}disk ${ev.disk}`, BAD_DISK.has(ev.disk));
        }
        devices[ev.volume] = {
          ...d,
          minor: ev.minor ?? d.minor,
          disk: ev.disk ?? d.disk,
          // size:0 while Diskless is "unknown", not an empty device: keep the last real size.
          sizeKiB: ev.sizeKiB !== undefined && ev.sizeKiB > 0 ? ev.sizeKiB : d.sizeKiB,
        };
      }
      r = { ...r, devices };
      break;
    }
    case 'connection': {
      const connections = { ...r.connections };
      if (ev.action === 'destroy') {
        delete connections[ev.peerNodeId];
      } else {
        const c = connections[ev.peerNodeId] ?? newConnection(ev.peerNodeId, ev.connName);
        if (ev.connection !== undefined && ev.connection !== c.connection && ev.action !== 'exists') {
          r = logChange(r, t, `${verb}connection ${ev.connection}`, BAD_CONNECTION.has(ev.connection));
        }
        if (ev.role !== undefined && ev.role !== c.peerRole && ev.action !== 'exists' && ev.role !== 'Unknown') {
          r = logChange(r, t, `peer role ${ev.role}`, false);
        }
        connections[ev.peerNodeId] = {
          ...c,
          connName: ev.connName ?? c.connName,
          connection: ev.connection ?? c.connection,
          peerRole: ev.role ?? c.peerRole,
        };
      }
      r = { ...r, connections };
      break;
    }
    case 'peer-device': {
      const connections = { ...r.connections };
      const c = connections[ev.peerNodeId] ?? newConnection(ev.peerNodeId, ev.connName);
      const peerDevices = { ...c.peerDevices };
      if (ev.action === 'destroy') delete peerDevices[ev.volume];
      else {
        const pd = peerDevices[ev.volume] ?? newPeerDevice(ev.volume);
        if (ev.replication !== undefined && ev.replication !== pd.replication && ev.action !== 'exists') {
          r = logChange(r, t, `${verb}replication ${ev.replication}`, false);
        }
        if (ev.peerDisk !== undefined && ev.peerDisk !== pd.peerDisk && ev.action !== 'exists') {
          r = logChange(r, t, `peer disk ${ev.peerDisk}`, BAD_DISK.has(ev.peerDisk));
        }
        const startsResync = ev.replication !== undefined && RESYNC_STATES.has(ev.replication) && pd.sync === null;
        // The total is the out-of-sync amount when the resync starts (the device size for a full sync).
        const upd = updatePeerDevice(pd, t, {
          replication: ev.replication, peerDisk: ev.peerDisk, oosKiB: ev.outOfSyncKiB,
          resyncSuspended: ev.resyncSuspended, done: ev.done, etaSec: ev.etaSec,
          totalKiB: startsResync ? ev.outOfSyncKiB : undefined, seenAt: at,
        });
        peerDevices[ev.volume] = upd;
        // Replication resumed: a split brain was resolved.
        if (upd.replication === 'Established' || (upd.replication !== null && RESYNC_STATES.has(upd.replication))) {
          if (r.splitBrainAt !== null) r = logChange({ ...r, splitBrainAt: null }, t, 'split brain resolved, replicating again', false);
        }
      }
      connections[ev.peerNodeId] = { ...c, peerDevices };
      r = { ...r, connections };
      break;
    }
    case 'helper': {
      if (ev.action === 'call') {
        r = logChange(r, t, `helper ${ev.helper}`, ev.helper === 'split-brain');
        if (ev.helper === 'split-brain') r = { ...r, splitBrainAt: t };
      } else if (ev.status !== null && ev.status !== 0) {
        r = logChange(r, t, `helper ${ev.helper} exited ${ev.status}`, true);
      }
      break;
    }
    case 'path':
      break;
  }
  resources[name] = r;
  return { ...base, resources };
}

/** 8.4's cs: names mapped to events2's connection and replication states. */
function splitCstate(cs: string): { connection: string; replication: string } {
  if (cs === 'Connected') return { connection: 'Connected', replication: 'Established' };
  if (cs === 'WFConnection') return { connection: 'Connecting', replication: 'Off' };
  if (RESYNC_STATES.has(cs) || cs === 'Ahead' || cs === 'Behind') return { connection: 'Connected', replication: cs };
  return { connection: cs, replication: 'Off' };
}

function applyProcDevice(view: DrbdView, d: ProcDrbdDevice, at: number): DrbdView {
  const resources = { ...view.resources };
  let key = Object.keys(resources).find((k) => Object.values(resources[k]!.devices).some((dev) => dev.minor === d.minor));
  // With events2 running, a minor it has not described yet is mid-dump: wait for its name.
  if (key === undefined && view.source === 'events2') return view;
  if (key === undefined) {
    key = `/dev/drbd${d.minor}`;
    resources[key] = { ...newResource(key), fromProcOnly: true };
  }
  let r = resources[key]!;
  if (d.cstate === 'Unconfigured') {
    delete resources[key];
    return { ...view, resources };
  }
  const vol = Object.values(r.devices).find((dev) => dev.minor === d.minor)?.volume ?? 0;
  if (view.source === 'events2') {
    // events2 reports every state change the moment it happens; a poll read a moment earlier must not
    // undo it. /proc/drbd adds only what 8.4's events2 lacks: the out-of-sync amount as writes happen
    // (events2 prints it only with a state change) and the progress of a running resync.
    const c0 = r.connections[0];
    const pd0 = c0?.peerDevices[vol];
    if (!c0 || !pd0 || d.oosKiB === null || pd0.oosKiB === d.oosKiB) return view;
    const syncing = pd0.replication !== null && RESYNC_STATES.has(pd0.replication);
    const upd0 = syncing
      ? updatePeerDevice(pd0, at, { oosKiB: d.oosKiB, totalKiB: d.sync?.totalKiB, etaSec: d.sync?.finishSec ?? undefined, speedKiBs: d.sync?.speedKiBs ?? null })
      : { ...pd0, oosKiB: d.oosKiB };
    resources[key] = { ...r, connections: { ...r.connections, 0: { ...c0, peerDevices: { ...c0.peerDevices, [vol]: upd0 } } } };
    return { ...view, resources };
  }
  const dev = r.devices[vol] ?? { volume: vol, minor: d.minor, disk: null, sizeKiB: null };
  if (d.role !== null && r.role !== null && d.role !== r.role) r = logChange(r, at, `role ${d.role}`, false);
  if (d.disk !== null && dev.disk !== null && d.disk !== dev.disk) r = logChange(r, at, `disk ${d.disk}`, BAD_DISK.has(d.disk));
  r = {
    ...r,
    role: d.role ?? r.role,
    devices: { ...r.devices, [vol]: { ...dev, disk: d.disk ?? dev.disk, sizeKiB: d.sync?.totalKiB !== undefined && dev.sizeKiB === null ? d.sync.totalKiB : dev.sizeKiB } },
  };
  const { connection, replication } = splitCstate(d.cstate);
  // 8.4 has exactly one peer, node id 0 in events2.
  const c = r.connections[0] ?? newConnection(0, 'peer');
  if (c.connection !== null && connection !== c.connection) r = logChange(r, at, `connection ${connection}`, BAD_CONNECTION.has(connection));
  const pd = c.peerDevices[vol] ?? newPeerDevice(vol);
  const upd = updatePeerDevice(pd, at, {
    replication,
    peerDisk: d.peerDisk ?? undefined,
    oosKiB: d.oosKiB ?? undefined,
    totalKiB: d.sync?.totalKiB,
    etaSec: d.sync?.finishSec ?? undefined,
    speedKiBs: d.sync?.speedKiBs ?? null,
  });
  const peerRole = d.peerRole ?? c.peerRole;
  r = { ...r, connections: { ...r.connections, 0: { ...c, connection, peerRole, peerDevices: { ...c.peerDevices, [vol]: upd } } } };
  if (r.splitBrainAt !== null && (replication === 'Established' || RESYNC_STATES.has(replication))) r = { ...r, splitBrainAt: null };
  resources[key] = r;
  return { ...view, resources };
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
  const at = event.at;
  const s = at > state.now ? { ...state, now: at } : state;
  switch (event.type) {
    case 'events2-line':
      return withNode(s, event.node, (n) => {
        const p = parseEvents2Line(event.line);
        if (!p.ok) return readFailed(nodeError(n, at, `events2: ${p.error}`), 'drbd', at, `events2: ${p.error}`);
        return readOk({ ...n, events2Open: n.events2Open || event.stream === true, drbd: applyEvents2(n.drbd, p.event, at) }, 'drbd', at);
      });
    case 'events2-ended':
      // Logged, not shown as the DRBD state: /proc/drbd polls keep the view (8.4) while the stream is retried.
      return withNode(s, event.node, (n) => nodeError({ ...n, events2Open: false }, at, event.error));
    case 'proc-drbd':
      return withNode(s, event.node, (n) => {
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
      });
    case 'crm-mon':
      return withNode(s, event.node, (n) => {
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
      });
    case 'cib':
      return withNode(s, event.node, (n) => {
        const p = parseCibFacts(event.xml);
        if (!p.ok) return readFailed(nodeError(n, at, `cibadmin -Q: ${p.error}`), 'cib', at, `cibadmin -Q: ${p.error}`);
        return readOk({ ...n, cib: p.facts }, 'cib', at);
      });
    case 'clock':
      return withNode(s, event.node, (n) => ({ ...n, clockOffsetMs: event.offsetMs }));
    case 'fresh':
      return withNode(s, event.node, (n) => {
        const readings = { ...n.readings };
        for (const c of event.components) if (readings[c].failedAt === null) readings[c] = { ...readings[c], okAt: at };
        return { ...n, readings };
      });
    case 'node-config':
      return withNode(s, event.node, (n) => ({ ...n, config: nodeConfigOf(n.name, at, event.files) }));
    case 'pingd':
      // Pacemaker's ping resource pings the targets on this node already: its attribute is the reading.
      return withNode(s, event.node, (n) => readOk({ ...n, ping: {} }, 'connectivity', at));
    case 'ping':
      return withNode(s, event.node, (n) => {
        const p = parsePing(event.output);
        const prev = n.ping[event.target];
        const next = p.ok
          ? { target: event.target, reachable: p.value.reachable, rttMs: p.value.avgRttMs, lossPercent: p.value.lossPercent, updatedAt: at, error: null }
          : { target: event.target, reachable: null, rttMs: null, lossPercent: null, updatedAt: at, error: p.error };
        let out: NodeState = { ...n, ping: { ...n.ping, [event.target]: next } };
        if (prev?.reachable !== false && next.reachable === false) out = nodeError(out, at, `ping ${event.target}: no reply`);
        return p.ok ? readOk(out, 'connectivity', at) : readFailed(out, 'connectivity', at, `ping ${event.target}: ${p.error}`);
      });
    case 'mdstat':
      return withNode(s, event.node, (n) => {
        // parseMdstat (the probes') reads any text; only a real /proc/mdstat starts with its personalities.
        if (!/^Personalities\s*:/m.test(event.text)) {
          const error = `not /proc/mdstat output: ${event.text.trim().split('\n')[0]?.slice(0, 60) || 'empty'}`;
          return readFailed(nodeError({ ...n, raid: { ...n.raid, error, updatedAt: at } }, at, `/proc/mdstat: ${error}`), 'raid', at, `/proc/mdstat: ${error}`);
        }
        const arrays = parseMdstat(event.text);
        return readOk({ ...n, raid: { arrays, error: null, updatedAt: at }, raidProgress: trackRaidProgress(n.raidProgress, arrays, at) }, 'raid', at);
      });
    case 'lvm':
      return withNode(s, event.node, (n) => {
        const p = parseLvmForMonitor(event.text);
        if (!p.ok) return readFailed(nodeError({ ...n, lvm: { ...n.lvm, error: p.error, updatedAt: at } }, at, `lvm: ${p.error}`), 'lvm', at, `lvm: ${p.error}`);
        return readOk({ ...n, lvm: { vgs: p.vgs, lvs: p.lvs, error: null, updatedAt: at } }, 'lvm', at);
      });
    case 'nfs':
      return withNode(s, event.node, (n) => {
        const server = parseSystemctlIsActive(event.systemctl, ['nfs-server'])['nfs-server'] ?? null;
        if (server === null) {
          const error = `systemctl is-active nfs-server: unexpected answer: ${event.systemctl.trim().split('\n')[0]?.slice(0, 60) || 'empty'}`;
          return readFailed(nodeError(n, at, error), 'nfs', at, error);
        }
        return readOk({ ...n, nfs: { server, exports: parseExportfsV(event.exportfs), error: null, updatedAt: at } }, 'nfs', at);
      });
    case 'reachability':
      return withNode(s, event.node, (n) => {
        const status = event.reachable ? 'up' : 'down';
        const since = n.reach.status === status ? n.reach.since : at;
        let out: NodeState = { ...n, reach: { status, since, error: event.error ?? null, retryAt: event.retryAt ?? null } };
        if (!event.reachable) out = nodeError(out, at, `unreachable: ${event.error ?? 'no answer'}`);
        return out;
      });
    case 'probe-error':
      return withNode(s, event.node, (n) => {
        const c = event.component ?? PROBE_COMPONENT[event.probe];
        const out = nodeError(n, at, `${event.probe}: ${event.error}`);
        return c === undefined ? out : readFailed(out, c, at, `${event.probe}: ${event.error}`);
      });
  }
}

/** Folds a list of events: handy for tests and for replaying a capture. */
export function reduceAll(state: MonitorState, events: readonly MonitorEvent[]): MonitorState {
  return events.reduce(reduce, state);
}
