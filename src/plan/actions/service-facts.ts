// Where the service runs and whether a node may take it over, read from the facts every action has
// (crm_mon, the CIB, each node's own events2). Shared by switchover, standby/online and maintenance.
// The ids are read from the cluster, never assumed: the generated CIB names the group g_nfs and the
// promotable clone cl_drbd_<res> (src/generate/cib-model.ts), the lab's hand-built one ms_drbd_r0; both
// put the group with the clone's Promoted instance. Pure.
import type { RunResult } from '../../exec/runner.js';
import { succeeded } from '../../exec/runner.js';
import type { CibFacts, CibLocation } from '../../probes/cib-facts.js';
import { parseCibFacts } from '../../probes/cib-facts.js';
import { parseCrmMon, type CrmStatus } from '../../probes/crm-mon.js';
import type { ProbeCheck } from '../types.js';
import { drbdFactsFrom, FACT_ARGV, type ClusterFacts } from './cluster-facts.js';

/** The service as the cluster declares it. */
export interface ServiceShape {
  /** The group that holds the filesystem, the NFS server, the exports and the virtual IP. */
  group: string;
  members: string[];
  /** The promotable clone of the DRBD primitive, and the primitive. */
  drbdClone: string | null;
  drbdPrimitive: string | null;
  /** The DRBD resource name (the primitive's drbd_resource), as events2 names it. */
  drbdResource: string | null;
  /** The export directories (the exportfs primitives' `directory`). */
  exportDirs: string[];
}

/** A clone instance (`p_drbd_r0:1`) is its primitive. */
export const baseId = (id: string) => id.replace(/:\d+$/, '');

const SERVICE_AGENTS = [':IPaddr2', ':exportfs', ':nfsserver', 'systemd:nfs-server'];

/** The service's group and DRBD clone from crm_mon's resources (and the CIB's parameters), or null. */
export function serviceShape(crm: CrmStatus, cib: CibFacts | null): ServiceShape | null {
  const inGroup = crm.resources.filter((r) => r.parentKind === 'group' && r.parent !== null);
  const group = inGroup.find((r) => SERVICE_AGENTS.some((a) => r.agent.endsWith(a)))?.parent ?? null;
  if (group === null) return null;
  const members = [...new Set(inGroup.filter((r) => r.parent === group).map((r) => baseId(r.id)))];
  const drbd = crm.resources.find((r) => r.agent === 'ocf:linbit:drbd' && r.parentKind === 'clone');
  const drbdPrimitive = drbd ? baseId(drbd.id) : null;
  const prim = cib?.primitives.find((p) => p.id === drbdPrimitive);
  const exportDirs = (cib?.primitives ?? []).filter((p) => members.includes(p.id) && p.agent.endsWith(':exportfs')).map((p) => p.params['directory']).filter((d): d is string => !!d);
  return { group, members, drbdClone: drbd?.parent ?? null, drbdPrimitive, drbdResource: prim?.params['drbd_resource'] ?? null, exportDirs };
}

/** The node where DRBD is Promoted and every member of the group is Started, or null (moving, stopped, split). */
export function serviceNode(crm: CrmStatus, shape: ServiceShape): string | null {
  const promoted = shape.drbdPrimitive === null ? [] : crm.resources.filter((r) => baseId(r.id) === shape.drbdPrimitive && r.role === 'Promoted').flatMap((r) => r.nodes);
  const started = shape.members.map((m) => crm.resources.filter((r) => baseId(r.id) === m && r.role === 'Started' && r.active).flatMap((r) => r.nodes));
  const first = started[0]?.[0];
  if (first === undefined || !started.every((ns) => ns.length === 1 && ns[0] === first)) return null;
  if (shape.drbdPrimitive !== null && !(promoted.length === 1 && promoted[0] === first)) return null;
  return first;
}

/** Every resource id of ours (the group, its members, the DRBD clone and primitive). */
export function ourIds(shape: ServiceShape): Set<string> {
  return new Set([shape.group, ...shape.members, ...(shape.drbdClone ? [shape.drbdClone] : []), ...(shape.drbdPrimitive ? [shape.drbdPrimitive] : [])]);
}

/** Resources of ours active on `node` (a clone instance included). */
export function activeOn(crm: CrmStatus, shape: ServiceShape, node: string): string[] {
  const ours = ourIds(shape);
  return crm.resources.filter((r) => ours.has(baseId(r.id)) && r.active && r.nodes.includes(node)).map((r) => `${baseId(r.id)} (${r.role})`);
}

/** The failed actions on our resources, one line each. */
export function ourFailures(crm: CrmStatus, shape: ServiceShape): string[] {
  const ours = ourIds(shape);
  return crm.failures.filter((f) => ours.has(baseId(f.resource))).map((f) => `${baseId(f.resource)} ${f.task} on ${f.node}: ${f.exitStatus}${f.exitReason ? ` (${f.exitReason})` : ''}`);
}

/** Why `node`'s DRBD (its kernel's own word) cannot take the service, or null when it can: UpToDate and connected. */
export function drbdNotReady(facts: ClusterFacts, node: string, resource: string | null): string | null {
  const n = facts.nodes.find((x) => x.name === node);
  if (!n) return `${node} was not read`;
  if (n.drbd === null) return `${node}'s DRBD state could not be read (${n.drbdError})`;
  const r = resource === null ? n.drbd[0] : n.drbd.find((d) => d.name === resource);
  if (!r) return `${node} has no DRBD resource ${resource ?? ''}`.trimEnd();
  if (r.disk !== 'UpToDate') return `DRBD ${r.name} on ${node} is ${r.disk ?? 'without a disk state'}, not UpToDate`;
  if (r.connection !== 'Connected') return `DRBD ${r.name} on ${node} is ${r.connection ?? 'not connected'} to its peer, not Connected (its data may lag behind)`;
  if (r.replication !== null && r.replication !== 'Established') return `DRBD ${r.name} on ${node} is ${r.replication} (a resync runs), not Established`;
  return null;
}

