// The devices the wizard offers for SBD's slots (issue 26, point 5), from the probes of both nodes. sbd(8):
// the SBD disk "must be accessible from all nodes" (by the same name: a by-id link both nodes have) and
// "must not be mirrored (via MD, DRBD, or the storage layer itself)": so every probed disk, md array and
// LV is listed, and each one that cannot hold SBD says why, in the answers checker's own words where it
// has them (sbdDeviceProblem). Pure: draft and facts in, choices out.
import type { DiskInfo, NodeFacts } from '../probes/types.js';
import { sbdDeviceProblem } from '../answers/fencing-checks.js';
import type { Answers } from '../answers/schema.js';
import { findDisk, gib } from './defaults.js';
import { getPath } from './draft.js';
import type { Draft } from './types.js';

export interface SbdCandidate {
  /** The name the answers get: a /dev/disk/by-id link both nodes have, else the device's own path. */
  path: string;
  /** Short text for the select: the by-id name without its folder, and the size. */
  label: string;
  /** Empty when the device can hold SBD's slots; else why not, for people. */
  reasons: string[];
  /** Kernel names on each node ("vdh on node1, sdc on node2"), for the explanation. */
  where: string;
}

const base = (p: string) => p.replace(/^\/dev\/disk\/by-id\//, '');

/** The stack's own devices and the RAID members, as the answers checker reads them (defaults filled in). */
function stackOf(d: Draft): Pick<Answers, 'nodes' | 'raid' | 'drbd' | 'lvm'> {
  const str = (path: string, dflt: string) => {
    const v = getPath(d, path);
    return typeof v === 'string' && v !== '' ? v : dflt;
  };
  const disks = (i: number) => {
    const v = getPath(d, `nodes[${i}].disks`);
    return Array.isArray(v) ? v.map(String) : [];
  };
  return {
    nodes: [0, 1].map((i) => ({ disks: disks(i) })) as unknown as Answers['nodes'],
    raid: { device: str('raid.device', '/dev/md0') },
    drbd: { device: str('drbd.device', '/dev/drbd0') } as Answers['drbd'],
    lvm: { vg: str('lvm.vg', 'vg_nfs'), lv: str('lvm.lv', 'lv_nfs') } as Answers['lvm'],
  };
}

/** The disk's verdict reasons that matter for SBD: a disk too small for the RAID is not too small for SBD (1 MiB of slots). */
function verdictReasons(disk: DiskInfo): string[] {
  if (disk.verdict.eligible) return [];
  const { reasons, codes } = disk.verdict;
  return reasons.filter((_, i) => codes?.[i] !== 'too-small');
}

/** The RAID1 members among the node's chosen disks that are this disk. */
function raidMember(d: Draft, facts: NodeFacts, node: number, disk: DiskInfo): string | null {
  const chosen = getPath(d, `nodes[${node}].disks`);
  if (!Array.isArray(chosen)) return null;
  const hit = chosen.map(String).find((c) => c === disk.path || disk.byId.includes(c) || findDisk(facts, c)?.path === disk.path);
  return hit === undefined ? null : `a RAID1 member of ${facts.hostname} (nodes[${node}].disks): sbd(8) forbids an SBD disk mirrored by MD; use a separate shared disk`;
}

/** The same disk on the other node: one of its by-id links is the same (a shared LUN, a disk attached to both VMs). */
function twinOf(disk: DiskInfo, other: NodeFacts | undefined): { twin: DiskInfo; common: string[] } | null {
  for (const t of other?.disks ?? []) {
    const common = disk.byId.filter((p) => t.byId.includes(p));
    if (common.length > 0) return { twin: t, common };
  }
  return null;
}

export function sbdCandidates(d: Draft, facts: NodeFacts[] | null): SbdCandidate[] {
  if (!facts || facts.length < 2) return [];
  const stack = stackOf(d);
  const out: SbdCandidate[] = [];
  const seen = new Set<string>();
  for (const node of [0, 1]) {
    const mine = facts[node]!;
    const other = facts[1 - node]!;
    for (const disk of mine.disks) {
      if (seen.has(`${node}:${disk.path}`)) continue;
      const shared = twinOf(disk, other);
      if (shared) seen.add(`${1 - node}:${shared.twin.path}`);
      const path = shared ? (shared.common.find((p) => !/\/wwn-/.test(p)) ?? shared.common[0]!) : (disk.byId[0] ?? disk.path);
      const reasons: string[] = [];
      if (disk.byId.length === 0) reasons.push(`${disk.path} has no /dev/disk/by-id name: a shared disk needs the same stable name on both nodes`);
      else if (!shared) reasons.push(`not seen on ${other.hostname} by the same id: SBD's disk must be one disk both nodes see (a shared LUN, or a virtual disk attached to both), sbd(8)`);
      for (const [n, f, dk] of shared ? [[node, mine, disk], [1 - node, other, shared.twin]] as const : [[node, mine, disk]] as const) {
        const member = raidMember(d, f, n, dk);
        if (member) reasons.push(member);
      }
      for (const r of [...verdictReasons(disk), ...(shared ? verdictReasons(shared.twin) : [])]) if (!reasons.includes(r)) reasons.push(r);
      const where = shared ? `${disk.name} on ${mine.hostname}, ${shared.twin.name} on ${other.hostname}` : `${disk.name} on ${mine.hostname} only`;
      // Two disks without a by-id link may have the same kernel name on both nodes: one choice, both whys.
      const same = out.find((c) => c.path === path);
      if (same) {
        same.where = `${same.where}; ${where}`;
        for (const r of reasons) if (!same.reasons.includes(r)) same.reasons.push(r);
        continue;
      }
      out.push({ path, label: `${base(path)} ${gib(disk.sizeBytes)}`, reasons, where });
    }
  }
  // The storage stack's own devices, found by the probes: never SBD's disk (sbd(8)), listed with why.
  const stackDevices = new Map<string, string[]>();
  const found = (path: string, host: string) => stackDevices.set(path, [...(stackDevices.get(path) ?? []), host]);
  for (const f of facts) {
    for (const m of f.md ?? []) found(m.path, f.hostname);
    for (const lv of f.lvm?.lvs ?? []) found(`/dev/${lv.vg}/${lv.name}`, f.hostname);
  }
  for (const [path, hosts] of stackDevices) {
    const why = sbdDeviceProblem(path, stack) ?? `${path} is part of the storage stack: SBD must sit on a raw shared disk`;
    out.push({ path, label: path, reasons: [why], where: `on ${hosts.join(' and ')}` });
  }
  // And the devices this cluster's apply makes (the RAID1, its LV, the DRBD device), the obvious wrong
  // answers for "a disk both nodes share".
  const own: [string, string][] = [[stack.raid.device, 'the RAID1 apply builds'], [`/dev/${stack.lvm.vg}/${stack.lvm.lv}`, 'the LV apply makes under DRBD'], [stack.drbd.device, 'the DRBD device apply makes']];
  for (const [path, what] of own) {
    if (stackDevices.has(path)) continue;
    out.push({ path, label: path, reasons: [sbdDeviceProblem(path, stack) ?? `${path} is part of the storage stack`], where: what });
  }
  // The usable ones first: the proposal, and the first stops when cycling through the choice.
  return [...out.filter((c) => c.reasons.length === 0), ...out.filter((c) => c.reasons.length > 0)];
}

/** The first device that can hold SBD's slots, the wizard's proposal. */
export function firstSbdDevice(d: Draft, facts: NodeFacts[] | null): string | undefined {
  return sbdCandidates(d, facts).find((c) => c.reasons.length === 0)?.path;
}
