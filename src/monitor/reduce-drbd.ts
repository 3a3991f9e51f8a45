// The DRBD part of the monitor's reducer (reducer.ts): how an events2 line or a /proc/drbd device changes
// a node's DrbdView. Its own file because DRBD has two sources that must agree (events2 as it happens,
// 8.4's /proc/drbd polls for what events2 lacks) and the most state (connections, peer devices, resync
// progress, the change log). Pure; nothing is mutated.
import type { Events2Event } from '../probes/drbd-events2.js';
import type { ProcDrbdDevice } from '../probes/proc-drbd.js';
import { advanceSync, RESYNC_STATES } from './progress.js';
import { clock as hhmmss } from './units.js';
import { pushLog, type DrbdConnection, type DrbdPeerDevice, type DrbdResource, type DrbdView } from './model.js';

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

export function applyEvents2(view: DrbdView, ev: Events2Event, at: number): DrbdView {
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
    case 'device':
      r = events2Device(r, ev, t, verb);
      break;
    case 'connection':
      r = events2Connection(r, ev, t, verb);
      break;
    case 'peer-device':
      r = events2PeerDevice(r, ev, t, verb, at);
      break;
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

// One function per kind of events2 object: each takes the resource and returns it changed, logging the
// changes an admin cares about (t: the event's own time; verb: "change ", "create "... or "" for exists).
type Of<K extends Events2Event['object']> = Extract<Events2Event, { object: K }>;

function events2Device(r: DrbdResource, ev: Of<'device'>, t: number, verb: string): DrbdResource {
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
  return { ...r, devices };
}

function events2Connection(r: DrbdResource, ev: Of<'connection'>, t: number, verb: string): DrbdResource {
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
  return { ...r, connections };
}

/** at: when we saw the event (progress is judged on our clock), besides its own time t. */
function events2PeerDevice(r: DrbdResource, ev: Of<'peer-device'>, t: number, verb: string, at: number): DrbdResource {
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
  return { ...r, connections };
}

/** 8.4's cs: names mapped to events2's connection and replication states. */
function splitCstate(cs: string): { connection: string; replication: string } {
  if (cs === 'Connected') return { connection: 'Connected', replication: 'Established' };
  if (cs === 'WFConnection') return { connection: 'Connecting', replication: 'Off' };
  if (RESYNC_STATES.has(cs) || cs === 'Ahead' || cs === 'Behind') return { connection: 'Connected', replication: cs };
  return { connection: cs, replication: 'Off' };
}

export function applyProcDevice(view: DrbdView, d: ProcDrbdDevice, at: number): DrbdView {
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
