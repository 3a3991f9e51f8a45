// Health from lookup tables, drbdtop-style: every state maps to a severity and a danger score; problems
// are sorted worst first; the overall health is the worst problem's. The tables are data so a new state
// is one line, and each rule is tested on its own (test/monitor/health.test.ts).
import type { DrbdResource, MonitorState, NodeState } from './model.js';
import { RESYNC_STATES } from './progress.js';
import { clock, fmtKiB } from './units.js';
import { effectiveExpected, missingProblems, readingProblems, withoutUnexpected } from './health-readings.js';
import { adminProblems } from './health-admin.js';
import { fencingProblems } from './fencing.js';

// Severity and Problem live in problem.ts, which health-readings.ts and health-admin.ts import too (no cycle).
import type { Problem, Severity } from './problem.js';
export type { Problem, Severity } from './problem.js';

export interface Rule {
  severity: Exclude<Severity, 'OK'>;
  score: number;
  text: string;
}

/** Severity ranks for sorting and for the overall verdict. UNKNOWN sits between WARNING and CRITICAL. */
export const SEVERITY_RANK: Record<Severity, number> = { OK: 0, WARNING: 1, UNKNOWN: 2, CRITICAL: 3 };
/** Nagios/Icinga plugin exit codes. */
export const EXIT_CODE: Record<Severity, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

/** events2 connection states (8.4's WFConnection arrives as Connecting). Missing = OK. */
export const CONNECTION_RULES: Record<string, Rule> = {
  StandAlone: { severity: 'CRITICAL', score: 80, text: 'StandAlone: not replicating and not trying to (split brain or disconnected by hand)' },
  Disconnecting: { severity: 'WARNING', score: 40, text: 'disconnecting from the peer' },
  Unconnected: { severity: 'WARNING', score: 40, text: 'not connected to the peer' },
  Connecting: { severity: 'WARNING', score: 45, text: 'waiting for the peer (not replicating)' },
  Timeout: { severity: 'WARNING', score: 45, text: 'connection to the peer timed out' },
  BrokenPipe: { severity: 'WARNING', score: 45, text: 'connection to the peer broke' },
  NetworkFailure: { severity: 'WARNING', score: 45, text: 'network failure towards the peer' },
  ProtocolError: { severity: 'CRITICAL', score: 60, text: 'protocol error with the peer' },
  TearDown: { severity: 'WARNING', score: 40, text: 'connection being torn down' },
};

/** Local disk states. Missing = OK (UpToDate). */
export const DISK_RULES: Record<string, Rule> = {
  Diskless: { severity: 'CRITICAL', score: 70, text: 'no local disk (Diskless): I/O goes to the peer' },
  Failed: { severity: 'CRITICAL', score: 75, text: 'local disk failed' },
  Attaching: { severity: 'WARNING', score: 10, text: 'attaching the local disk' },
  Negotiating: { severity: 'WARNING', score: 10, text: 'negotiating with the peer' },
  Detaching: { severity: 'WARNING', score: 30, text: 'detaching the local disk' },
  Inconsistent: { severity: 'WARNING', score: 35, text: 'local data Inconsistent (not usable until the resync ends)' },
  Outdated: { severity: 'WARNING', score: 30, text: 'local data Outdated' },
  Consistent: { severity: 'WARNING', score: 15, text: 'local data Consistent, currency unknown' },
  DUnknown: { severity: 'WARNING', score: 20, text: 'local disk state unknown' },
};

/** The peer's disk, as this node sees it (only judged while connected). */
export const PEER_DISK_RULES: Record<string, Rule> = {
  Diskless: { severity: 'CRITICAL', score: 65, text: 'peer has no disk (Diskless): no redundancy' },
  Failed: { severity: 'CRITICAL', score: 65, text: 'peer disk failed: no redundancy' },
  Inconsistent: { severity: 'WARNING', score: 30, text: 'peer data Inconsistent' },
  Outdated: { severity: 'WARNING', score: 30, text: 'peer data Outdated' },
  Consistent: { severity: 'WARNING', score: 15, text: 'peer data Consistent' },
};