/** Pacemaker's word on a node: why it cannot run resources, or null. */
export function nodeNotReady(crm: CrmStatus, node: string): string | null {
  const n = crm.nodes.find((x) => x.name === node);
  if (!n) return `${node} is not a node of this cluster`;
  if (!n.online) return `${node} is offline in Pacemaker`;
  if (n.standby) return `${node} is in standby (hanfs-wizard online ${node})`;
  if (n.maintenance) return `${node} is in maintenance`;
  if (n.unclean || n.pending || n.shutdown) return `${node} is ${n.unclean ? 'unclean' : n.pending ? 'pending' : 'shutting down'}`;
  return null;
}

/** The maintenance-mode cluster option as the CIB's crm_config holds it. */
export function maintenanceMode(cib: CibFacts | null): boolean {
  return cib?.clusterOptions['maintenance-mode'] === 'true';
}

/** The location constraints crm_resource --move/--ban left (cli-prefer, cli-ban) on `ids`. */
export function cliConstraints(cib: CibFacts, ids: Set<string>): CibLocation[] {
  return cib.locations.filter((l) => (l.kind === 'cli-prefer' || l.kind === 'cli-ban') && l.rsc !== null && ids.has(l.rsc));
}

/** What stands in the way of any move (the same for switchover and standby): one line each. */
export function moveBlockers(facts: ClusterFacts, crm: CrmStatus, shape: ServiceShape): string[] {
  const out: string[] = [];
  if (crm.quorum !== true) out.push('the cluster has no quorum: Pacemaker moves nothing without it');
  if (maintenanceMode(facts.cib)) out.push('the cluster is in maintenance mode: Pacemaker moves nothing (hanfs-wizard maintenance off first)');
  for (const f of ourFailures(crm, shape)) out.push(`failed action in the way: ${f}; fix its cause, then hanfs-wizard cleanup`);
  const ours = ourIds(shape);
  for (const r of crm.resources) {
    if (!ours.has(baseId(r.id))) continue;
    if (!r.managed) out.push(`${baseId(r.id)} is unmanaged: Pacemaker will not move it (crm resource manage ${r.parent ?? baseId(r.id)})`);
    if (r.pending) out.push(`${baseId(r.id)} is busy (${r.pending}): wait until the cluster settles`);
  }
  if (facts.cib) {
    for (const l of facts.cib.locations.filter((x) => x.kind === 'drbd-fence')) {
      out.push(`DRBD's fence-peer handler left ${l.id} (the peer's data is outdated until its resync ends): wait for the resync`);
    }
  }
  return [...new Set(out)];
}

const crmJudge = (f: (crm: CrmStatus) => boolean) => (r: RunResult): boolean => {
  if (!succeeded(r)) return false;
  const p = parseCrmMon(r.stdout);
  return p.ok && f(p);
};

/** crm_mon shows the service (DRBD Promoted, every group member Started) on `node`. */
export function serviceOnCheck(shape: ServiceShape, node: string): ProbeCheck {
  return { kind: 'probe', argv: FACT_ARGV.crmMon, describe: `crm_mon shows DRBD Promoted and ${shape.group} started on ${node}`, judge: crmJudge((c) => serviceNode(c, shape) === node) };
}

/** Failures of ours in a crm_mon reading: a verify waits for nothing once one shows (blockers). */
export function failureBlocker(shape: ServiceShape, next: string) {
  return (r: RunResult): { lines: string[]; next: string } | null => {
    if (!succeeded(r)) return null;
    const p = parseCrmMon(r.stdout);
    if (!p.ok) return null;
    const lines = ourFailures(p, shape);
    return lines.length ? { lines, next } : null;
  };
}

/** events2 on the node shows its DRBD resource Primary and UpToDate (the kernel's word, not Pacemaker's). */
export function drbdPrimaryCheck(resource: string | null, node: string): ProbeCheck {
  return {
    kind: 'probe',
    argv: FACT_ARGV.events2Now,
    describe: `${node}'s own DRBD ${resource ?? ''} is Primary and UpToDate`.replace('  ', ' '),
    judge: (r) => {
      if (!succeeded(r)) return false;
      const d = drbdFactsFrom(r.stdout).find((x) => resource === null || x.name === resource);
      return d?.role === 'Primary' && d.disk === 'UpToDate';
    },
  };
}

export const EXPORTFS_ARGV = ['exportfs', '-v'] as const;

/** `exportfs -v` on the node lists every export directory: the NFS server there serves them. */
export function exportedCheck(dirs: string[], node: string): ProbeCheck {
  return {
    kind: 'probe',
    argv: EXPORTFS_ARGV,
    describe: `exportfs -v on ${node} lists ${dirs.join(', ')}`,
    judge: (r) => {
      if (!succeeded(r)) return false;
      const listed = new Set(r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((x): x is string => !!x));
      return dirs.every((d) => listed.has(d));
    },
  };
}

/** cibadmin -Q shows no cli-prefer/cli-ban constraint on `ids`. */
export function noCliCheck(ids: Set<string>): ProbeCheck {
  return {
    kind: 'probe',
    argv: FACT_ARGV.cib,
    describe: `the CIB holds no cli-prefer/cli-ban constraint on ${[...ids].join(', ')}`,
    judge: (r) => {
      if (!succeeded(r)) return false;
      const p = parseCibFacts(r.stdout);
      return p.ok && cliConstraints(p.facts, ids).length === 0;
    },
  };
}
