#!/usr/bin/env bash
# Starts one virtual BMC per lab VM (issue 26; lab-up.sh calls it when LAB_BMC=1): OpenIPMI's ipmi_sim,
# IPMI 2.0 over LAN (lanplus) on 127.0.0.1:<LAB_BMC_PORT_BASE + index - 1>, a user $LAB_BMC_USER with the
# lab's fixed password $LAB_BMC_PASSWORD (test/lab/lab-answers-ipmi.yaml names it). The VM's power is
# bmc-power.sh, ipmi_sim's chassis-control program: power off = SIGKILL to that VM's QEMU (by the PID in
# .lab/run/<node>/qemu.pid), power on = start-node.sh with the disks as they were, reset = both.
# Each ipmi_sim's PID goes to .lab/run/<node>/bmc.pid; bmc-down.sh stops it by that PID. The guests reach
# these ports through the service hub (svc-hub.mjs --bmc LAB_BMC_ADDRS[i]=port, UDP 623).
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
  bash "$HERE/bmc-conf.sh" "$d" "$n" "$port" "$LAB_BMC_USER" "$LAB_BMC_PASSWORD" "$i" \
    "bash $HERE/bmc-power.sh $LAB_RUN/$n/qemu.pid $n $HERE/start-node.sh $n"
  setsid nohup ipmi_sim -c "$d/lan.conf" -f "$d/bmc.emu" -s "$d/state" -n >"$d/ipmi_sim.log" 2>&1 < /dev/null &
  echo $! > "$LAB_RUN/$n/bmc.pid"
  for _ in $(seq 1 50); do ss -Hlun "sport = :$port" | grep -q . && break; sleep 0.1; done
  ss -Hlun "sport = :$port" | grep -q . || { echo "error: the BMC of $n does not listen on UDP $port ($d/ipmi_sim.log)" >&2; exit 1; }
  echo "lab: BMC of $n on 127.0.0.1:$port/udp, PID $!" >&2
done