export const SPLIT_BRAIN: Rule = { severity: 'CRITICAL', score: 100, text: 'SPLIT BRAIN: DRBD dropped the connection; resolve by hand (drbdadm connect --discard-my-data on the victim)' };
export const RESYNC: Rule = { severity: 'WARNING', score: 25, text: 'resynchronising' };
export const UNREACHABLE: Rule = { severity: 'CRITICAL', score: 95, text: 'unreachable' };

export const RAID_RULES = {
  inactive: { severity: 'CRITICAL', score: 70, text: 'array inactive' },
  failedMember: { severity: 'WARNING', score: 55, text: 'member failed' },
  degraded: { severity: 'WARNING', score: 50, text: 'degraded' },
  rebuilding: { severity: 'WARNING', score: 30, text: 'rebuilding' },
  readOnly: { severity: 'WARNING', score: 20, text: 'read-only' },
} satisfies Record<string, Rule>;

export const SNAPSHOT_WARN_PERCENT = 80;
export const SNAPSHOT_CRIT_PERCENT = 95;
export const LVM_RULES = {
  invalid: { severity: 'CRITICAL', score: 60, text: 'snapshot invalid (overflowed)' },
  full: { severity: 'CRITICAL', score: 50, text: 'snapshot almost full' },
  filling: { severity: 'WARNING', score: 30, text: 'snapshot filling' },
} satisfies Record<string, Rule>;

export const PACEMAKER_RULES = {
  notRunning: { severity: 'CRITICAL', score: 85, text: 'Pacemaker not answering' },
  noQuorum: { severity: 'CRITICAL', score: 80, text: 'cluster has no quorum' },
  nodeOffline: { severity: 'CRITICAL', score: 75, text: 'node OFFLINE in the cluster' },
  nodeUnclean: { severity: 'CRITICAL', score: 90, text: 'node UNCLEAN (needs fencing)' },
  nodeStandby: { severity: 'WARNING', score: 35, text: 'node in standby' },
  nodeMaintenance: { severity: 'WARNING', score: 35, text: 'node in maintenance' },
  resourceFailed: { severity: 'CRITICAL', score: 70, text: 'resource FAILED' },
  resourceStopped: { severity: 'CRITICAL', score: 65, text: 'resource stopped' },
  instanceStopped: { severity: 'WARNING', score: 30, text: 'clone instance stopped' },
  transition: { severity: 'WARNING', score: 28, text: 'resource moving' },
  failedAction: { severity: 'WARNING', score: 27, text: 'failed action' },
  pingLost: { severity: 'CRITICAL', score: 72, text: 'connectivity lost (pingd 0): the service will leave this node' },
  // The same loss on a node that runs no part of the service (it moved away, or never ran there): nothing
  // leaves, but the cluster has nowhere to fail over to (the ping rule bans the service from this node).
  pingLostPassive: { severity: 'CRITICAL', score: 71, text: 'connectivity lost (pingd 0): the service cannot fail over to this node' },
  pingDegraded: { severity: 'WARNING', score: 40, text: 'connectivity degraded' },
} satisfies Record<string, Rule>;

export const PING_RULES = {
  unreachable: { severity: 'WARNING', score: 42, text: 'no reply' },
  loss: { severity: 'WARNING', score: 22, text: 'packet loss' },
} satisfies Record<string, Rule>;

export const NFS_RULES = {
  serverDown: { severity: 'CRITICAL', score: 78, text: 'nfs-server not active where Pacemaker runs it' },
} satisfies Record<string, Rule>;

const TRANSITION_ROLES = new Set(['Starting', 'Stopping', 'Promoting', 'Demoting', 'Migrating']);

function p(rule: Rule, node: string | null, subject: string, extra = ''): Problem {
  return { severity: rule.severity, score: rule.score, node, subject, text: extra === '' ? rule.text : `${rule.text} ${extra}` };
}

