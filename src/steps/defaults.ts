// Defaults the wizard proposes, derived from what the probes found. Pure functions of NodeFacts, so the
// screens and the tests agree on every suggestion.
import type { DiskInfo, NicInfo, NodeFacts } from '../probes/types.js';
import { parseCidr, firstHost, contains } from '../answers/net.js';

export const GIB = 2 ** 30;

/** 0.25 GiB, 465.76 GiB: sizes on screen are GiB with two decimals, as LVM's own reports show them. */
export function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(2)} GiB`;
}

/** NICs an answer can use: not loopback, with at least one IPv4 address. */
export function usableNics(f: NodeFacts): NicInfo[] {
  return f.nics.filter((n) => !n.loopback);
}

export function ipv4Of(n: NicInfo | undefined): string | undefined {
  return n?.addresses.find((a) => !a.includes(':') && parseCidr(a) !== null);
}

export interface NicPair {
  nic0: string;
  addr0: string;
  nic1: string;
  addr1: string;
}

/**
 * NIC pairs (same name on both nodes) whose IPv4 addresses differ and share a subnet: the only ones on
 * which a floating address or a replication link can work as found.
 */
export function workingPairs(f0: NodeFacts, f1: NodeFacts): NicPair[] {
  const out: NicPair[] = [];
  for (const n0 of usableNics(f0)) {
    const n1 = usableNics(f1).find((x) => x.name === n0.name);
    const a0 = ipv4Of(n0);
    const a1 = ipv4Of(n1);
    if (!n1 || !a0 || !a1) continue;
    const c0 = parseCidr(a0)!;
    const c1 = parseCidr(a1)!;
    if (c0.value !== c1.value && c0.prefix === c1.prefix && contains(c0, c1.value)) out.push({ nic0: n0.name, addr0: a0, nic1: n1.name, addr1: a1 });
  }
  return out;
}

/** Service NIC: a working pair, preferring the one carrying the default route. */
export function pickService(f0: NodeFacts, f1: NodeFacts, gatewayNic?: string): NicPair | null {
  const pairs = workingPairs(f0, f1);
  return pairs.find((p) => p.nic0 === gatewayNic) ?? pairs[0] ?? null;
}

/** Replication: another working pair than the service one; else the service NIC (addresses left to type). */
export function pickReplication(f0: NodeFacts, f1: NodeFacts, serviceNic: string | undefined): NicPair | { nic0: string; nic1: string } | null {
  const other = workingPairs(f0, f1).find((p) => p.nic0 !== serviceNic);
  if (other) return other;
  const nic0 = serviceNic ?? usableNics(f0)[0]?.name;
  const nic1 = serviceNic ?? usableNics(f1)[0]?.name;
  return nic0 && nic1 ? { nic0, nic1 } : null;
}

/** The ping target: the default gateway when it is on the service subnet, else the subnet's first host. */
export function suggestPingTarget(f0: NodeFacts | undefined, serviceAddress: string | undefined): { target: string; why: string } | null {
  const svc = serviceAddress ? parseCidr(serviceAddress) : null;
  if (!svc) return null;
  const gw = f0?.defaultGateway ?? null;
  const gwValue = gw ? parseCidr(`${gw}/32`) : null;
  if (gw && gwValue && contains(svc, gwValue.value)) return { target: gw, why: `the default gateway ${gw}` };
  const first = firstHost(svc);
  return {
    target: first,
    why: gw ? `the default gateway ${gw} is not on the service subnet, so ${first} (its first host) is suggested` : `no default gateway found; ${first} is the subnet's first host`,
  };
}

/** The DRBD major version the answers need, from the module the probes found. */
export function drbdVersionOf(version: string | null | undefined): '8.4' | '9' | null {
  if (!version) return null;
  if (version.startsWith('8.4')) return '8.4';
  if (/^9\./.test(version)) return '9';
  return null;
}

/** The name answers should use for a disk: a stable /dev/disk/by-id link when there is one. */
export function preferredDiskPath(d: DiskInfo): string {
  return d.byId.find((p) => !/\/wwn-/.test(p)) ?? d.byId[0] ?? d.path;
}

/**
 * The peer's counterparts of the disks chosen on the first node: same kernel name, same size, usable. Two
 * servers bought together have the same disks in the same slots, and an admin expects the second node's
 * pair to follow the first; the by-id names differ (serials), so the answer takes the peer's own.
 * Null unless every chosen disk has such a counterpart: a partial guess is worse than none.
 */
export function matchingDisks(first: NodeFacts | undefined, chosen: string[], peer: NodeFacts | undefined): string[] | null {
  if (!first || !peer || chosen.length === 0) return null;
  const out: string[] = [];
  for (const c of chosen) {
    const d = findDisk(first, c);
    const twin = d ? peer.disks.find((x) => x.name === d.name && x.sizeBytes === d.sizeBytes && x.verdict.eligible) : undefined;
    if (!twin) return null;
    out.push(preferredDiskPath(twin));
  }
  return out;
}

/** The probed disk an answer names (kernel path or any of its by-id links). */
export function findDisk(f: NodeFacts | undefined, path: string): DiskInfo | undefined {
  return f?.disks.find((d) => d.path === path || d.byId.includes(path));
}

/** The NIC of the node whose subnet holds the default gateway. */
export function gatewayNic(f: NodeFacts): string | undefined {
  const gw = f.defaultGateway ? parseCidr(`${f.defaultGateway}/32`) : null;
  if (!gw) return undefined;
  return usableNics(f).find((n) => n.addresses.some((a) => {
    const c = parseCidr(a);
    return c !== null && contains(c, gw.value);
  }))?.name;
}

/** The service NIC the network step proposes. */
export function defaultService(f0: NodeFacts, f1: NodeFacts): NicPair | null {
  return pickService(f0, f1, gatewayNic(f0));
}
