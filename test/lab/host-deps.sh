#!/usr/bin/env bash
# Installs what the lab needs on the host (Debian/Ubuntu), when missing. Kept apart from
# test/setup/install-tools.sh on purpose: the unit suite never boots a VM, so `npm test` must not pull
# in QEMU (hundreds of MB); only `npm run lab:up` / `npm run test:e2e` call this.
set -euo pipefail

# command -> Debian package that provides it
declare -A need=(
  [qemu-system-x86_64]=qemu-system-x86
  [qemu-img]=qemu-utils
  [debootstrap]=debootstrap
  [ssh]=openssh-client
  [ssh-keygen]=openssh-client
  [ssh-keyscan]=openssh-client
  [mkfs.ext4]=e2fsprogs
  [ss]=iproute2
  # the virtual BMCs (LAB_BMC=1, bmc-up.sh) and their proof (bmc-power.test.ts): ipmi_sim, the fence agent
  [ipmi_sim]=openipmi
  [ipmitool]=ipmitool
  [/usr/sbin/fence_ipmilan]=fence-agents
  [flock]=util-linux
)
missing=()
for c in "${!need[@]}"; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$c" >/dev/null 2>&1 || missing+=("${need[$c]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "error: the lab needs these Debian packages on the host: $pkgs" >&2
  echo "install them as root: apt-get install -y --no-install-recommends $pkgs" >&2
  exit 1
fi
echo "lab: installing host packages: $pkgs" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086  # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends $pkgs >/dev/null 2>&1 || {
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $pkgs
}