export function drbdProblems(node: string, r: DrbdResource, complete = true): Problem[] {
  const out: Problem[] = [];
  const subject = `drbd ${r.name}`;
  if (r.splitBrainAt !== null) out.push(p(SPLIT_BRAIN, node, subject, `(since ${clock(r.splitBrainAt)})`));
  for (const d of Object.values(r.devices)) {
    const rule = d.disk === null ? undefined : DISK_RULES[d.disk];
    // Inconsistent while a resync runs is expected: the resync problem says it.
    const syncing = Object.values(r.connections).some((c) => c.peerDevices[d.volume]?.sync);
    if (rule && !(syncing && d.disk === 'Inconsistent')) out.push(p(rule, node, subject));
  }
  const conns = Object.values(r.connections);
  if (conns.length === 0 && complete && !r.fromProcOnly && r.splitBrainAt === null) {
    // 8.4 destroys the connection object in StandAlone: no connection at all means no peer configured up.
    out.push(p(CONNECTION_RULES['StandAlone']!, node, subject));
  }
  for (const c of conns) {
    const rule = c.connection === null ? undefined : CONNECTION_RULES[c.connection];
    if (rule && !(r.splitBrainAt !== null && c.connection === 'StandAlone')) {
      const oos = Object.values(c.peerDevices).reduce((a, pd) => a + (pd.oosKiB ?? 0), 0);
      out.push(p(rule, node, subject, oos > 0 ? `(${fmtKiB(oos)} out of sync)` : ''));
    }
    if (c.connection !== 'Connected') continue;
    for (const pd of Object.values(c.peerDevices)) {
      if (pd.replication !== null && RESYNC_STATES.has(pd.replication)) {
        const s = pd.sync;
        const extra = s ? `${pd.replication} ${s.percent.toFixed(1)}%` : pd.replication;
        out.push(p(RESYNC, node, subject, extra));
        continue;
      }
      const prule = pd.peerDisk === null ? undefined : PEER_DISK_RULES[pd.peerDisk];
      if (prule) out.push(p(prule, node, subject));
    }
  }
  return out;
}

export function nodeProblems(n: NodeState, now: number, cluster: CrmStatusOk | null = null): Problem[] {
  const out: Problem[] = [];
  if (n.reach.status === 'down') {
    const since = n.reach.since === null ? '' : ` since ${clock(n.reach.since)}`;
    const retry = n.reach.retryAt === null ? '' : `, retrying in ${Math.max(0, Math.ceil((n.reach.retryAt - now) / 1000))} s`;
    const why = n.reach.error ? ` (${n.reach.error})` : '';
    out.push({ ...p(UNREACHABLE, n.name, 'node'), text: `unreachable${since}${retry}${why}` });
    return out;
  }
  // Until events2's initial dump ends, a resource may not have its connection yet: not StandAlone.
  const complete = n.drbd.source !== 'events2' || n.drbd.initialDumpDone;
  for (const r of Object.values(n.drbd.resources)) out.push(...drbdProblems(n.name, r, complete));
  for (const a of n.raid.arrays) {
    const subject = `raid ${a.name}`;
    if (a.state === 'inactive') out.push(p(RAID_RULES.inactive, n.name, subject));
    const failed = a.members.filter((m) => m.faulty).map((m) => m.device);
    if (failed.length > 0) out.push(p(RAID_RULES.failedMember, n.name, subject, failed.join(', ')));
    if (a.sync && (a.sync.action === 'recovery' || a.sync.action === 'resync')) {
      out.push(p(RAID_RULES.rebuilding, n.name, subject, `${a.sync.action} ${a.sync.percent}%`));
    } else if (a.degraded && a.state !== 'inactive') out.push(p(RAID_RULES.degraded, n.name, subject, a.map === null ? '' : `[${a.map}]`));
    if (a.readOnly !== null && a.readOnly.includes('read-only')) out.push(p(RAID_RULES.readOnly, n.name, subject, `(${a.readOnly})`));
  }
  for (const lv of n.lvm.lvs) {
    if (!lv.isSnapshot) continue;
    const subject = `lvm ${lv.vg}/${lv.name}`;
    if (lv.invalid) out.push(p(LVM_RULES.invalid, n.name, subject));
    else if (lv.snapPercent !== null && lv.snapPercent >= SNAPSHOT_CRIT_PERCENT) out.push(p(LVM_RULES.full, n.name, subject, `${lv.snapPercent}%`));
    else if (lv.snapPercent !== null && lv.snapPercent >= SNAPSHOT_WARN_PERCENT) out.push(p(LVM_RULES.filling, n.name, subject, `${lv.snapPercent}%`));
  }
  for (const t of Object.values(n.ping)) {
    if (t.reachable === false) out.push(p(PING_RULES.unreachable, n.name, `ping ${t.target}`));
    else if (t.lossPercent !== null && t.lossPercent > 0) out.push(p(PING_RULES.loss, n.name, `ping ${t.target}`, `${t.lossPercent}%`));
  }
  if (n.pacemaker.error !== null) out.push(p(PACEMAKER_RULES.notRunning, n.name, 'pacemaker', `(${n.pacemaker.error})`));
  // nfs-server must be active where Pacemaker runs the nfsserver resource.
  const runsNfs = cluster?.resources.some((r) => /(:nfsserver|:nfs-server)$/.test(r.agent) && r.active && r.nodes.includes(n.name)) ?? false;
  if (runsNfs && n.nfs.server !== null && n.nfs.server !== 'active') out.push(p(NFS_RULES.serverDown, n.name, 'nfs', `(${n.nfs.server})`));
  return out;
}

