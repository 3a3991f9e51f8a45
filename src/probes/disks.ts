// Puts lsblk, /dev/disk/by-id and the signature probes together into DiskInfo, with a verdict per disk:
// eligible for the RAID1 pair, or refused with every reason (all are shown, not only the first).
import type { DiskInfo, DiskRefusalCode, DiskVerdict } from './types.js';
import { descendants, type BlockDevice } from './lsblk.js';
import type { Parsed } from './parsed.js';
import type { Signature } from './signatures.js';

/** Smallest disk offered. The lab's RAID disks are 256 MiB; its 32 MiB disk must be refused. */
export const DEFAULT_MIN_DISK_BYTES = 64 * 1024 * 1024;

/** Top-level devices that are candidate disks: real disks, not optical drives, loop, zram, drbd, nbd. */
export function candidateDisks(devices: BlockDevice[]): BlockDevice[] {
  return devices.filter((d) => d.type === 'disk' && !/^(zram|drbd|nbd|ram|loop)\d/.test(d.name));
}

/** Disks whose signatures are worth probing: not the system disk and not mounted (refused anyway). */
export function needsSignatureProbe(d: BlockDevice): boolean {
  return ![d, ...descendants(d)].some((x) => x.mountpoints.length > 0);
}

export interface DiskInputs {
  devices: BlockDevice[];
  byId: Map<string, string[]>;
  /** Per kernel name: the signature probe's answer; absent = not probed (disk refused for other reasons). */
  signatures: Map<string, Parsed<Signature[]>>;
  minDiskBytes?: number;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

export function buildDisks(input: DiskInputs): DiskInfo[] {
  const min = input.minDiskBytes ?? DEFAULT_MIN_DISK_BYTES;
  return candidateDisks(input.devices).map((d) => {
    const below = descendants(d);
    const partitions = d.children.filter((c) => c.type === 'part');
    const holders = [...new Set(below.filter((c) => c.type !== 'part').map((c) => c.name))];
    const directHolders = [...new Set([...d.children, ...partitions.flatMap((p) => p.children)].filter((c) => c.type !== 'part').map((c) => c.name))];
    const mounts = [d, ...below].flatMap((x) => x.mountpoints);
    const probed = input.signatures.get(d.name);
    const sigTypes = new Set<string>();
    if (d.fstype) sigTypes.add(d.fstype);
    if (d.pttype) sigTypes.add(d.pttype);
    if (probed?.ok) for (const s of probed.value) sigTypes.add(s.type);
    const signatures = [...sigTypes];

    const reasons: string[] = [];
    const codes: DiskRefusalCode[] = [];
    const refuse = (code: DiskRefusalCode, reason: string) => {
      codes.push(code);
      reasons.push(reason);
    };
    if (mounts.includes('/')) refuse('holds-root', 'holds the root filesystem /');
    const otherMounts = mounts.filter((m) => m !== '/');
    if (otherMounts.length > 0) refuse('mounted', `mounted at ${otherMounts.join(', ')}`);
    if (partitions.length > 0) refuse('has-partitions', `has partitions (${partitions.map((p) => p.name).join(', ')})`);
    if (directHolders.length > 0) {
      const kinds = below.filter((c) => directHolders.includes(c.name)).map((c) => holderKind(c));
      refuse('held', `in use by ${directHolders.map((h, i) => `${h} (${kinds[i]})`).join(', ')}`);
    }
    if (signatures.length > 0) refuse('signature', `carries a signature: ${signatures.join(', ')} (wipe it only if its data is not needed)`);
    else if (probed !== undefined && !probed.ok) refuse('signatures-unknown', `signatures could not be checked: ${probed.error}`);
    if (d.sizeBytes < min) refuse('too-small', `too small: ${formatBytes(d.sizeBytes)} (at least ${formatBytes(min)})`);
    if (d.readOnly) refuse('read-only', 'read-only');
    const verdict: DiskVerdict = reasons.length === 0 ? { eligible: true } : { eligible: false, reasons, codes };
    return {
      path: d.path,
      name: d.name,
      sizeBytes: d.sizeBytes,
      model: d.model,
      serial: d.serial,
      wwn: d.wwn,
      rotational: d.rotational,
      byId: input.byId.get(d.name) ?? [],
      signatures,
      mountpoints: mounts,
      holders,
      hasPartitions: partitions.length > 0,
      verdict,
    };
  });
}

function holderKind(d: BlockDevice): string {
  if (d.type === 'md' || d.type.startsWith('raid') || d.type === 'linear') return 'md';
  if (d.type === 'lvm') return 'LVM';
  if (d.type === 'crypt') return 'dm-crypt';
  if (d.type === 'mpath') return 'multipath';
  return d.type;
}
