// /usr/local/sbin/hanfs-snapshot: generational LVM snapshots of the LV under DRBD, run by
// hanfs-snapshot.timer on both nodes but acting only on the DRBD Primary (the node whose filesystem is
// mounted and current). Values from the answers are embedded single-quoted (one quoting function).
import type { Answers } from '../answers/schema.js';
import { parseAbsoluteSize } from '../answers/schema.js';
import { quoteArg } from '../exec/shell-quote.js';

/** Snapshot LV names: <lv>_snap_<UTC timestamp>; the rotation only ever touches names of this form. */
export function snapshotNamePattern(lv: string): string {
  return `^${lv.replace(/[.+]/g, '\\$&')}_snap_[0-9]{8}T[0-9]{6}Z$`;
}

export function renderSnapshotScript(a: Answers): string {
  return `${snapshotSettings(a)}\n\n${SNAPSHOT_PROGRAM}`;
}

/** The script's head: what it acts on, from the answers, as readonly shell variables. */
function snapshotSettings(a: Answers): string {
  const s = a.backups.snapshots;
  const pct = /^(\d+)%(ORIGIN|VG|FREE)$/i.exec(s.size);
  // The size as (percent, of) or absolute bytes, resolved on the node at run time.
  const sizePercent = pct ? Number(pct[1]) : 0;
  const sizeOf = pct ? pct[2]!.toUpperCase() : 'BYTES';
  const sizeBytes = pct ? 0 : (parseAbsoluteSize(s.size) ?? 0);
  const q = quoteArg;
  return `#!/bin/bash
# hanfs-snapshot: one LVM snapshot of ${a.lvm.vg}/${a.lvm.lv} (the disk under DRBD resource ${a.drbd.resource}),
# keeping the ${s.keep} newest. Written by hanfs-wizard; run by hanfs-snapshot.timer (${s.schedule}).
# Runs on both nodes, acts only where DRBD is Primary: there the filesystem is mounted and current.
# To read a snapshot: hanfs-wizard snapshot mount, or mount /dev/${a.lvm.vg}/<snapshot> elsewhere with ${a.filesystem.type === 'xfs' ? '-t xfs -o ro,norecovery,nouuid' : '-t ext4 -o ro,noload'} (never written; -t: blkid also sees DRBD's metadata).
# Refuses (exit 1) when the VG's free space is below the snapshot size, rather than run the VG out: the
# DRBD resync snapshot (before-resync-target) needs free space in the same VG when a peer returns.
set -euo pipefail

readonly RESOURCE=${q(a.drbd.resource)}
readonly VG=${q(a.lvm.vg)}
readonly LV=${q(a.lvm.lv)}
readonly DRBD_DEVICE=${q(a.drbd.device)}
readonly MOUNT=${q(a.filesystem.mount)}
readonly KEEP=${s.keep}
# Snapshot size (${s.size}): a percentage of ORIGIN, VG or FREE, or BYTES.
readonly SIZE_OF=${sizeOf}
readonly SIZE_PERCENT=${sizePercent}
readonly SIZE_BYTES=${sizeBytes}
readonly NAME_PATTERN=${q(snapshotNamePattern(a.lvm.lv))}`;
}

/** The program itself: the same for every cluster, it reads only the variables above. */
const SNAPSHOT_PROGRAM = `log() { printf 'hanfs-snapshot: %s\\n' "$*" >&2; }

# 8.4 prints "Primary/Secondary", 9 prints "Primary".
role=$(drbdadm role "$RESOURCE" 2>/dev/null || true)
case "$role" in
  Primary*) ;;
  *) log "DRBD $RESOURCE is not Primary here (${'${role:-down}'}): nothing to do"; exit 0 ;;
esac
if [ "$(findmnt -n -o SOURCE --mountpoint "$MOUNT" || true)" != "$DRBD_DEVICE" ]; then
  log "$MOUNT is not mounted from $DRBD_DEVICE: refusing to snapshot an unmounted or foreign filesystem"
  exit 1
fi

lvm_number() { tr -d ' ' <<<"$1"; }
# Every size LVM reports must be a plain number of bytes; anything else (a failed lvs/vgs) stops here.
# need_number NAME VALUE [zero-ok]
need_number() {
  if [[ ! "$2" =~ ^[0-9]+$ ]] || { [ -z "\${3:-}" ] && (( $2 == 0 )); }; then
    log "could not read $1 of $VG/$LV from LVM (got '$2')"
    exit 1
  fi
}
origin_bytes=$(lvm_number "$(lvs --noheadings --nosuffix --units b -o lv_size "$VG/$LV")")
read -r vg_bytes free_bytes extent_bytes < <(vgs --noheadings --nosuffix --units b -o vg_size,vg_free,vg_extent_size "$VG" || true)
need_number lv_size "$origin_bytes"
need_number vg_size "\${vg_bytes:-}"
need_number vg_free "\${free_bytes:-}" zero-ok
need_number vg_extent_size "\${extent_bytes:-}"

case "$SIZE_OF" in
  ORIGIN) size=$(( origin_bytes * SIZE_PERCENT / 100 )) ;;
  VG) size=$(( vg_bytes * SIZE_PERCENT / 100 )) ;;
  FREE) size=$(( free_bytes * SIZE_PERCENT / 100 )) ;;
  *) size=$SIZE_BYTES ;;
esac
# lvcreate rounds up to whole extents: compare what it will really take.
size=$(( (size + extent_bytes - 1) / extent_bytes * extent_bytes ))

# Existing snapshots of ours, oldest first (the UTC timestamp in the name sorts by time).
mapfile -t snaps < <(lvs --noheadings -o lv_name --select "origin=$LV" "$VG" | tr -d ' ' | grep -E "$NAME_PATTERN" | sort || true)

# Rotate first, down to KEEP-1: those would go once the new one exists anyway, and their space may be
# what the new one needs.
excess=$(( ${'${#snaps[@]}'} - (KEEP - 1) ))
for (( i = 0; i < excess; i++ )); do
  log "removing old snapshot $VG/${'${snaps[i]}'}"
  lvremove --yes "$VG/${'${snaps[i]}'}"
done
free_bytes=$(lvm_number "$(vgs --noheadings --nosuffix --units b -o vg_free "$VG")")
need_number vg_free "$free_bytes" zero-ok

if (( size <= 0 )); then
  log "snapshot size computes to 0 bytes: check backups.snapshots.size"
  exit 1
fi
if (( free_bytes < size )); then
  log "refusing: $VG has $free_bytes bytes free, the snapshot needs $size; free space in the VG or lower backups.snapshots.keep/size"
  exit 1
fi

name="${'${LV}'}_snap_$(date -u +%Y%m%dT%H%M%SZ)"
# The filesystem sits on DRBD above the LV, so LVM's own suspend cannot freeze it: freeze it here, so the
# snapshot holds a consistent filesystem, and thaw it whatever happens (a frozen filesystem hangs NFS).
thaw() { fsfreeze --unfreeze "$MOUNT" 2>/dev/null || true; }
trap thaw EXIT
trap 'exit 143' TERM INT
fsfreeze --freeze "$MOUNT"
lvcreate --snapshot --name "$name" --size "${'${size}'}b" "$VG/$LV"
thaw
trap - EXIT
log "created $VG/$name ($size bytes)"
`;
