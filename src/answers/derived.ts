// Values every generator derives the same way from the answers. One place, so cib.xml, the plan and the
// README never disagree about a path or an id.
import type { Answers } from './schema.js';
import { parseCidr } from './net.js';

/** nfsserver's nfs_shared_infodir: NFSv4 client state on the replicated filesystem, so leases survive failover. */
export function nfsStateDir(a: Pick<Answers, 'filesystem'>): string {
  return `${a.filesystem.mount.replace(/\/$/, '')}/.nfs-state`;
}

/** The LV's device path, which DRBD uses as its backing disk. */
export function lvPath(a: Pick<Answers, 'lvm'>): string {
  return `/dev/${a.lvm.vg}/${a.lvm.lv}`;
}

/** The DRBD minor number: /dev/drbd0 -> 0. */
export function drbdMinor(a: Pick<Answers, 'drbd'>): number {
  return Number(/(\d+)$/.exec(a.drbd.device)![1]);
}

/** Address without prefix: 192.168.1.11/24 -> 192.168.1.11. */
export function hostAddress(cidr: string): string {
  return cidr.split('/')[0]!;
}

export function prefixOf(cidr: string): number {
  return parseCidr(cidr)!.prefix;
}

/** A stable fsid per export (its position + 1): clients keep their file handles across failover. */
export function exportFsid(index: number): number {
  return index + 1;
}

/**
 * The md array's name as mdadm stores it in the superblock, "<homehost>:<name>", with the cluster name as
 * homehost: /dev/md0 -> "hanfs:0", /dev/md/homes -> "hanfs:homes" (mdadm's own naming for those devices).
 * Create with `mdadm --create <raid.device> --homehost=<cluster> --name=<name part>`; mdadm.conf's ARRAY
 * line names it, so the array keeps its device name instead of coming back as /dev/md127 (foreign homehost).
 */
export function mdArrayName(a: Pick<Answers, 'raid' | 'cluster'>): string {
  const dev = a.raid.device;
  const name = dev.startsWith('/dev/md/') ? dev.slice('/dev/md/'.length) : dev.slice('/dev/md'.length);
  return `${a.cluster.name}:${name}`;
}
