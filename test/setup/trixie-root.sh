#!/usr/bin/env bash
# Builds (once) a Debian 13 "trixie" root holding Debian 13's own validators, so the suite can check the
# files we generate with the tools a Debian 13 node will read them with (Pacemaker 3.0, drbd-utils 9.x,
# Corosync 3.1.9) while this machine runs Debian 12's. Nothing runs in it but one-shot tools, through
# test/setup/trixie-run.sh: no daemon, no init, no network of its own.
#
# usage: test/setup/trixie-root.sh       prints the root's directory on its last line
#        TRIXIE_ROOT_CACHE=/elsewhere test/setup/trixie-root.sh
#        LAB_MIRROR=http://mirror/debian test/setup/trixie-root.sh   (the lab image's mirror knob)
#
# The root is cached outside the clone, in $TRIXIE_ROOT_CACHE/root-<key> (default
# /var/cache/hanfs-wizard/trixie-root), where <key> is a hash of this script: the package list lives
# below, so editing it builds a new root and an unchanged script reuses the cached one in a second. Every
# clone and worktree on the machine shares it; a lock keeps two builds from racing.
#
# Output in the root's directory: rootfs/, packages.txt (dpkg-query of the root), versions.txt (each
# validator's own --version), timings.txt, build.log, done.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MIRROR=${LAB_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
KEY=$(sha256sum "$HERE/trixie-root.sh" | cut -c1-16)
CACHE=${TRIXIE_ROOT_CACHE:-/var/cache/hanfs-wizard/trixie-root}
OUT=$CACHE/root-$KEY

cached() { [ -f "$OUT/done" ] && [ -x "$OUT/rootfs/usr/sbin/crm_verify" ]; }
if cached; then
  echo "$OUT"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "error: building the Debian 13 tools root needs root (debootstrap, chroot); run as root or point TRIXIE_ROOT_CACHE at a built one" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "trixie-root: installing debootstrap" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if cached; then  # another build finished while we waited for the lock
  echo "$OUT"
  exit 0
fi

# The validators and what they need, Debian 13 names (the same names as Debian 12's):
# - pacemaker-cli-utils: crm_verify, crm_simulate, crm_mon, crm_attribute, cibadmin, crm_resource;
# - pacemaker: the schemas' upgrade path and pacemaker-fenced's metadata (crm_simulate's fencing);
# - pacemaker-resource-agents (ocf:pacemaker:ping), resource-agents (heartbeat agents), drbd-utils
#   (drbdadm, drbdadm-84, ocf:linbit:drbd): crm_resource --show-metadata reads the agents' parameters;
# - corosync (corosync -t, corosync-keygen), iproute2 (ip: its ring addresses on loopback);
# - nfs-kernel-server (exportfs, nfsconf of nfs-utils 2.8), libxml2-utils (xmllint).
PKGS=(
  pacemaker pacemaker-cli-utils pacemaker-resource-agents resource-agents drbd-utils corosync
  iproute2 kmod nfs-kernel-server libxml2-utils
)

WORK=$CACHE/build-$KEY.tmp
R=$WORK/rootfs
rm -rf "$WORK"
mkdir -p "$WORK"
LOG=$WORK/build.log
: > "$WORK/timings.txt"
t() {  # runs a step, logs its output, records its wall time
  local name=$1; shift
  local s; s=$(date +%s.%N)
  if ! "$@" >>"$LOG" 2>&1; then
    echo "error: trixie root step '$name' failed; last lines of $LOG:" >&2
    tail -n 25 "$LOG" >&2
    exit 1
  fi
  printf '%-16s %6.1f s\n' "$name" "$(echo "$(date +%s.%N) - $s" | bc)" | tee -a "$WORK/timings.txt" >&2
}
T0=$(date +%s.%N)
echo "trixie-root: building $KEY in $WORK (log: $LOG)" >&2

t debootstrap debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR"
# No daemon may start while packages install (policy-rc.d 101 = "not allowed"); it stays: nothing in
# this root is ever meant to start a service.
printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d"
chmod +x "$R/usr/sbin/policy-rc.d"
rm -f "$R/etc/apt/sources.list"
cat > "$R/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
# The install runs in a private mount namespace: /proc and /dev are mounted for it and vanish with it,
# so a failed step leaves no mount behind on the host.
install_pkgs() {
  unshare -m --propagation private bash -euc '
    r=$1; shift
    mount -t proc proc "$r/proc"
    mount --bind /dev "$r/dev"
    chroot "$r" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c \
      "apt-get update -qq && apt-get install -y -q --no-install-recommends $* && apt-get clean && rm -rf /var/lib/apt/lists/*"
  ' trixie-root "$R" "$@"
}
t apt-install install_pkgs "${PKGS[@]}"
rm -f "$R/etc/resolv.conf"
chroot "$R" dpkg-query -W -f='${Package} ${Version}\n' > "$WORK/packages.txt"
# Each validator's own word on its version (the tests print these with every result).
versions() {
  local run="$HERE/trixie-run.sh"
  TRIXIE_ROOTFS=$R "$run" crm_verify --version | head -n 1
  TRIXIE_ROOTFS=$R "$run" crm_simulate --version | head -n 1
  TRIXIE_ROOTFS=$R "$run" drbdadm --version 2>/dev/null | grep -E '^DRBDADM_(VERSION|API_VERSION)='
  TRIXIE_ROOTFS=$R "$run" corosync -v | head -n 1
  cat "$WORK/packages.txt" | grep -E '^(pacemaker|pacemaker-cli-utils|drbd-utils|corosync|resource-agents|nfs-kernel-server|libxml2-utils) '
}
versions > "$WORK/versions.txt" 2>>"$LOG"
printf '%-16s %6.1f s\n' total "$(echo "$(date +%s.%N) - $T0" | bc)" | tee -a "$WORK/timings.txt" >&2
{ echo "key $KEY"; echo "suite $SUITE from $MIRROR"; echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n), $(nproc) cores"; } > "$WORK/done"

# Publish atomically, then drop roots of older versions of this script.
rm -rf "$OUT"
mv "$WORK" "$OUT"
for old in "$CACHE"/root-*; do
  [ "$old" = "$OUT" ] || rm -rf "$old"
done
echo "$OUT"
