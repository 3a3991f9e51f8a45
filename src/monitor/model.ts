// The monitor's state: per node, everything the collectors learnt, as plain data. Built only by
// reduce(state, event) (reducer.ts); read by the health rules, the formatters and the screens.
import type { CrmStatus } from '../probes/crm-mon.js';
import type { ExportEntry } from '../probes/nfs.js';
import type { MdArray } from '../probes/types.js';
import type { MonitorLv, MonitorVg } from './lvm-adapter.js';
import type { SyncProgress } from './progress.js';

/** How many events and errors each resource and node keeps (drbdtop keeps five). */
export const KEEP_LAST = 5;

export interface LogEntry {
  at: number;
  text: string;
}

export interface DrbdDevice {
  volume: number;
  minor: number | null;
  disk: string | null;
  sizeKiB: number | null;
}

export interface DrbdPeerDevice {
  volume: number;
  replication: string | null;
  peerDisk: string | null;
  oosKiB: number | null;
  resyncSuspended: string | null;
  /** Set while a resync runs (RESYNC_STATES), cleared when it ends. */
  sync: SyncProgress | null;
}

export interface DrbdConnection {
  peerNodeId: number;
  connName: string | null;
  /** events2's connection state (Connected, Connecting, StandAlone, NetworkFailure...). */
  connection: string | null;
  peerRole: string | null;
  peerDevices: Record<number, DrbdPeerDevice>;
}

export interface DrbdResource {
  name: string;
  role: string | null;
  suspended: string | null;
  devices: Record<number, DrbdDevice>;
  connections: Record<number, DrbdConnection>;
  /** When DRBD ran its split-brain helper (unresolved split brain); cleared when replication resumes. */
  splitBrainAt: number | null;
  /** Set when the resource is known only from /proc/drbd (8.4 prints minors, not names). */
  fromProcOnly: boolean;
  events: LogEntry[];
  errors: LogEntry[];
}

export interface DrbdView {
  /** 'events2' once a line arrived, 'proc' when only /proc/drbd was read. */
  source: 'events2' | 'proc' | null;
  /** Kernel module version from /proc/drbd. */
  version: string | null;
  /** True once `exists -` (end of the initial dump) was seen. */
  initialDumpDone: boolean;
  resources: Record<string, DrbdResource>;
  error: string | null;
  updatedAt: number | null;
}

export interface PingTargetState {
  target: string;
  reachable: boolean | null;
  rttMs: number | null;
  lossPercent: number | null;
  updatedAt: number | null;
  error: string | null;
}

export interface NfsView {
  /** systemctl is-active nfs-server: active, inactive, failed... */
  server: string | null;
  exports: ExportEntry[];
  error: string | null;
  updatedAt: number | null;
}

export interface PacemakerView {
  status: CrmStatus | null;
  /** "Not connected" etc. when crm_mon printed an error document or failed. */
  error: string | null;
  updatedAt: number | null;
}

export interface Reachability {
  status: 'unknown' | 'up' | 'down';
  since: number | null;
  error: string | null;
  /** When the collector will try again (ms since the epoch), while down. */
  retryAt: number | null;
}

export interface NodeState {
  name: string;
  /** user@host, "local" or "replay:<dir>". */
  target: string;
  reach: Reachability;
  drbd: DrbdView;
  raid: { arrays: MdArray[]; error: string | null; updatedAt: number | null };
  lvm: { vgs: MonitorVg[]; lvs: MonitorLv[]; error: string | null; updatedAt: number | null };
  ping: Record<string, PingTargetState>;
  nfs: NfsView;
  pacemaker: PacemakerView;
  errors: LogEntry[];
}

export interface MonitorState {
  now: number;
  nodeOrder: string[];
  nodes: Record<string, NodeState>;
}

export function emptyNode(name: string, target: string): NodeState {
  return {
    name,
    target,
    reach: { status: 'unknown', since: null, error: null, retryAt: null },
    drbd: { source: null, version: null, initialDumpDone: false, resources: {}, error: null, updatedAt: null },
    raid: { arrays: [], error: null, updatedAt: null },
    lvm: { vgs: [], lvs: [], error: null, updatedAt: null },
    ping: {},
    nfs: { server: null, exports: [], error: null, updatedAt: null },
    pacemaker: { status: null, error: null, updatedAt: null },
    errors: [],
  };
}

export function initialState(nodes: { name: string; target: string }[], now: number): MonitorState {
  const out: MonitorState = { now, nodeOrder: nodes.map((n) => n.name), nodes: {} };
  for (const n of nodes) out.nodes[n.name] = emptyNode(n.name, n.target);
  return out;
}

/** Appends to a bounded log, keeping the last KEEP_LAST. */
export function pushLog(log: LogEntry[], entry: LogEntry): LogEntry[] {
  const next = [...log, entry];
  return next.length > KEEP_LAST ? next.slice(next.length - KEEP_LAST) : next;
}
