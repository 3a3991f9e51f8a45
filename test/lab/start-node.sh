#!/usr/bin/env bash
# Boots one lab VM from the files lab-up.sh prepared in .lab/run/<node>/ (overlay, disks, host key),
# in the background; its PID goes to .lab/run/<node>/qemu.pid. Also used by the drills to restart a
# killed node with its disks as they were. Does not wait for SSH (lab-up.sh and the e2e harness do).
#
# usage: test/lab/start-node.sh lab1|lab2
# Accelerator: LAB_ACCEL=kvm|tcg forces one; otherwise KVM only where the CPU shows vmx/svm, /dev/kvm
# opens and a 3 s test VM really runs guest code under it (LAB.md: a /dev/kvm without VT-x behind it
# aborts or hangs QEMU), else TCG. The choice goes to .lab/run/<node>/accel.
set -euo pipefail
# shellcheck source=test/lab/lab.conf
source "$(dirname "$0")/lab.conf"
NODE=${1:?usage: start-node.sh lab1|lab2}
N=$(node_index "$NODE")
D=$LAB_RUN/$NODE
[ -f "$LAB_RUN/lab.env" ] || { echo "error: $LAB_RUN/lab.env missing: run npm run lab:up first" >&2; exit 1; }
# shellcheck source=/dev/null
source "$LAB_RUN/lab.env"
for f in overlay.qcow2 disk-b.img disk-c.img disk-d.img ssh_host_ed25519_key; do
  [ -f "$D/$f" ] || { echo "error: $D/$f missing: run npm run lab:up first" >&2; exit 1; }
done
if qemu_running "$NODE"; then
  echo "error: $NODE already runs (PID $(cat "$D/qemu.pid"))" >&2
  exit 1
fi
rm -f "$D/qemu.pid" "$D/monitor.sock"

