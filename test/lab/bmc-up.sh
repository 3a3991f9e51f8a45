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
  mkdir -p "$d/state"
  if [ -f "$LAB_RUN/$n/bmc.pid" ] && tr '\0' ' ' < "/proc/$(cat "$LAB_RUN/$n/bmc.pid")/cmdline" 2>/dev/null | grep -qF -- "$d/lan.conf"; then
    echo "lab: BMC of $n already runs (PID $(cat "$LAB_RUN/$n/bmc.pid"))" >&2
    continue
  fi
  if ss -Hlun "sport = :$port" | grep -q .; then
    echo "error: UDP port $port (BMC of $n) is taken: set LAB_BMC_PORT_BASE" >&2
    exit 1
  fi
  # The MC definition: one BMC at IPMB 0x20 (OpenIPMI's lanserv example, ipmisim1.emu).
  printf '%s\n' 'mc_setbmc 0x20' 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr' 'mc_enable 0x20' > "$d/bmc.emu"
  # ipmi_lan(5). The password is in this 0600 file, never on a command line.
  (umask 077 && cat > "$d/lan.conf" <<CONF
name "$n"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $port
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a1b2c3d4e5f60718293a4b5c6d7e8f9$i
  endlan
  startcmd "$HERE/bmc-vm.sh $n"
  startnow true
  poweroff_wait 1
  kill_wait 5
  user 2 true "$LAB_BMC_USER" "$LAB_BMC_PASSWORD" admin 10 none md2 md5 straight
CONF
  )
  setsid nohup ipmi_sim -c "$d/lan.conf" -f "$d/bmc.emu" -s "$d/state" -n >"$d/ipmi_sim.log" 2>&1 < /dev/null &
  echo $! > "$LAB_RUN/$n/bmc.pid"
  echo "lab: BMC of $n on 127.0.0.1:$port/udp, PID $!" >&2
done
