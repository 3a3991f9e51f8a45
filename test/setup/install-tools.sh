#!/usr/bin/env bash
# Installs the real tools the test suite checks generated files with (VALIDATORS.md), when missing.
# Tests that need one of them FAIL when it is absent: this script is the only place they come from.
set -euo pipefail

# command -> Debian package that provides it
declare -A need=(
  [drbdadm]=drbd-utils
  [crm_verify]=pacemaker-cli-utils
  [crm_simulate]=pacemaker-cli-utils
  [crm_resource]=pacemaker-cli-utils
  [crm_attribute]=pacemaker-cli-utils
  [crm_mon]=pacemaker-cli-utils
  [cibadmin]=pacemaker-cli-utils
  [corosync]=corosync
  [corosync-keygen]=corosync
  [exportfs]=nfs-kernel-server
  [xmllint]=libxml2-utils
  [sshd]=openssh-server
  [ssh-keygen]=openssh-client
  [ssh-agent]=openssh-client
  [tmux]=tmux
  [shellcheck]=shellcheck
  [crm]=crmsh
  [pcs]=pcs
  [unshare]=util-linux
  [ip]=iproute2
  [modinfo]=kmod
  [systemd-analyze]=systemd
  [mdadm]=mdadm
  # the Prometheus text format's own parser (monitor --prometheus): promtool check metrics
  [promtool]=prometheus
  # packaging (issue 28): the man page is rendered as an admin reads it; the .deb is built and linted
  [man]=man-db
  [groff]=groff-base
  [dpkg-deb]=dpkg
  [lintian]=lintian
  [dpkg-shlibdeps]=dpkg-dev
  [strip]=binutils
  # fencing (issue 26): SBD's config and watchdog probe, the quorum device's certificate tools
  [sbd]=sbd
  [wdctl]=util-linux
  [corosync-qdevice]=corosync-qdevice
  [corosync-qdevice-net-certutil]=corosync-qdevice
  [corosync-qnetd]=corosync-qnetd
  [corosync-qnetd-certutil]=corosync-qnetd
  # the fence preflight's test: fence_ipmilan (through ipmitool) against OpenIPMI's BMC simulator
  [ipmitool]=ipmitool
  [ipmi_sim]=openipmi
)
# resource agents are files, not commands
declare -A files=(
  [/usr/lib/ocf/resource.d/linbit/drbd]=drbd-utils
  [/usr/lib/ocf/resource.d/heartbeat/nfsserver]=resource-agents
  [/usr/lib/ocf/resource.d/pacemaker/ping]=pacemaker-resource-agents
  [/usr/sbin/fence_ipmilan]=fence-agents
  [/usr/sbin/fence_redfish]=fence-agents
  [/usr/sbin/fence_virsh]=fence-agents
  [/usr/sbin/fence_vmware_rest]=fence-agents
  [/usr/sbin/fence_xvm]=fence-virt
  # the fencer's own parameters (pcmk_host_list...): `pacemaker-fenced metadata` (no daemon starts)
  [/usr/lib/pacemaker/pacemaker-fenced]=pacemaker
)

missing=()
for c in "${!need[@]}"; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$c" >/dev/null 2>&1 || missing+=("${need[$c]}")
done
for f in "${!files[@]}"; do
  [ -e "$f" ] || missing+=("${files[$f]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "error: the tests need these Debian packages: $pkgs" >&2
  echo "install them as root: apt-get install -y --no-install-recommends $pkgs" >&2
  exit 1
fi

echo "installing test tools: $pkgs" >&2
# No daemon may start on the test machine: a policy-rc.d that refuses, removed again afterwards
# unless one was there before.
own_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  own_policy=1
fi
trap '[ $own_policy -eq 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086  # $pkgs is a word list on purpose
apt-get install -y -qq --no-install-recommends $pkgs >&2
