#!/usr/bin/env bash
# The "power" of one lab VM as its virtual BMC (ipmi_sim, `startcmd`) sees it: ipmi_sim counts the VM as
# powered on while this process lives. Started: boots the VM with start-node.sh unless it already runs
# (adopted: lab-up.sh booted it), then waits while that QEMU (by the PID in .lab/run/<node>/qemu.pid)
# lives. SIGTERM from ipmi_sim (chassis power off, or the off half of a power cycle): SIGKILL to that
# QEMU, the equivalent of pulling the power cord, which is what a fence must do.
#
# usage (from ipmi_sim's lan.conf only): test/lab/bmc-vm.sh lab1|lab2
set -uo pipefail
# shellcheck source=test/lab/lab.conf
source "$(dirname "$0")/lab.conf"
NODE=${1:?usage: bmc-vm.sh lab1|lab2}
node_index "$NODE" >/dev/null || exit 1
PIDFILE=$LAB_RUN/$NODE/qemu.pid

power_cut() {
  if qemu_running "$NODE"; then
    kill -KILL "$(cat "$PIDFILE")" 2>/dev/null
    echo "bmc: $NODE powered off (SIGKILL to QEMU PID $(cat "$PIDFILE"))" >&2
  fi
  exit 0
}
trap power_cut TERM INT

if ! qemu_running "$NODE"; then
  bash "$(dirname "$0")/start-node.sh" "$NODE" || exit 1
fi
while qemu_running "$NODE"; do sleep 1; done
echo "bmc: $NODE's QEMU is gone: power off" >&2
