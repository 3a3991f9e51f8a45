// Values every generator derives the same way from the answers. One place, so cib.xml, the plan and the
// README never disagree about a path or an id.
import type { Answers } from './schema.js';
import { parseCidr } from './net.js';

/** nfsserver's nfs_shared_infodir: the NFS state (NFSv4 clients, statd's NFSv3 monitor list, rmtab) on the replicated filesystem, so it follows the service. */
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

/** mdadm's wildcard homehost (see mdArrayName). */
export const MD_HOMEHOST = 'any';

/**
 * The md array's name as mdadm stores it in the superblock, "<homehost>:<name>", with the homehost "any":
 * /dev/md0 -> "any:0", /dev/md/homes -> "any:homes". Create with `mdadm --create <raid.device>
 * --homehost=any --name=<name part>`. mdadm(8), --homehost: "If an array is created with --homehost=any
 * then the name "any" will be stored in the array and it can be assembled in the same way on any host."
 * Any other homehost (the cluster name, as before) makes the array "foreign" on a machine of another name
 * unless the mdadm.conf mdadm reads names it, and a foreign array comes back as /dev/md127. At boot that
 * reader is the initramfs, with its own copy of mdadm.conf from its last rebuild (lab, 2026-11-26, both
 * nodes booted with an initramfs built before the array existed: "hanfs:0" -> md127, "any:0" -> md0).
 * With "any" it keeps its device name under every copy of mdadm.conf, so apply need not rebuild the
 * initramfs (130-150 s per node under emulation). Each node's array lives on its own disks; none moves.
 */
export function mdArrayName(a: Pick<Answers, 'raid'>): string {
  const dev = a.raid.device;
  const name = dev.startsWith('/dev/md/') ? dev.slice('/dev/md/'.length) : dev.slice('/dev/md'.length);
  return `${MD_HOMEHOST}:${name}`;
}
