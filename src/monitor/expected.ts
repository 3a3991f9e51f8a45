// What should exist, so the monitor judges what is missing and not only what it happens to see. From
// --answers (the file the cluster was built from), or else from the cluster's own configuration: the CIB
// declares the DRBD resource, the filesystem, the exports, the virtual IP and the ping targets; each
// node's own files (node-config.ts) say which md arrays (mdadm.conf), DRBD resources and backing disks
// (/etc/drbd.d) it has, and which nodes make the cluster (corosync.conf). Pure.
import type { Answers } from '../answers/schema.js';
import { cibTopology, type CibFacts } from '../probes/cib-facts.js';
import type { NodeConfig } from './node-config.js';

/** What one node's own configuration files say it has. */
export interface NodeExpectation {
  /** md arrays by their /proc/mdstat name, from its mdadm.conf ([] when not read: nothing expected). */
  mdArrays: string[];
  /** DRBD resources with a section for this node in its /etc/drbd.d (the CIB's when not read). */
  drbdResources: string[];
  drbdFromFiles: boolean;
  /** Their backing logical volumes as vg/lv (a disk /dev/vg/lv), to be listed by lvs. */
  backingLvs: { lv: string; resource: string }[];
}

export interface ExpectedTopology {
  /**
   * Where this came from, said with every "missing" finding: the answers file, the CIB alone, or the CIB
   * and the nodes' own configuration files ("nodes", with perNode).
   */
  source: 'answers' | 'cib' | 'nodes';
  /** md arrays by their /proc/mdstat name (md0), on every node. */
  mdArrays: string[];
  /** DRBD resources by name, on every node; minor -> name where known (to name /proc/drbd's minors). */
  drbdResources: string[];
  drbdMinors: Record<number, string>;
  mounts: string[];
  /** Export paths, on the node that runs the NFS service. */
  exports: string[];
  vips: string[];
  pingTargets: string[];
  /** The logical volumes under DRBD as vg/lv, on every node (answers; per node from /etc/drbd.d). */
  backingLvs?: { lv: string; resource: string }[];
  /** Node names, from the answers or the nodes' corosync.conf ([] when from the CIB alone). */
  nodes: string[];
  /** Source "nodes": per node, what its own files say (replacing mdArrays and drbdResources for it). */
  perNode?: Record<string, NodeExpectation>;
  /** What could not be read or understood, one line each ("node2: /etc/mdadm/mdadm.conf not read: ..."). */
  notes?: string[];
}

export function expectedFromAnswers(a: Answers): ExpectedTopology {
  // /dev/md/<name> arrays show in /proc/mdstat under a kernel name (md127): only /dev/mdN can be matched.
  const md = /^\/dev\/(md\d+)$/.exec(a.raid.device)?.[1];
  const minor = Number(/(\d+)$/.exec(a.drbd.device)?.[1]);
  return {
    source: 'answers',
    mdArrays: md === undefined ? [] : [md],
    drbdResources: [a.drbd.resource],
    drbdMinors: Number.isFinite(minor) ? { [minor]: a.drbd.resource } : {},
    mounts: [a.filesystem.mount],
    exports: a.nfs.exports.map((e) => e.path),
    vips: [a.virtualIp.address.replace(/\/\d+$/, '')],
    pingTargets: a.ping.targets,
    nodes: a.nodes.map((n) => n.name),
    backingLvs: [{ lv: `${a.lvm.vg}/${a.lvm.lv}`, resource: a.drbd.resource }],
  };
}

export function expectedFromCib(f: CibFacts): ExpectedTopology {
  const t = cibTopology(f);
  const minors: Record<number, string> = {};
  // The Filesystem resource's device names the DRBD minor it mounts; with one DRBD resource that is its minor.
  const devs = f.primitives.filter((p) => p.agent.endsWith(':Filesystem')).map((p) => /^\/dev\/drbd(\d+)$/.exec(p.params['device'] ?? '')?.[1]);
  if (t.drbdResources.length === 1 && devs.length === 1 && devs[0] !== undefined) minors[Number(devs[0])] = t.drbdResources[0]!;
  return { source: 'cib', mdArrays: [], drbdResources: t.drbdResources, drbdMinors: minors, mounts: t.mounts, exports: t.exports, vips: t.vips, pingTargets: t.pingTargets, nodes: [] };
}

