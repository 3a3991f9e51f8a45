// What an HA admin must never miss, each with one line of why and what to do (issue 24, point 3):
// fencing disabled, DRBD's fence-peer constraint, maintenance mode, unmanaged resources, fail counts
// nearing the migration threshold, constraints left by a move or ban, stalled resyncs and clock skew.
// (Snapshots and RAID members are judged in health.ts.) Pure: state in, problems out.
import type { MonitorState, NodeState } from './model.js';
import type { Problem } from './problem.js';
import { RESYNC_STATES } from './progress.js';
import { fmtAge } from './units.js';

export const CLOCK_SKEW_MAX_MS = 2000;
/** A resync with no progress for this many intervals is stalled. */
export const STALL_INTERVALS = 3;

const w = (score: number, node: string | null, subject: string, text: string): Problem => ({ severity: 'WARNING', score, node, subject, text });

/** The freshest node that reports Pacemaker (and its crm_mon extras and CIB). */
function freshestPcmk(state: MonitorState): NodeState | null {
  let best: NodeState | null = null;
  for (const n of Object.values(state.nodes)) {
    if (n.pacemaker.status === null) continue;
    if (best === null || (n.pacemaker.updatedAt ?? 0) > (best.pacemaker.updatedAt ?? 0)) best = n;
  }
  return best;
}

export function adminProblems(state: MonitorState): Problem[] {
  const out: Problem[] = [];
  const pn = freshestPcmk(state);
  const status = pn?.pacemaker.status ?? null;
  const extras = pn?.pacemaker.extras ?? null;
  if (extras?.stonithEnabled === false && !state.acceptNoFencing) {
    out.push(w(58, null, 'fencing', 'fencing disabled (stonith-enabled=false): a hung node cannot be powered off, so a takeover can run the service twice or not at all; configure a fence device (docs/ha-tuning.md), or pass --accept-no-fencing if this is deliberate'));
  }
  if (extras?.maintenanceMode === true) {
    out.push(w(57, null, 'pacemaker', 'maintenance-mode=true: Pacemaker watches but starts, stops and fails over nothing; end it with `hanfs-wizard maintenance off` (or `crm configure property maintenance-mode=false`)'));
  }
  if (extras?.stopAllResources === true) out.push(w(56, null, 'pacemaker', 'stop-all-resources=true: every resource is held stopped; `crm configure property stop-all-resources=false`'));
  if (status !== null) {
    const seen = new Set<string>();
    for (const r of status.resources) {
      if (r.managed || seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(w(54, r.nodes[0] ?? null, `pacemaker ${r.id}`, `unmanaged: Pacemaker will not recover or move it; \`crm resource manage ${r.parent ?? r.id}\` when done`));
    }
    for (const fc of status.failCounts) {
      const base = fc.resource.replace(/:\d+$/, '');
      const mt = extras?.migrationThreshold[fc.node]?.[fc.resource] ?? extras?.migrationThreshold[fc.node]?.[base];
      if (mt === undefined || !Number.isFinite(mt) || mt <= 0 || fc.failCount < mt / 2) continue;
      const left = Number.isFinite(fc.failCount) ? ` (${fc.failCount} of ${mt})` : '';
      out.push(w(52, fc.node, `pacemaker ${base}`, `fail count at or above half the migration-threshold${left}: a few more failures and it is banned from ${fc.node}; find the cause, then \`crm resource cleanup ${base}\``));
    }
  }
  const cib = pn?.cib ?? null;
  if (cib !== null) {
    for (const l of cib.locations) {
      if (l.kind === 'cli-prefer') out.push(w(48, l.node, `pacemaker ${l.rsc ?? l.id}`, `constraint ${l.id} left by \`crm resource move\`: ${l.rsc} is pinned to ${l.node ?? '?'} and will not fail back by itself; \`crm resource clear ${l.rsc}\``));
      else if (l.kind === 'cli-ban') out.push(w(48, l.node, `pacemaker ${l.rsc ?? l.id}`, `constraint ${l.id} left by \`crm resource ban\`: ${l.rsc} may not run on ${l.node ?? '?'}, so there is no failover there; \`crm resource clear ${l.rsc}\``));
      else if (l.kind === 'drbd-fence') {
        out.push(w(62, l.node, `pacemaker ${l.rsc ?? l.id}`, `DRBD fence-peer constraint ${l.id} in place: DRBD lost its peer and only ${l.node ?? 'the node holding good data'} may be Primary until the peer has resynced (the after-resync-target handler removes it); if both are UpToDate and it stays, \`crm configure delete ${l.id}\``));
      }
    }
  }
  // Stalled resyncs (our clock: no movement for STALL_INTERVALS polls).
  const stallMs = STALL_INTERVALS * state.intervalMs;
  for (const name of state.nodeOrder) {
    const n = state.nodes[name];
    if (!n || n.reach.status !== 'up') continue;
    for (const r of Object.values(n.drbd.resources)) {
      for (const c of Object.values(r.connections)) {
        for (const pd of Object.values(c.peerDevices)) {
          if (pd.replication === null || !RESYNC_STATES.has(pd.replication) || pd.progressAt === null) continue;
          if (pd.replication.startsWith('Paused')) continue;
          if (state.now - pd.progressAt > stallMs) out.push(w(45, name, `drbd ${r.name}`, `resync stalled: no progress for ${fmtAge(state.now - pd.progressAt)} (${pd.replication}); check the replication link and \`drbdadm status\``));
        }
      }
    }
    for (const a of n.raid.arrays) {
      const p = n.raidProgress[a.name];
      if (a.sync === null || p === undefined) continue;
      if (state.now - p.since > stallMs) out.push(w(45, name, `raid ${a.name}`, `${a.sync.action} stalled at ${a.sync.percent}% for ${fmtAge(state.now - p.since)}; check the disks (dmesg) and /sys/block/${a.name}/md/sync_action`));
    }
  }
  // Clock skew between the nodes.
  const offsets = state.nodeOrder.map((nm) => ({ nm, o: state.nodes[nm]?.reach.status === 'up' ? state.nodes[nm]?.clockOffsetMs ?? null : null })).filter((x): x is { nm: string; o: number } => x.o !== null);
  if (offsets.length >= 2) {
    const lo = offsets.reduce((a, b) => (b.o < a.o ? b : a));
    const hi = offsets.reduce((a, b) => (b.o > a.o ? b : a));
    if (hi.o - lo.o > CLOCK_SKEW_MAX_MS) {
      out.push(w(44, null, 'clock', `clock skew ${((hi.o - lo.o) / 1000).toFixed(1)} s between ${lo.nm} and ${hi.nm}: logs no longer line up and NFS leases and Kerberos suffer; run chrony or systemd-timesyncd on both`));
    }
  }
  return out;
}
