#!/usr/bin/env bash
# The whole path a guest's fence takes to a virtual BMC, without booting the lab: the real fence_ipmilan
# runs in a network namespace whose only NIC is a TAP with the guest's service address (192.168.101.11);
# a QEMU with no machine (`-machine none`) joins that TAP and a `-netdev dgram` NIC in one QEMU hub, as a
# lab VM's svc0 reaches the service hub; svc-hub.mjs (--bmc) answers ARP for the BMC address and relays
# UDP 623 to ipmi_sim on 127.0.0.1 (bmc-conf.sh + bmc-power.sh, as bmc-up.sh sets them up); the
# "machine" is a diskless QEMU. Checks status OFF, on, reboot (a new QEMU), off (status OFF).
# Needs root (network namespace, TAP). Every process it starts is stopped by its PID, the namespace and
# the TAP removed, also on failure. Run under nice (the lab may run beside it):
#
# usage: nice -n 19 bash test/lab/bmc-path-check.sh
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "error: needs root (ip netns, a TAP device)" >&2; exit 1; }
for c in ipmi_sim fence_ipmilan qemu-system-x86_64 node ip; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$c" >/dev/null || { echo "error: $c missing (test/lab/host-deps.sh)" >&2; exit 1; }
done
D=$(mktemp -d)
NS=hanfs-bmc-$$
TAP=hbmc$$
NAME=hanfs-bmc-path-$$
PIDS=()
cleanup() {
  local q
  # A power on still starting in the background (bmc-power.sh holds this lock meanwhile) would leave a
  # QEMU behind: wait for it first.
  [ -e "$D/qemu.pid.power.lock" ] && flock -w 60 "$D/qemu.pid.power.lock" true
  q=$(cat "$D/qemu.pid" 2>/dev/null) && tr '\0' ' ' < "/proc/$q/cmdline" 2>/dev/null | grep -qF -- "-name $NAME " && kill -KILL "$q"
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  ip netns del "$NS" 2>/dev/null
  ip link del "$TAP" 2>/dev/null
  rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; tail -n 5 "$D"/*.log >&2; exit 1; }

read -r HUB GUEST OTHER BMC < <(node "$HERE/free-ports.mjs" udp:0 udp:0 udp:0 udp:0)
printf '%s\n' "exec qemu-system-x86_64 -name \"\$1\" -machine q35 -accel tcg -m 64 -display none -nodefaults -daemonize -pidfile $D/qemu.pid >>$D/qemu.log 2>&1 </dev/null" > "$D/start.sh"
bash "$HERE/bmc-conf.sh" "$D/bmc" lab1 "$BMC" admin lab-bmc-check 1 "bash $HERE/bmc-power.sh $D/qemu.pid $NAME $D/start.sh $NAME"
ipmi_sim -c "$D/bmc/lan.conf" -f "$D/bmc/bmc.emu" -s "$D/bmc/state" -n > "$D/ipmi_sim.log" 2>&1 < /dev/null &
PIDS+=($!)
node "$HERE/svc-hub.mjs" --listen "$HUB" --peer "$GUEST" --peer "$OTHER" --gateway 192.168.101.1 --bmc "192.168.101.201=$BMC" > "$D/hub.log" 2>&1 < /dev/null &
PIDS+=($!)
ip tuntap add dev "$TAP" mode tap || fail "cannot create a TAP device"
qemu-system-x86_64 -machine none -nodefaults -display none \
  -netdev "tap,id=t0,ifname=$TAP,script=no,downscript=no" \
  -netdev "dgram,id=d0,local.type=inet,local.host=127.0.0.1,local.port=$GUEST,remote.type=inet,remote.host=127.0.0.1,remote.port=$HUB" \
  -netdev hubport,id=h0,hubid=0,netdev=t0 -netdev hubport,id=h1,hubid=0,netdev=d0 > "$D/bridge.log" 2>&1 < /dev/null &
PIDS+=($!)
BRIDGE=$!
# The TAP moves into the namespace only once that QEMU holds it open: moved earlier, QEMU would open a
# new TAP of the same name here, and nothing would carry the namespace's frames (a loaded machine is slow).
for _ in $(seq 1 300); do ip -details tuntap show dev "$TAP" 2>/dev/null | grep -q "($BRIDGE)" && break; sleep 0.1; done
ip -details tuntap show dev "$TAP" | grep -q "($BRIDGE)" || fail "the bridge QEMU did not open the TAP"
ip netns add "$NS" || fail "cannot create a network namespace"
ip link set "$TAP" netns "$NS" || fail "cannot move the TAP into the namespace"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip addr add 192.168.101.11/24 dev "$TAP"
ip netns exec "$NS" ip link set "$TAP" up
sleep 1

fence() {  # action -> prints the agent's output; options on stdin as Pacemaker passes them
  printf 'ip=192.168.101.201\nipport=623\nusername=admin\npassword=lab-bmc-check\nlanplus=1\ncipher=3\naction=%s\n' "$1" |
    ip netns exec "$NS" fence_ipmilan 2>>"$D/fence.log"  # its errors, shown on failure
}
running() { local q; q=$(cat "$D/qemu.pid" 2>/dev/null) && tr '\0' ' ' < "/proc/$q/cmdline" 2>/dev/null | grep -qF -- "-name $NAME "; }

# The agent's exit code says the power state (2 = off): judged by its output, not by the pipeline.
out=$(fence status); [[ $out == *'Status: OFF'* ]] || fail "status before power on is not OFF: $out"
echo "ok: status OFF through the hub (no machine yet)"
out=$(fence on); { [[ $out == *'Powered ON'* ]] && running; } || fail "on did not start the machine: $out"
echo "ok: on -> QEMU PID $(cat "$D/qemu.pid")"
before=$(cat "$D/qemu.pid")
out=$(fence reboot); { [[ $out == *'Rebooted'* ]] && running && [ "$(cat "$D/qemu.pid")" != "$before" ]; } || fail "reboot did not replace QEMU $before: $out"
echo "ok: reboot -> QEMU $before killed, PID $(cat "$D/qemu.pid") running"
out=$(fence off); { [[ $out == *'Powered OFF'* ]] && ! running; } || fail "off left the machine running: $out"
out=$(fence status); [[ $out == *'Status: OFF'* ]] || fail "status after off is not OFF: $out"
echo "ok: off -> QEMU gone, status OFF"
ip netns exec "$NS" ip neigh show 192.168.101.201 | grep -q '52:54:00:4c:02:c1' || fail "no ARP entry for the BMC"
echo "ok: the BMC address resolved by ARP to the hub's 52:54:00:4c:02:c1"
echo "PASS: fence_ipmilan -> TAP -> QEMU hub -> svc-hub.mjs -> ipmi_sim -> bmc-power.sh -> QEMU"
