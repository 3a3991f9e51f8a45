#!/usr/bin/env bash
# Stops the virtual BMCs bmc-up.sh started, each by its recorded PID, only while /proc shows it is still
# that ipmi_sim (the machine is shared). The VMs keep running: lab-down.sh stops them (it calls this
# first). ipmi_sim starts nothing that outlives a request (bmc-power.sh runs per request; a VM it
# powered on is a daemonized QEMU with its own qemu.pid). Safe to run twice.
#
# usage: test/lab/bmc-down.sh
set -uo pipefail
# shellcheck source=test/lab/lab.conf
source "$(dirname "$0")/lab.conf"
for n in "${LAB_NODES[@]}"; do
  f=$LAB_RUN/$n/bmc.pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$LAB_RUN/$n/bmc/lan.conf"; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null
    echo "lab: stopped the BMC of $n (PID $pid)" >&2
  fi
  rm -f "$f"
done
