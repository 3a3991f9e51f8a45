// One-line summaries of each part of a node and of the cluster, shared by the plain-text snapshot
// (--once) and the live screens, so both say exactly the same thing. Pure.
import type { CrmStatus } from '../probes/crm-mon.js';
import { COMPONENTS, readingState, type DrbdResource, type NodeState } from './model.js';
import { bar, clock, fmtAge, fmtBytes, fmtEta, fmtKiB, fmtRate } from './units.js';

export interface SyncLine {
  resource: string;
  replication: string;
  percent: number;
  rateKiBs: number | null;
  etaSec: number | null;
  oosKiB: number;
}

/** "r0: Primary UpToDate, peer Secondary UpToDate, Connected/Established". */
export function drbdResourceLine(r: DrbdResource): string {
  const disks = Object.values(r.devices).map((d) => d.disk ?? '?').join(',') || '?';
  const conns = Object.values(r.connections);
  if (r.splitBrainAt !== null) return `${r.name}: ${r.role ?? '?'} ${disks}, SPLIT BRAIN since ${clock(r.splitBrainAt)}`;
  if (conns.length === 0) return `${r.name}: ${r.role ?? '?'} ${disks}, no peer connection (StandAlone)`;
  const parts = conns.map((c) => {
    const pds = Object.values(c.peerDevices);
    const peerDisk = pds.map((p) => p.peerDisk ?? '?').join(',') || '?';
    const repl = pds.map((p) => p.replication ?? '?').join(',') || '?';
    const oos = pds.reduce((a, p) => a + (p.oosKiB ?? 0), 0);
    return `peer ${c.peerRole ?? '?'} ${peerDisk}, ${c.connection ?? '?'}/${repl}${oos > 0 ? `, ${fmtKiB(oos)} out of sync` : ''}`;
  });
  return `${r.name}: ${r.role ?? '?'} ${disks}, ${parts.join('; ')}`;
}

export function syncLines(r: DrbdResource): SyncLine[] {
  const out: SyncLine[] = [];
  for (const c of Object.values(r.connections)) {
    for (const pd of Object.values(c.peerDevices)) {
      if (pd.sync === null) continue;
      out.push({ resource: r.name, replication: pd.replication ?? '?', percent: pd.sync.percent, rateKiBs: pd.sync.rateKiBs, etaSec: pd.sync.etaSec, oosKiB: pd.sync.oosKiB });
    }
  }
  return out;
}

/** "SyncSource [####......] 42.0% 19.0 MiB/s ETA 0:00:05, 95.0 MiB left" in `width` bar cells. */
export function syncText(s: SyncLine, width = 20): string {
  return `${s.replication} ${bar(s.percent, width)} ${s.percent.toFixed(1)}% ${fmtRate(s.rateKiBs)} ETA ${fmtEta(s.etaSec)}, ${fmtKiB(s.oosKiB)} left`;
}

export function raidLines(n: NodeState): string[] {
  if (n.raid.error !== null) return [`RAID: ${n.raid.error}`];
  if (n.raid.updatedAt === null) return [];
  if (n.raid.arrays.length === 0) return ['RAID: no md arrays'];
  return n.raid.arrays.map((a) => {
    const failed = a.members.filter((m) => m.faulty).map((m) => `${m.device}(F)`);
    const prog = a.sync ? `, ${a.sync.action} ${bar(a.sync.percent, 10)} ${a.sync.percent}%${a.sync.finishMinutes !== null ? ` ~${a.sync.finishMinutes} min` : ''}` : '';
    const map = a.map === null ? '' : `[${a.map}]`;
    return `RAID ${a.name}: ${a.state}${a.readOnly ? ` (${a.readOnly})` : ''} ${a.level ?? ''} ${map}${a.degraded ? ' DEGRADED' : ''}${failed.length ? ` failed ${failed.join(' ')}` : ''}${prog}`.replace(/\s+/g, ' ').trim();
  });
}

export function lvmLines(n: NodeState, now: number): string[] {
  if (n.lvm.error !== null) return [`LVM: ${n.lvm.error}`];
  if (n.lvm.updatedAt === null) return [];
  const out = n.lvm.vgs.map((vg) => `LVM ${vg.name}: ${fmtBytes(vg.freeBytes)} free of ${fmtBytes(vg.sizeBytes)}`);
  for (const lv of n.lvm.lvs.filter((l) => l.isSnapshot)) {
    const age = lv.createdAt === null ? '' : `, ${fmtAge(now - lv.createdAt)} old`;
    out.push(`  snapshot ${lv.vg}/${lv.name} of ${lv.origin ?? '?'}: ${lv.invalid ? 'INVALID' : `${lv.snapPercent ?? '?'}% full`}${age}`);
  }
  return out;
}

