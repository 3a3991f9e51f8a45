#!/usr/bin/env bash
# Writes one virtual BMC's ipmi_sim configuration (ipmi_lan(5)) into DIR: lan.conf (mode 0600: it holds
# the password) and bmc.emu (one BMC at IPMB 0x20, OpenIPMI's lanserv example). Used by bmc-up.sh for
# the lab VMs and by the tests (test/lab-host/bmc-power.test.ts, test/generate/fencing-steps.test.ts),
# which drive the same files with fence_ipmilan.
#
# CHASSIS is the chassis-control program (`chassis_control`, lanserv/bmc_chassis.c): ipmi_sim asks it
# for the power state and has it power off, on and reset (bmc-power.sh for a QEMU). Not `startcmd`:
# with startcmd alone ipmi_sim reports power but answers `chassis power off` with "Invalid data field in
# request" unless the VM is wired to it through QEMU's ipmi-bmc-extern serial link (docs/lab.md).
#
# usage: bmc-conf.sh DIR NAME PORT USER PASSWORD INDEX CHASSIS
set -euo pipefail
dir=$1 name=$2 port=$3 user=$4 password=$5 index=$6 chassis=$7
mkdir -p "$dir/state"
printf '%s\n' 'mc_setbmc 0x20' 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr' 'mc_enable 0x20' > "$dir/bmc.emu"
umask 077
cat > "$dir/lan.conf" <<CONF
name "$name"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $port
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a1b2c3d4e5f60718293a4b5c6d7e8f9$index
  endlan
  chassis_control "$chassis"
  user 2 true "$user" "$password" admin 10 none md2 md5 straight
CONF
