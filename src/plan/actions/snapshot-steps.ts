// The step builders of a snapshot's mount and unmount (`snapshot mount|unmount`, and the recovery that
// copies files back from one): pure, one node, typed steps with their checks.
//
// Why the snapshot mounts as the filesystem itself: the snapshot is of the LV under DRBD, and DRBD's
// metadata is internal (src/generate/drbd-res.ts: `meta-disk internal`), i.e. at the END of the LV. The
// filesystem starts at byte 0 of the LV, exactly as it starts at byte 0 of /dev/drbdN, so the snapshot
// device mounts directly (the metadata past the filesystem's end is never read). It was taken of a
// filesystem in use (frozen by fsfreeze, but its journal may hold work): read-only mounts must not replay
// it, or the kernel writes to the snapshot: ext4 `noload`, xfs `norecovery`; xfs also refuses a second
// filesystem with the live one's UUID unless told `nouuid`.
import { succeeded, type Argv, type RunResult } from '../../exec/runner.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';
import type { Group } from '../order.js';

/** Where a snapshot mounts when the admin names no directory: one directory per snapshot. */
export const SNAPSHOT_MOUNT_BASE = '/mnt/hanfs-snapshot';

export function defaultSnapshotDir(name: string): string {
  return `${SNAPSHOT_MOUNT_BASE}/${name}`;
}

/** The mount options that read a snapshot without writing to it, per filesystem. */
export function snapshotMountOptions(fstype: string): string {
  return fstype === 'xfs' ? 'ro,norecovery,nouuid' : 'ro,noload';
}

/** What is mounted at DIR: `SOURCE OPTIONS`, empty (and exit 1) when nothing is. */
export const findmntAt = (dir: string): Argv => ['findmnt', '-n', '-o', 'SOURCE,OPTIONS', '--mountpoint', dir];

/** Is something mounted read-only at the directory (findmnt's line: SOURCE OPTIONS)? */
export function mountedReadOnly(r: RunResult): boolean {
  if (!succeeded(r)) return false;
  const [source, options] = r.stdout.trim().split(/\s+/);
  return !!source && (options ?? '').split(',').includes('ro');
}

/** Nothing is mounted at the directory (findmnt: exit 1, nothing printed; any other failure is no answer). */
export function nothingMounted(r: RunResult): boolean {
  return (r.exitCode === 0 || r.exitCode === 1) && r.stdout.trim() === '';
}

export interface SnapshotMountSpec {
  node: string;
  vg: string;
  name: string;
  dir: string;
  fstype: string;
  /** The stage the step runs in (a recovery may mount later than a2). */
  group?: Group;
}

/**
 * Mounts the snapshot VG/NAME read-only at DIR on the node. No `lvchange --activate` first: a thick
 * snapshot is active exactly when its origin is, and the origin here is the LV under DRBD, active on every
 * node that runs the resource. Activating the snapshot itself means changing the origin's activation too:
 * LVM asks "Change of snapshot ... will also change its origin ... Proceed? [y/n]" and, with no terminal,
 * answers n and exits 5 (seen on the Debian 12 lab, 2026-12-07); answering yes would touch the live LV.
 * The type is given (-t): blkid finds DRBD's internal metadata signature on the LV too, and mount's own
 * guess was "unknown filesystem type 'drbd'" on the lab (2026-12-07).
 */
export function snapshotMountStep(s: SnapshotMountSpec): PlanStep {
  const at: ProbeCheck = { kind: 'probe', argv: findmntAt(s.dir), describe: `${s.dir} is mounted read-only`, judge: mountedReadOnly };
  return step({
    id: `${s.node}/snapshot-mount-${s.name}`,
    node: s.node,
    title: `Mount snapshot ${s.vg}/${s.name} read-only at ${s.dir}`,
    why: 'to copy files back from it; read-only, without replaying its journal, so the snapshot is never written',
    commands: [
      ['mkdir', '-p', s.dir],
      ['mount', '-t', s.fstype, '-o', snapshotMountOptions(s.fstype), `/dev/${s.vg}/${s.name}`, s.dir],
    ],
    check: at,
    requires: { kind: 'probe', argv: findmntAt(s.dir), describe: `nothing else is mounted at ${s.dir}`, judge: nothingMounted },
    verify: { ...at, explain: (r) => [`findmnt shows: ${r.stdout.trim() || 'nothing'} at ${s.dir}`] },
    parallelGroup: s.group ?? 'a2-act',
  });
}

export interface SnapshotUnmountSpec {
  node: string;
  name: string;
  dir: string;
  group?: Group;
}

/** Unmounts the snapshot mounted at DIR on the node. */
export function snapshotUnmountStep(s: SnapshotUnmountSpec): PlanStep {
  const gone: ProbeCheck = { kind: 'probe', argv: findmntAt(s.dir), describe: `nothing is mounted at ${s.dir}`, judge: nothingMounted };
  return step({
    id: `${s.node}/snapshot-unmount-${s.name}`,
    node: s.node,
    title: `Unmount snapshot ${s.name} from ${s.dir}`,
    why: 'the copy is done; a mounted snapshot cannot be removed, and its copy-on-write space keeps filling',
    commands: [['umount', s.dir]],
    check: gone,
    verify: { ...gone, explain: () => [`${s.dir} is still mounted: a process may be using it (fuser -vm ${s.dir})`] },
    parallelGroup: s.group ?? 'a2-act',
  });
}
