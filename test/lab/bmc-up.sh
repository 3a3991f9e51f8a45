#!/usr/bin/env bash
# Starts one virtual BMC per lab VM (issue 26; prepared, not yet run against booted VMs): OpenIPMI's
# ipmi_sim, IPMI 2.0 over LAN (lanplus) on 127.0.0.1:<LAB_BMC_PORT_BASE + index - 1>, a user
# $LAB_BMC_USER with the lab's fixed password $LAB_BMC_PASSWORD (the lab answers name it), and the VM's power
# bound to bmc-vm.sh (power off = SIGKILL to that VM's QEMU, power on = start-node.sh). Each ipmi_sim's
# PID goes to .lab/run/<node>/bmc.pid; bmc-down.sh stops it by that PID.
#
# Run after lab-up.sh: the running VMs are adopted, not restarted. What the guests still cannot do is
# reach these ports: the hub relay of docs/lab.md "Fencing lab" is not written yet.
#
# usage: test/lab/bmc-up.sh
set -euo pipefail
# shellcheck source=test/lab/lab.conf
source "$(dirname "$0")/lab.conf"
HERE=$(cd "$(dirname "$0")" && pwd)
command -v ipmi_sim >/dev/null 2>&1 || { echo "error: ipmi_sim missing: apt-get install openipmi (test/lab/host-deps.sh)" >&2; exit 1; }

for n in "${LAB_NODES[@]}"; do
  i=$(node_index "$n")
  port=$((LAB_BMC_PORT_BASE + i - 1))
  d=$LAB_RUN/$n/bmc
  if [ -f "$LAB_RUN/$n/bmc.pid" ] && tr '\0' ' ' < "/proc/$(cat "$LAB_RUN/$n/bmc.pid")/cmdline" 2>/dev/null | grep -qF -- "$d/lan.conf"; then
    echo "lab: BMC of $n already runs (PID $(cat "$LAB_RUN/$n/bmc.pid"))" >&2
    continue
  fi
  if ss -Hlun "sport = :$port" | grep -q .; then
    echo "error: UDP port $port (BMC of $n) is taken: set LAB_BMC_PORT_BASE" >&2
    exit 1
  fi
  bash "$HERE/bmc-conf.sh" "$d" "$n" "$port" "$LAB_BMC_USER" "$LAB_BMC_PASSWORD" "$i" "$HERE/bmc-vm.sh $n"
  setsid nohup ipmi_sim -c "$d/lan.conf" -f "$d/bmc.emu" -s "$d/state" -n >"$d/ipmi_sim.log" 2>&1 < /dev/null &
  echo $! > "$LAB_RUN/$n/bmc.pid"
  echo "lab: BMC of $n on 127.0.0.1:$port/udp, PID $!" >&2
done