/** vg/lv of a /dev/vg/lv or /dev/mapper/vg-lv path (LVM doubles a dash inside a name there); else null. */
export function lvOfDisk(disk: string): string | null {
  const direct = /^\/dev\/([^/]+)\/([^/]+)$/.exec(disk);
  if (direct && !['disk', 'mapper', 'md'].includes(direct[1]!)) return `${direct[1]}/${direct[2]}`;
  const mapped = /^\/dev\/mapper\/((?:[^-]|--)+)-((?:[^-]|--)+)$/.exec(disk);
  return mapped ? `${mapped[1]!.replace(/--/g, '-')}/${mapped[2]!.replace(/--/g, '-')}` : null;
}

/**
 * Without --answers: the CIB's declarations (null when no node has reported a CIB) and what each node's
 * own files say. Null when neither is known yet.
 */
export function expectedFromCluster(cib: CibFacts | null, nodes: { name: string; config: NodeConfig | null }[]): ExpectedTopology | null {
  const base = cib === null ? null : expectedFromCib(cib);
  const configured = nodes.filter((n): n is { name: string; config: NodeConfig } => n.config !== null);
  if (configured.length === 0) return base;
  const out: ExpectedTopology = base ?? { source: 'cib', mdArrays: [], drbdResources: [], drbdMinors: {}, mounts: [], exports: [], vips: [], pingTargets: [], nodes: [] };
  const perNode: Record<string, NodeExpectation> = {};
  const notes: string[] = [];
  const drbd = new Set(out.drbdResources);
  const minors: Record<number, string> = { ...out.drbdMinors };
  const corosync = new Set<string>();
  for (const { name, config } of configured) {
    for (const note of config.notes) notes.push(`${name}: ${note}`);
    for (const c of config.corosyncNodes ?? []) corosync.add(c);
    // DRBD not read: the CIB's resources stand for this node, as before.
    const res = config.drbd ?? out.drbdResources.map((r) => ({ name: r, volumes: [] }));
    for (const r of res) {
      drbd.add(r.name);
      // The node's own file names each minor (better than the CIB's Filesystem device, which is a guess).
      for (const v of r.volumes) if (v.minor !== null) minors[v.minor] = r.name;
    }
    perNode[name] = {
      mdArrays: (config.mdArrays ?? []).map((a) => a.kernelName).filter((x): x is string => x !== null),
      drbdResources: res.map((r) => r.name),
      drbdFromFiles: config.drbd !== null,
      backingLvs: res.flatMap((r) => r.volumes.map((v) => ({ lv: v.disk === null ? null : lvOfDisk(v.disk), resource: r.name }))).filter((x): x is { lv: string; resource: string } => x.lv !== null),
    };
  }
  return { ...out, source: 'nodes', drbdResources: [...drbd], drbdMinors: minors, nodes: [...corosync], perNode, notes };
}

/** What should be on this node: its own files' word where read, else the cluster-wide expectation. */
export function expectedOn(exp: ExpectedTopology, node: string): NodeExpectation {
  return exp.perNode?.[node] ?? { mdArrays: exp.mdArrays, drbdResources: exp.drbdResources, drbdFromFiles: false, backingLvs: exp.backingLvs ?? [] };
}

/** Who says a thing should exist, for the "missing:" line. */
export function whoExpects(exp: ExpectedTopology, node: string | null, kind: 'md' | 'drbd' | 'other'): string {
  if (exp.source === 'answers') return 'the answers file';
  const own = node === null ? undefined : exp.perNode?.[node];
  if (own !== undefined && kind === 'md') return `${node}'s /etc/mdadm/mdadm.conf`;
  if (own !== undefined && kind === 'drbd' && own.drbdFromFiles) return `${node}'s /etc/drbd.d`;
  return 'the CIB';
}
