// What should exist, so the monitor judges what is missing and not only what it happens to see. From
// --answers (the file the cluster was built from), or else from the cluster's own configuration: the CIB
// declares the DRBD resource, the filesystem, the exports, the virtual IP and the ping targets. Pure.
import type { Answers } from '../answers/schema.js';
import { cibTopology, type CibFacts } from '../probes/cib-facts.js';

export interface ExpectedTopology {
  /** Where this came from, said with every "missing" finding. */
  source: 'answers' | 'cib';
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
  /** Node names, when the answers give them. */
  nodes: string[];
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
