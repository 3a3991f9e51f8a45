// The three non-interactive outputs of `monitor`: a plain-text snapshot (--once), a JSON snapshot (--json,
// schema in docs/monitor-json.md) and one Nagios/Icinga check line (--check). Pure: state in, text out.
import { assessHealth, clusterStatus, EXIT_CODE, type HealthReport, type Severity } from './health.js';
import { COMPONENTS, readingState, staleBaseMs, type DrbdResource, type MonitorState, type NodeState } from './model.js';
import { effectiveExpected, unexpectedItems } from './health-readings.js';
import { fencingLines, fencingView } from './fencing.js';
import { clusterLines, drbdResourceLine, lvmLines, nfsLines, pingLines, raidLines, reachLine, syncLines, syncText } from './summary.js';

/** Bumped only for incompatible changes; fields may be added within a version. */
export const MONITOR_JSON_SCHEMA_VERSION = 1;

export function formatText(state: MonitorState, health: HealthReport = assessHealth(state)): string {
  const out: string[] = [];
  const when = new Date(state.now).toISOString().replace('T', ' ').slice(0, 19);
  out.push(`hanfs monitor ${when} UTC  health: ${health.overall}`);
  for (const p of health.problems) out.push(`  ${p.severity.padEnd(8)} ${p.node ?? 'cluster'}: ${p.subject}: ${p.text}`);
  const cluster = clusterStatus(state.nodes);
  const pcmkErrors = state.nodeOrder.map((n) => state.nodes[n]?.pacemaker.error).filter((e): e is string => e !== null && e !== undefined);
  out.push('');
  out.push(...clusterLines(cluster, [...new Set(pcmkErrors)]));
  out.push(...fencingLines(fencingView(state)));
  for (const name of state.nodeOrder) {
    const n = state.nodes[name];
    if (!n) continue;
    out.push('');
    out.push(`${name}: ${reachLine(n, state.now)}`);
    if (n.reach.status === 'down') continue;
    const resources = Object.values(n.drbd.resources);
    if (n.drbd.error !== null) out.push(`  DRBD: ${n.drbd.error}`);
    else if (resources.length === 0 && n.drbd.updatedAt !== null) out.push('  DRBD: no resource up');
    for (const r of resources) {
      out.push(`  DRBD ${drbdResourceLine(r)}`);
      for (const s of syncLines(r)) out.push(`    ${syncText(s)}`);
    }
    for (const l of [...raidLines(n), ...lvmLines(n, state.now), ...pingLines(n, cluster), ...nfsLines(n)]) out.push(`  ${l}`);
    for (const [c, r] of Object.entries(readingsOf(n, state))) {
      if (r.state === 'failed' || r.state === 'stale') out.push(`  ${c}: UNKNOWN (${r.state}${r.error ? `: ${r.error}` : ''}; ${r.ageSec === null ? 'never read' : `last good reading ${r.ageSec} s ago`})`);
    }
    for (const e of n.errors) out.push(`  error ${e.text}`);
  }
  const exp = effectiveExpected(state);
  const unexpected = unexpectedItems(state, exp);
  if (unexpected.length > 0) out.push('', `Present, not expected (shown, not judged): ${unexpected.join('; ')}`);
  // Where the expectation is incomplete (a file not read): said, so a "nothing missing" is read rightly.
  if (exp?.notes !== undefined && exp.notes.length > 0) out.push('', `Expected topology incomplete: ${exp.notes.join('; ')}`);
  return out.join('\n') + '\n';
}

/** Each reading's state and age, for --json and the text snapshot. */
export function readingsOf(n: NodeState, state: MonitorState): Record<string, { state: string; ageSec: number | null; error: string | null }> {
  const out: Record<string, { state: string; ageSec: number | null; error: string | null }> = {};
  for (const c of COMPONENTS) {
    const r = n.readings[c];
    out[c] = { state: n.reach.status === 'down' ? 'failed' : readingState(c, r, state.now, staleBaseMs(state)), ageSec: r.okAt === null ? null : Math.max(0, Math.round((state.now - r.okAt) / 100) / 10), error: n.reach.status === 'down' ? 'node unreachable' : r.error };
  }
  return out;
}

/** Whether the cluster runs without fencing (as the freshest crm_mon says). */
function fencingDisabled(state: MonitorState): boolean {
  return Object.values(state.nodes).some((n) => n.pacemaker.extras?.stonithEnabled === false);
}

