// The monitor's state: per node, everything the collectors learnt, as plain data. Built only by
// reduce(state, event) (reducer.ts); read by the health rules, the formatters and the screens.
import type { CrmStatus } from '../probes/crm-mon.js';
import type { ExportEntry } from '../probes/nfs.js';
import type { MdArray } from '../probes/types.js';
import type { MonitorLv, MonitorVg } from './lvm-adapter.js';
import type { SyncProgress } from './progress.js';
import type { CibFacts } from '../probes/cib-facts.js';
import type { ExpectedTopology } from './expected.js';
import type { CrmMonExtras } from '../probes/crm-mon-extras.js';
import type { NodeConfig } from './node-config.js';

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
  /** Our clock when the out-of-sync amount last moved during a resync (for "resync stalled"). */
  progressAt: number | null;
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
  /** Cluster options and migration thresholds from the same XML. */
  extras: CrmMonExtras | null;
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

/**
 * What the monitor reads from each node, one reading each. A component that cannot be read is never
 * judged OK: it is UNKNOWN with its error and the age of its last good reading (fail closed).
 */
export const COMPONENTS = ['pacemaker', 'cib', 'drbd', 'raid', 'lvm', 'nfs', 'connectivity'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface Reading {
  /** When the component was last read successfully (ms since the epoch). */
  okAt: number | null;
  /** When the last attempt failed; null when the last attempt succeeded. */
  failedAt: number | null;
  /** Why the last attempt failed (timed out, command missing, unparsable...). */
  error: string | null;
}

export type ReadingState = 'fresh' | 'stale' | 'failed' | 'pending';

/** A reading older than this many intervals is stale (issue 24). */
export const STALE_INTERVALS = 3;

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
  /** The CIB (cibadmin -Q), for constraints and the expected topology; raw facts, parsed by cib-facts.ts. */
  cib: CibFacts | null;
  /** What the node's own configuration files say should exist there (node-config.ts), null until read. */
  config: NodeConfig | null;
  /** This node's clock minus ours, in ms (from `date +%s.%N`), null until read. */
  clockOffsetMs: number | null;
  /** events2 stream open (live mode): DRBD is then fresh without a poll. */
  events2Open: boolean;
  readings: Record<Component, Reading>;
  /** md resync progress as last seen changing, per array (for "resync stalled"). */
  raidProgress: Record<string, { percent: number; since: number }>;
  errors: LogEntry[];
}

export interface MonitorState {
  now: number;
  /** What should exist (--answers), or null: then the CIB a node reports is used (expected.ts). */
  expected: ExpectedTopology | null;
  /** --accept-no-fencing: stonith-enabled=false is then said in the check line, not warned about. */
  acceptNoFencing: boolean;
  /** The poll interval: readings older than STALE_INTERVALS of it are stale (live view, --listen). */
  intervalMs: number;
  /**
   * A one-shot read (--once, --json, --check, --prometheus): each node's command budget. It reads every
   * component once, so what came back within the budget is this snapshot's reading: staleness is judged
   * against it, not the interval (staleBaseMs). Null in the live loop, whose budget adapts per node.
   */
  budgetMs: number | null;
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
    pacemaker: { status: null, extras: null, error: null, updatedAt: null },
    cib: null,
    config: null,
    clockOffsetMs: null,
    events2Open: false,
    readings: Object.fromEntries(COMPONENTS.map((c) => [c, { okAt: null, failedAt: null, error: null }])) as Record<Component, Reading>,
    raidProgress: {},
    errors: [],
  };
}

export function initialState(nodes: { name: string; target: string }[], now: number, intervalMs = 2000): MonitorState {
  const out: MonitorState = { now, intervalMs, budgetMs: null, expected: null, acceptNoFencing: false, nodeOrder: nodes.map((n) => n.name), nodes: {} };
  for (const n of nodes) out.nodes[n.name] = emptyNode(n.name, n.target);
  return out;
}

/** Appends to a bounded log, keeping the last KEEP_LAST. */
export function pushLog(log: LogEntry[], entry: LogEntry): LogEntry[] {
  const next = [...log, entry];
  return next.length > KEEP_LAST ? next.slice(next.length - KEEP_LAST) : next;
}

/** The live loop reads these every SLOW_EVERY rounds only (collect.ts): their staleness counts in those. */
export const SLOW_EVERY = 5;
export const SLOW_COMPONENTS: ReadonlySet<Component> = new Set(['lvm', 'nfs', 'cib']);

/** What staleness counts in: the one-shot's budget, else the poll interval. */
export function staleBaseMs(state: Pick<MonitorState, 'budgetMs' | 'intervalMs'>): number {
  return state.budgetMs ?? state.intervalMs;
}

/** fresh, stale (no good reading for STALE_INTERVALS polls of it), failed (last attempt failed), pending. */
export function readingState(c: Component, r: Reading, now: number, intervalMs: number): ReadingState {
  if (r.failedAt !== null) return 'failed';
  if (r.okAt === null) return 'pending';
  const period = intervalMs * (SLOW_COMPONENTS.has(c) ? SLOW_EVERY : 1);
  return now - r.okAt > STALE_INTERVALS * period ? 'stale' : 'fresh';
}
