#!/usr/bin/env bash
# Stops everything the lab started, each process by the PID it recorded: the virtual BMCs (LAB_BMC=1,
# first, so none powers a VM on again), both QEMUs, the service-network hub, and the SSH connection
# masters. A PID is only signalled when /proc shows it is still the process the lab started (the machine
# is shared: a recycled PID may belong to someone else). Safe to run twice.
#
# usage: test/lab/lab-down.sh          (npm run lab:down)
set -uo pipefail
# shellcheck source=test/lab/lab.conf
source "$(dirname "$0")/lab.conf"

is_ours() {  # pid pattern: true when the PID runs and its command line contains the pattern
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF -- "$2"
}
stop_pid() {  # pidfile pattern label
  local f=$1 pat=$2 label=$3 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if [ -n "$pid" ] && is_ours "$pid" "$pat"; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do is_ours "$pid" "$pat" || break; sleep 0.1; done
    if is_ours "$pid" "$pat"; then kill -KILL "$pid" 2>/dev/null; sleep 0.2; fi
    echo "lab: stopped $label (PID $pid)" >&2
  fi
  rm -f "$f"
}

if [ -f "$LAB_RUN/ssh_config" ]; then
  for n in "${LAB_NODES[@]}"; do
    ssh -F "$LAB_RUN/ssh_config" -O exit "$n" >/dev/null 2>&1 || true
  done
fi
bash "$(dirname "$0")/bmc-down.sh"
for n in "${LAB_NODES[@]}"; do
  stop_pid "$LAB_RUN/$n/qemu.pid" "-name $n " "$n QEMU"
  rm -f "$LAB_RUN/$n/monitor.sock"
done
stop_pid "$LAB_RUN/hub.pid" "svc-hub.mjs" "service hub"

left=$(for f in "$LAB_RUN"/*/qemu.pid "$LAB_RUN"/*/bmc.pid "$LAB_RUN"/hub.pid; do [ -f "$f" ] && cat "$f"; done)
if [ -n "$left" ]; then
  echo "error: lab processes still recorded: $left" >&2
  exit 1
fi
exit 0
