#!/usr/bin/env bash
# One machine's power as its virtual BMC sees it: OpenIPMI ipmi_sim's chassis-control program
# (lan.conf `chassis_control "..."`, lanserv/bmc_chassis.c). ipmi_sim runs it through the shell with its
# request appended: `get power` must print `power:1` or `power:0`; `set power "0"|"1"` and
# `set reset "1"` act. Anything else (boot device, identify) exits 1, which ipmi_sim answers as an error.
#
# The machine is a QEMU started in the background by STARTER (which writes PIDFILE, e.g. -daemonize
# -pidfile); it counts as on while PIDFILE names a live process whose command line has `-name NAME `
# (a zombie has an empty one, a recycled PID another one).
# - power off: SIGKILL to that QEMU, the pulled power cord a fence must be (no guest shutdown, also
#   when the guest is paused or hung), and waits until it is gone, so the next `get power` says 0.
# - power on: STARTER in the background, detached, under a lock (a retried IPMI request must not
#   boot the machine twice). It returns at once: ipmi_sim waits for this program, and a lab VM takes
#   seconds to set up; fence_ipmilan polls the status until ON.
# - reset: off, then on (what a hard reset is from outside).
#
# usage (from ipmi_sim only): bmc-power.sh PIDFILE NAME STARTER STARTER-ARG get|set|check KEY [VALUE]
set -uo pipefail
PIDFILE=$1 NAME=$2 STARTER=$3 STARTER_ARG=$4 VERB=${5:-} KEY=${6:-} VALUE=${7:-}
LOCK=$PIDFILE.power.lock
LOG=$(dirname "$PIDFILE")/bmc-power.log

running() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -qF -- "-name $NAME "
}
power_off() {
  local pid
  if running; then
    pid=$(cat "$PIDFILE")
    kill -KILL "$pid" 2>/dev/null
    for _ in $(seq 1 100); do running || break; sleep 0.1; done
    echo "$(date -u +%FT%TZ) power off: SIGKILL to $NAME's QEMU (PID $pid)" >> "$LOG"
  fi
  ! running
}
power_on() {
  running && return 0
  echo "$(date -u +%FT%TZ) power on: $STARTER $STARTER_ARG" >> "$LOG"
  # Detached, its output to the log (ipmi_sim reads this program's stdout until EOF); -o: the
  # daemonized QEMU must not inherit the lock (it would hold it for its whole life).
  setsid flock -n -o "$LOCK" bash "$STARTER" "$STARTER_ARG" >> "$LOG" 2>&1 < /dev/null &
  return 0
}

case "$VERB $KEY" in
  'get power') if running; then echo power:1; else echo power:0; fi ;;
  'set power') if [ "$VALUE" = 0 ]; then power_off; else power_on; fi ;;
  'set reset') power_off && power_on ;;
  'check '*) exit 0 ;;
  *) echo "bmc-power: $VERB $KEY not supported" >&2; exit 1 ;;
esac