export function formatJson(state: MonitorState, health: HealthReport = assessHealth(state)): string {
  const cluster = clusterStatus(state.nodes);
  const doc = {
    schemaVersion: MONITOR_JSON_SCHEMA_VERSION,
    generatedAt: new Date(state.now).toISOString(),
    health: health.overall,
    exitCode: EXIT_CODE[health.overall],
    problems: health.problems,
    acceptNoFencing: state.acceptNoFencing,
    expected: effectiveExpected(state),
    unexpected: unexpectedItems(state, effectiveExpected(state)),
    cluster: cluster === null ? null : jsonCluster(cluster),
    // Fence devices, the fencer's last events and the UNCLEAN nodes (fencing.ts); null before crm_mon answered.
    fencing: fencingView(state),
    nodes: state.nodeOrder.flatMap((name) => {
      const n = state.nodes[name];
      return n ? [jsonNode(name, n, state)] : [];
    }),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

// The parts of the --json document (docs/monitor-json.md), each mapped field by field so the schema stays
// stable whatever the probes' types add; the order of the keys is the schema's.

function jsonCluster(cluster: NonNullable<ReturnType<typeof clusterStatus>>) {
  return {
    dc: cluster.dc,
    quorum: cluster.quorum,
    nodes: cluster.nodes.map((n) => ({ name: n.name, online: n.online, standby: n.standby, maintenance: n.maintenance, unclean: n.unclean, isDc: n.isDc })),
    resources: cluster.resources.map((r) => ({ id: r.id, agent: r.agent, role: r.role, nodes: r.nodes, failed: r.failed, pending: r.pending, parent: r.parent })),
    attributes: cluster.attributes,
    failures: cluster.failures,
    failCounts: cluster.failCounts.map((f) => ({ ...f, failCount: Number.isFinite(f.failCount) ? f.failCount : 'INFINITY' })),
  };
}

function jsonNode(name: string, n: NodeState, state: MonitorState) {
  return {
    name,
    target: n.target,
    reachability: n.reach,
    readings: readingsOf(n, state),
    clockOffsetMs: n.clockOffsetMs,
    drbd: {
      source: n.drbd.source,
      version: n.drbd.version,
      error: n.drbd.error,
      resources: Object.values(n.drbd.resources).map(jsonDrbdResource),
    },
    raid: jsonRaid(n),
    lvm: n.lvm,
    ping: Object.values(n.ping),
    nfs: n.nfs,
    pacemakerError: n.pacemaker.error,
    lastErrors: n.errors,
  };
}

function jsonDrbdResource(r: DrbdResource) {
  return {
    name: r.name,
    role: r.role,
    splitBrainAt: r.splitBrainAt === null ? null : new Date(r.splitBrainAt).toISOString(),
    devices: Object.values(r.devices),
    connections: Object.values(r.connections).map((c) => ({
      peerNodeId: c.peerNodeId,
      connName: c.connName,
      connection: c.connection,
      peerRole: c.peerRole,
      peerDevices: Object.values(c.peerDevices).map((p) => ({
        volume: p.volume,
        replication: p.replication,
        peerDisk: p.peerDisk,
        outOfSyncKiB: p.oosKiB,
        sync: p.sync === null ? null : { percent: p.sync.percent, totalKiB: p.sync.totalKiB, outOfSyncKiB: p.sync.oosKiB, rateKiBs: p.sync.rateKiBs, etaSec: p.sync.etaSec },
      })),
    })),
    lastEvents: r.events,
    lastErrors: r.errors,
  };
}

function jsonRaid(n: NodeState) {
  return {
    arrays: n.raid.arrays.map((a) => ({
      name: a.name,
      state: a.state,
      readOnly: a.readOnly,
      level: a.level,
      members: a.members.map((m) => ({ device: m.device, slot: m.slot, faulty: m.faulty, spare: m.spare })),
      raidDevices: a.raidDevices,
      workingDevices: a.workingDevices,
      map: a.map,
      degraded: a.degraded,
      sync: a.sync === null ? null : { action: a.sync.action, percent: a.sync.percent, finishMinutes: a.sync.finishMinutes, speedKiBs: a.sync.speedKBps },
    })),
    error: n.raid.error,
    updatedAt: n.raid.updatedAt,
  };
}

/** One line, Nagios plugin style: `HANFS CRITICAL - 2 problems: node2 drbd r0: ...; ...`. */
export function formatCheck(state: MonitorState, health: HealthReport = assessHealth(state)): { line: string; exitCode: number } {
  const n = health.problems.length;
  const what = health.problems.slice(0, 3).map((p) => `${p.node ?? 'cluster'} ${p.subject}: ${p.text}`);
  const more = n > 3 ? `; +${n - 3} more` : '';
  const detail = n === 0 ? 'all nodes, DRBD, RAID, Pacemaker and NFS fine' : `${n} problem${n === 1 ? '' : 's'}: ${what.join('; ')}${more}`;
  // An accepted risk is still said, so whoever reads the check knows it was accepted, not absent.
  const accepted = state.acceptNoFencing && fencingDisabled(state) ? ' (fencing disabled: accepted with --accept-no-fencing)' : '';
  return { line: `HANFS ${health.overall} - ${detail}${accepted}`.replace(/\n/g, ' '), exitCode: EXIT_CODE[health.overall] };
}

export function exitCodeFor(severity: Severity): number {
  return EXIT_CODE[severity];
}
