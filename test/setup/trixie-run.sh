#!/usr/bin/env bash
# Runs one command inside the Debian 13 tools root (test/setup/trixie-root.sh builds it), as root, in a
# private mount namespace: /proc, /dev and a fresh /tmp are mounted for the command and vanish with it,
# and each --bind DIR is mounted at the same path inside, so files the test wrote are found under the
# names it knows. No daemon, no init: one command, then everything is gone.
#
# usage: test/setup/trixie-run.sh [--net] [--bind DIR]... [--] COMMAND [ARG]...
#   --net     also a private network namespace (only loopback, down): corosync -t puts the node's ring
#             addresses on it, never on the host.
#   --tmp DIR the root's /tmp is DIR (kept between calls) instead of a fresh tmpfs: a chain of calls that
#             hands files on (the rehearsal's mktemp, then its CIB files) sees them.
#   TRIXIE_ROOTFS=DIR   the root's rootfs/ (default: what trixie-root.sh prints, built when missing)
# Environment for the command: `env NAME=VALUE COMMAND...` (env is in the root). PATH includes the sbin
# directories; LC_ALL=C.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
net=0
tmp=
binds=()
while [ $# -gt 0 ]; do
  case "$1" in
    --net) net=1; shift ;;
    --bind) binds+=("$(cd "$2" && pwd)"); shift 2 ;;
    --tmp) tmp=$(cd "$2" && pwd); shift 2 ;;
    --) shift; break ;;
    -*) echo "error: trixie-run.sh: unknown option '$1' (--net, --bind DIR, --tmp DIR, --)" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "error: trixie-run.sh: no command given" >&2; exit 2; }

if [ -z "${TRIXIE_ROOTFS:-}" ]; then
  TRIXIE_ROOTFS=$(bash "$HERE/trixie-root.sh" | tail -n 1)/rootfs
fi
[ -x "$TRIXIE_ROOTFS/usr/sbin/crm_verify" ] || {
  echo "error: $TRIXIE_ROOTFS is not a built Debian 13 tools root: run test/setup/trixie-root.sh" >&2
  exit 1
}

flags=(-m --propagation private)
[ $net -eq 1 ] && flags+=(-n)
# The bind list travels as one NUL-free newline-separated argument (directories made by mkdtemp).
bind_list=$(printf '%s\n' "${binds[@]+"${binds[@]}"}")
exec unshare "${flags[@]}" bash -euc '
  r=$1; binds=$2; tmp=$3; shift 3
  mount -t proc proc "$r/proc"
  mount --rbind /dev "$r/dev"
  if [ -n "$tmp" ]; then mount --bind "$tmp" "$r/tmp"; else mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"; fi
  while IFS= read -r d; do
    [ -n "$d" ] || continue
    mkdir -p "$r$d"
    mount --bind "$d" "$r$d"
  done <<<"$binds"
  exec chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME=/root "$@"
' trixie-run "$TRIXIE_ROOTFS" "$bind_list" "$tmp" "$@"
