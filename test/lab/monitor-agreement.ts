// Does `monitor --json` say, node by node, what each node itself says at the same moment? Per node: its
// reachability, its DRBD role, disk, connection, peer disk and resync progress (against its own
// /proc/drbd), Pacemaker's view of it and of where DRBD is promoted (against crm_mon run on that node),
// and that every reading of a reachable node is fresh (the monitor is not blind). Matching by node name,
// never by substrings anywhere in the JSON: a monitor that swapped the two nodes' roles fails here.
// Independent of src/ on purpose (the harness judges the monitor); the schema is docs/monitor-json.md.
import type { CrmState, Drbd84State } from './truth.js';

export interface NodeTruth {
  reachable: boolean;
  drbd: Drbd84State | null;
  crm: CrmState | null;
}

interface JsonPeerDevice { volume: number; replication: string | null; peerDisk: string | null; sync: { percent: number } | null }
interface JsonConnection { connection: string | null; peerRole: string | null; peerDevices: JsonPeerDevice[] }
interface JsonResource { name: string; role: string | null; devices: { volume: number; minor: number | null; disk: string | null }[]; connections: JsonConnection[] }
interface JsonNode {
  name: string;
  reachability: { status: 'up' | 'down' | 'unknown' };
  readings?: Record<string, { state: string; error: string | null }>;
  drbd: { resources: JsonResource[] };
}
interface JsonCluster {
  nodes: { name: string; online: boolean }[];
  resources: { id: string; agent: string; role: string; nodes: string[] }[];
}
export interface MonitorDoc {
  nodes: JsonNode[];
  cluster: JsonCluster | null;
}

/** /proc/drbd's cs: as events2's connection and replication states (what the monitor reports for 8.4 too). */
export function expectedConnection(cs: string): { connection: string[]; replication: string | null } {
  if (cs === 'Connected') return { connection: ['Connected'], replication: 'Established' };
  if (/^(SyncSource|SyncTarget|PausedSyncS|PausedSyncT|StartingSyncS|StartingSyncT|WFBitMapS|WFBitMapT|WFSyncUUID|VerifyS|VerifyT)$/.test(cs)) return { connection: ['Connected'], replication: cs };
  if (cs === 'WFConnection') return { connection: ['Connecting'], replication: null };
  if (cs === 'StandAlone') return { connection: ['StandAlone'], replication: null };
  if (cs === 'Unconnected' || cs === 'NetworkFailure' || cs === 'BrokenPipe' || cs === 'Timeout') return { connection: [cs, 'Connecting', 'Unconnected'], replication: null };
  return { connection: [cs], replication: null };
}

/** How far the monitor's resync percent may be from the node's own, read a moment apart. */
export const SYNC_TOLERANCE_POINTS = 15;

const promotedOn = (resources: { agent: string; role: string; nodes: string[] }[]): string[] =>
  resources.filter((r) => r.agent === 'ocf:linbit:drbd' && (r.role === 'Promoted' || r.role === 'Master')).flatMap((r) => r.nodes).sort();

export function agreementProblems(doc: MonitorDoc, truth: Record<string, NodeTruth>): string[] {
  const out: string[] = [];
  for (const [name, t] of Object.entries(truth)) {
    const n = doc.nodes.find((x) => x.name === name);
    if (n === undefined) {
      out.push(`${name}: not in the monitor's JSON`);
      continue;
    }
    if (!t.reachable) {
      if (n.reachability.status !== 'down') out.push(`${name}: is down, the monitor says ${n.reachability.status}`);
      continue;
    }
    if (n.reachability.status !== 'up') out.push(`${name}: answers, the monitor says ${n.reachability.status}`);
    for (const [c, r] of Object.entries(n.readings ?? {})) {
      if (r.state !== 'fresh' && !(c === 'connectivity' && r.state === 'pending')) out.push(`${name}: the monitor cannot read ${c} (${r.state}: ${r.error ?? '-'})`);
    }
    const d = t.drbd;
    if (d === null) {
      if (n.drbd.resources.length > 0) out.push(`${name}: has no DRBD resource up, the monitor shows ${n.drbd.resources.map((r) => r.name).join(', ')}`);
    } else {
      const res = n.drbd.resources.find((r) => r.devices.some((x) => x.minor === d.minor)) ?? (n.drbd.resources.length === 1 ? n.drbd.resources[0] : undefined);
      if (res === undefined) {
        out.push(`${name}: has DRBD minor ${d.minor} up (${d.role}), the monitor shows no such resource`);
      } else {
        if (res.role !== d.role) out.push(`${name}: DRBD ${res.name} is ${d.role} here, the monitor says ${res.role}`);
        const dev = res.devices.find((x) => x.minor === d.minor) ?? res.devices[0];
        if (dev?.disk !== d.disk) out.push(`${name}: DRBD disk is ${d.disk} here, the monitor says ${dev?.disk ?? 'nothing'}`);
        const want = expectedConnection(d.connection);
        const conn = res.connections[0];
        const got = conn?.connection ?? (res.connections.length === 0 ? 'StandAlone' : null);
        if (got === null || !want.connection.includes(got)) out.push(`${name}: DRBD connection is ${d.connection} here, the monitor says ${got ?? 'nothing'}`);
        const pd = conn?.peerDevices.find((p) => p.volume === (dev?.volume ?? 0)) ?? conn?.peerDevices[0];
        if (want.replication !== null && pd?.replication !== want.replication) out.push(`${name}: DRBD replication is ${want.replication} here, the monitor says ${pd?.replication ?? 'nothing'}`);
        if (want.connection.includes('Connected') && pd?.peerDisk !== d.peerDisk) out.push(`${name}: the peer's disk is ${d.peerDisk} here, the monitor says ${pd?.peerDisk ?? 'nothing'}`);
        if (d.syncedPercent !== null) {
          const p = pd?.sync?.percent;
          if (p === undefined) out.push(`${name}: resync at ${d.syncedPercent}% here, the monitor shows no progress`);
          else if (Math.abs(p - d.syncedPercent) > SYNC_TOLERANCE_POINTS) out.push(`${name}: resync at ${d.syncedPercent}% here, the monitor says ${p.toFixed(1)}%`);
        } else if (pd?.sync != null && want.replication === 'Established') {
          out.push(`${name}: no resync here, the monitor shows one at ${pd.sync.percent.toFixed(1)}%`);
        }
      }
    }
    // Pacemaker, as crm_mon on this node sees it, against the monitor's cluster view.
    if (t.crm?.connected) {
      if (doc.cluster === null) {
        out.push(`${name}: Pacemaker answers here, the monitor has no cluster view`);
        continue;
      }
      for (const cn of t.crm.nodes) {
        const m = doc.cluster.nodes.find((x) => x.name === cn.name);
        if (m === undefined || m.online !== cn.online) out.push(`${name}: crm_mon here says ${cn.name} is ${cn.online ? 'online' : 'OFFLINE'}, the monitor says ${m === undefined ? 'nothing' : m.online ? 'online' : 'OFFLINE'}`);
      }
      const here = promotedOn(t.crm.resources);
      const there = promotedOn(doc.cluster.resources);
      if (here.join(',') !== there.join(',')) out.push(`${name}: crm_mon here has DRBD promoted on [${here.join(',')}], the monitor on [${there.join(',')}]`);
    }
  }
  return out;
}