type CrmStatusOk = NonNullable<NodeState['pacemaker']['status']>;

/** The cluster view: the freshest crm_mon answer among the nodes (all show the same CIB). */
export function clusterStatus(nodes: Record<string, NodeState>): CrmStatusOk | null {
  let best: { at: number; s: CrmStatusOk } | null = null;
  for (const n of Object.values(nodes)) {
    const s = n.pacemaker.status;
    if (s && (best === null || (n.pacemaker.updatedAt ?? 0) > best.at)) best = { at: n.pacemaker.updatedAt ?? 0, s };
  }
  return best?.s ?? null;
}

export function pacemakerProblems(s: CrmStatusOk): Problem[] {
  const out: Problem[] = [];
  if (s.quorum === false) out.push(p(PACEMAKER_RULES.noQuorum, null, 'pacemaker'));
  for (const node of s.nodes) {
    if (node.unclean) out.push(p(PACEMAKER_RULES.nodeUnclean, node.name, 'pacemaker'));
    else if (!node.online) out.push(p(PACEMAKER_RULES.nodeOffline, node.name, 'pacemaker'));
    else if (node.standby) out.push(p(PACEMAKER_RULES.nodeStandby, node.name, 'pacemaker'));
    else if (node.maintenance) out.push(p(PACEMAKER_RULES.nodeMaintenance, node.name, 'pacemaker'));
  }
  const standbyOrOffline = new Set(s.nodes.filter((x) => !x.online || x.standby).map((x) => x.name));
  for (const r of s.resources) {
    const subject = `pacemaker ${r.id}`;
    const where = r.nodes.length > 0 ? ` on ${r.nodes.join(', ')}` : '';
    if (r.failed) out.push(p(PACEMAKER_RULES.resourceFailed, r.nodes[0] ?? null, subject, `(${r.role}${where})`));
    else if (TRANSITION_ROLES.has(r.role) || r.pending !== null) {
      out.push(p(PACEMAKER_RULES.transition, r.nodes[0] ?? null, subject, `(${r.pending ?? r.role}${where})`));
    } else if (r.role === 'Stopped') {
      // A clone instance stopped because its node is away is reported on that node already.
      if (r.parentKind === 'clone') {
        if (standbyOrOffline.size === 0) out.push(p(PACEMAKER_RULES.instanceStopped, null, subject));
      } else out.push(p(PACEMAKER_RULES.resourceStopped, null, subject));
    }
  }
  // A node serves when a resource outside a clone runs there (the group: filesystem, NFS, virtual IP); a
  // clone instance (DRBD Unpromoted, the ping clone) runs on every node alike.
  const serves = (node: string) => s.resources.some((r) => r.active && r.parentKind !== 'clone' && r.nodes.includes(node));
  for (const [node, attrs] of Object.entries(s.attributes)) {
    for (const [name, a] of Object.entries(attrs)) {
      if (name !== 'pingd' && !name.startsWith('pingd')) continue;
      if (Number(a.value) === 0) out.push(p(serves(node) ? PACEMAKER_RULES.pingLost : PACEMAKER_RULES.pingLostPassive, node, `ping attribute ${name}`));
      else if (a.expected !== null && Number(a.value) < Number(a.expected)) {
        out.push(p(PACEMAKER_RULES.pingDegraded, node, `ping attribute ${name}`, `(${a.value} of ${a.expected})`));
      }
    }
  }
  const seen = new Set<string>();
  for (const f of s.failures) {
    const fc = s.failCounts.find((c) => c.node === f.node && c.resource === f.resource);
    seen.add(`${f.node}/${f.resource}`);
    const count = fc ? `, fail-count ${fc.failCount}` : '';
    out.push(p(PACEMAKER_RULES.failedAction, f.node, `pacemaker ${f.resource}`, `${f.task} '${f.exitStatus}' at ${f.lastRcChange}${count}`));
  }
  for (const fc of s.failCounts) {
    if (seen.has(`${fc.node}/${fc.resource}`) || fc.failCount <= 0) continue;
    out.push(p(PACEMAKER_RULES.failedAction, fc.node, `pacemaker ${fc.resource}`, `fail-count ${fc.failCount}${fc.lastFailure ? ` (last ${fc.lastFailure})` : ''}`));
  }
  return out;
}