kvm_try() {  # $1 = -cpu value; true when SeaBIOS ran under KVM with that CPU model
  local t rc; t=$(mktemp -d)
  timeout 3 qemu-system-x86_64 -machine q35 -accel kvm -cpu "$1" -m 64 -display none -nodefaults \
    -debugcon file:"$t/dbg" -global isa-debugcon.iobase=0x402 -no-reboot >"$t/err" 2>&1 </dev/null || true
  grep -q SeaBIOS "$t/dbg" 2>/dev/null; rc=$?
  rm -rf "$t"; return $rc
}
pick_accel() {
  if [ "${LAB_ACCEL:-}" = tcg ]; then echo "tcg max"; return; fi
  if [ "${LAB_ACCEL:-}" != kvm ]; then
    grep -qwE 'vmx|svm' /proc/cpuinfo || { echo "tcg max"; return; }
  fi
  if [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    for c in host host,-arch-capabilities; do kvm_try "$c" && { echo "kvm $c"; return; }; done
  fi
  echo "tcg max"
}
read -r ACCEL CPU < <(pick_accel)
echo "$ACCEL $CPU" > "$D/accel"

SVC_LOCAL_VAR=LAB_SVC_PORT_$N
REPL_LOCAL_VAR=LAB_REPL_PORT_$N
REPL_PEER_VAR=LAB_REPL_PORT_$((3 - N))
SSH_PORT_VAR=LAB_SSH_PORT_$N
dgram() {  # id local-port remote-port
  echo "dgram,id=$1,local.type=inet,local.host=127.0.0.1,local.port=$2,remote.type=inet,remote.host=127.0.0.1,remote.port=$3"
}
disk() {  # file id serial
  echo "-drive file=$1,if=none,id=$2,format=raw,cache=none,aio=threads -device virtio-blk-pci,drive=$2,serial=$3"
}
SERIAL=HANFS-$(echo "$NODE" | tr '[:lower:]' '[:upper:]')
# LAB_SBD=1 (from lab.env, so a restarted node gets them too): the shared SBD disk and the watchdog, after
# the hot-plug port so that no other device's PCI address (and so no NIC or disk name) changes.
# share-rw=on: two QEMU processes may then open the same raw file for writing (without it the second
# fails with 'Failed to get "write" lock'); cache=none: each write goes to the file, not to this QEMU's
# page cache, so the other VM reads it (the SBD slots are read and written with O_DIRECT in the guests).
# i6300esb is the watchdog QEMU emulates for PCI guests; -action watchdog=reset resets the VM when it
# fires (the QEMU process stays, as a server stays powered when its watchdog resets it). QEMU's `stop`
# (the paused-node drills) freezes that timer with the guest.
SBD_ARGS=()
if [ "${LAB_SBD:-0}" = 1 ]; then
  [ -f "$LAB_RUN/sbd-disk.img" ] || { echo "error: $LAB_RUN/sbd-disk.img missing: LAB_SBD=1 npm run lab:up first" >&2; exit 1; }
  SBD_ARGS=(-drive "file=$LAB_RUN/sbd-disk.img,if=none,id=sbd,format=raw,cache=none,aio=threads"
    -device "virtio-blk-pci,drive=sbd,serial=$LAB_SBD_SERIAL,share-rw=on"
    -device i6300esb -action watchdog=reset)
fi

# -daemonize returns once the VM is set up, so a busy port or a bad option fails here, visibly.
# The last device, an empty PCIe root port (hanfs-hp): q35 hot-plugs a device only into a free root port, and
# the disk-replace drill plugs a blank disk there (QEMU's device_add), as an admin slides one into a bay.
# Last, so every other device keeps the PCI address (and so the name) it always had. A second one
# (hanfs-hp2), after everything else for the same reason: the disk drill from the live monitor
# (test/lab/drills/disk-replace-monitor.ts) plugs its blank disk there after the first drill filled hanfs-hp.
# The user-mode NIC has restrict=on: the guest reaches nothing outside; only the SSH forward comes in.
# shellcheck disable=SC2046  # disk() output is meant to split into words
qemu-system-x86_64 -name "$NODE" -machine q35 -accel "$ACCEL" -cpu "$CPU" -m "$LAB_MEM" -smp "$LAB_SMP" \
  -nodefaults -display none -daemonize -pidfile "$D/qemu.pid" \
  -monitor "unix:$D/monitor.sock,server,nowait" -serial "file:$D/console.log" \
  -kernel "$LAB_IMAGE/vmlinuz" -initrd "$LAB_IMAGE/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0 quiet systemd.hostname=$NODE systemd.machine_id=6c61620000000000000000000000000$N panic=10" \
  -fw_cfg "name=opt/hanfs/authorized_keys,file=$LAB_DIR/id_ed25519.pub" \
  -fw_cfg "name=opt/hanfs/ssh_host_ed25519_key,file=$D/ssh_host_ed25519_key" \
  -drive "file=$D/overlay.qcow2,if=none,id=root,format=qcow2,cache=unsafe" -device virtio-blk-pci,drive=root \
  $(disk "$D/disk-b.img" b "$SERIAL-B") \
  $(disk "$D/disk-c.img" c "$SERIAL-C") \
  $(disk "$D/disk-d.img" d "$SERIAL-OLDEXT4") \
  -netdev "user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:${!SSH_PORT_VAR}-:22" \
  -device "virtio-net-pci,netdev=mgmt,mac=52:54:00:4c:01:0$N" \
  -netdev "$(dgram svc "${!SVC_LOCAL_VAR}" "$LAB_HUB_PORT")" \
  -device "virtio-net-pci,netdev=svc,mac=52:54:00:4c:02:0$N" \
  -netdev "$(dgram repl "${!REPL_LOCAL_VAR}" "${!REPL_PEER_VAR}")" \
  -device "virtio-net-pci,netdev=repl,mac=52:54:00:4c:03:0$N" \
  -device pcie-root-port,id=hanfs-hp,chassis=9,slot=9 \
  "${SBD_ARGS[@]}" \
  -device pcie-root-port,id=hanfs-hp2,chassis=10,slot=10 \
  >>"$D/qemu.log" 2>&1 </dev/null || {
  echo "error: QEMU for $NODE did not start; $D/qemu.log says:" >&2
  tail -n 5 "$D/qemu.log" >&2
  exit 1
}
echo "lab: $NODE started, PID $(cat "$D/qemu.pid"), accel $ACCEL, ssh 127.0.0.1:${!SSH_PORT_VAR}" >&2