export function pingLines(n: NodeState, cluster: CrmStatus | null): string[] {
  const targets = Object.values(n.ping).map((t) =>
    t.error !== null ? `${t.target} ${t.error}` : `${t.target} ${t.reachable ? `ok ${t.rttMs ?? '?'} ms` : 'NO REPLY'}${t.lossPercent ? ` ${t.lossPercent}% loss` : ''}`,
  );
  const attr = cluster?.attributes[n.name]?.['pingd'];
  const pingd = attr ? `pingd ${attr.value}${attr.expected !== null ? `/${attr.expected}` : ''}` : '';
  const parts = [...targets, pingd].filter((x) => x !== '');
  return parts.length === 0 ? [] : [`Ping: ${parts.join('; ')}`];
}

export function nfsLines(n: NodeState): string[] {
  if (n.nfs.updatedAt === null) return [];
  const exp = n.nfs.exports.map((e) => `${e.path} -> ${e.clients.map((c) => c.client).join(',')}`).join('; ');
  return [`NFS: nfs-server ${n.nfs.server ?? '?'}${exp ? `, exports ${exp}` : ', nothing exported'}`];
}

export function clusterLines(s: CrmStatus | null, errors: string[]): string[] {
  if (s === null) return [errors.length > 0 ? `Pacemaker: ${errors.join('; ')}` : 'Pacemaker: no answer yet'];
  const nodes = s.nodes.map((n) => `${n.name} ${!n.online ? 'OFFLINE' : n.standby ? 'standby' : n.maintenance ? 'maintenance' : 'online'}`);
  const out = [`Pacemaker: DC ${s.dc ?? 'none'}, quorum ${s.quorum === null ? '?' : s.quorum ? 'yes' : 'NO'}; ${nodes.join(', ')}`];
  const vip = s.resources.find((r) => r.agent.endsWith(':IPaddr2'));
  const nfs = s.resources.find((r) => /(:nfsserver|:nfs-server)$/.test(r.agent));
  out.push(`  virtual IP (${vip?.id ?? '-'}) on ${vip?.nodes.join(',') || 'nowhere'}; NFS server (${nfs?.id ?? '-'}) on ${nfs?.nodes.join(',') || 'nowhere'}`);
  const byId = new Map<string, string[]>();
  for (const r of s.resources) {
    const label = `${r.role}${r.pending ? `(${r.pending})` : ''}${r.failed ? ' FAILED' : ''}${r.nodes.length ? ` ${r.nodes.join(',')}` : ''}`;
    byId.set(r.id, [...(byId.get(r.id) ?? []), label]);
  }
  out.push(`  ${[...byId].map(([id, l]) => `${id} ${l.join(' / ')}`).join('; ')}`);
  for (const f of s.failures) {
    const fc = s.failCounts.find((c) => c.node === f.node && c.resource === f.resource);
    out.push(`  failed: ${f.resource} ${f.task} '${f.exitStatus}' on ${f.node} at ${f.lastRcChange}${fc ? `, fail-count ${fc.failCount}` : ''}`);
  }
  return out;
}

export function reachLine(n: NodeState, now: number): string {
  if (n.reach.status === 'down') {
    const retry = n.reach.retryAt === null ? '' : `, retrying in ${Math.max(0, Math.ceil((n.reach.retryAt - now) / 1000))} s`;
    return `unreachable since ${n.reach.since === null ? '?' : clock(n.reach.since)}${retry}${n.reach.error ? ` (${n.reach.error})` : ''}`;
  }
  return n.reach.status === 'up' ? `reachable (${n.target})` : `connecting (${n.target})`;
}

/** One line per reading that is not fresh: "raid: UNKNOWN (failed: timed out after 10.0 s; last good 2 min ago)". */
export function readingLines(n: NodeState, now: number, intervalMs: number): string[] {
  if (n.reach.status === 'down') return [];
  const out: string[] = [];
  for (const c of COMPONENTS) {
    const r = n.readings[c];
    const st = readingState(c, r, now, intervalMs);
    if (st === 'fresh' || st === 'pending') continue;
    const age = r.okAt === null ? 'never read' : `last good ${fmtAge(Math.max(0, now - r.okAt))} ago`;
    out.push(`${c}: UNKNOWN (${st}${r.error ? `: ${r.error}` : ''}; ${age})`);
  }
  return out;
}