/** A node we have heard nothing from yet: its health is unknown, not OK. */
function knowsNothing(n: NodeState): boolean {
  return (
    n.reach.status === 'unknown' && n.drbd.updatedAt === null && n.pacemaker.updatedAt === null && n.raid.updatedAt === null &&
    n.lvm.updatedAt === null && n.nfs.updatedAt === null && Object.keys(n.ping).length === 0
  );
}

export interface HealthReport {
  overall: Severity;
  problems: Problem[];
}

const byWorst = (a: Problem, b: Problem): number =>
  SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.score - a.score || (a.node ?? '').localeCompare(b.node ?? '');

export function assessHealth(state: MonitorState): HealthReport {
  const problems: Problem[] = [];
  const cluster = clusterStatus(state.nodes);
  for (const name of state.nodeOrder) {
    const n = state.nodes[name];
    if (!n) continue;
    if (knowsNothing(n)) problems.push({ severity: 'UNKNOWN', score: 50, node: name, subject: 'node', text: `${name}: no data yet` });
    else problems.push(...nodeProblems(n, state.now, cluster));
  }
  if (cluster) problems.push(...pacemakerProblems(cluster));
  for (const name of state.nodeOrder) {
    const n = state.nodes[name];
    if (n && !knowsNothing(n)) problems.push(...readingProblems(n, state));
  }
  const exp = effectiveExpected(state);
  if (exp !== null) problems.push(...missingProblems(state, exp));
  problems.push(...adminProblems(state));
  problems.push(...fencingProblems(state));
  if (exp !== null) problems.splice(0, problems.length, ...withoutUnexpected(problems, state, exp));
  // Two Primaries of one resource without a split brain recorded: dual-primary where none is configured.
  const primaries = new Map<string, string[]>();
  for (const n of Object.values(state.nodes)) {
    for (const r of Object.values(n.drbd.resources)) if (r.role === 'Primary') primaries.set(r.name, [...(primaries.get(r.name) ?? []), n.name]);
  }
  for (const [res, nodes] of primaries) {
    if (nodes.length > 1) problems.push({ severity: 'CRITICAL', score: 98, node: null, subject: `drbd ${res}`, text: `Primary on ${nodes.join(' and ')} at once` });
  }
  problems.sort(byWorst);
  const overall = problems.reduce<Severity>((w, x) => (SEVERITY_RANK[x.severity] > SEVERITY_RANK[w] ? x.severity : w), 'OK');
  return { overall, problems };
}
