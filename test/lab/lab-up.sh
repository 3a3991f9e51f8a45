#!/usr/bin/env bash
# Brings the two-node lab up from bare: (cached) base image, fresh overlays and blank disks, the lab's
# SSH key and each VM's host key, free loopback ports, the service-network hub, both VMs booted, and
# waits until SSH answers on both with the expected host keys. On any failure everything it started is
# stopped again (lab-down.sh). Everything goes under .lab/ (git-ignored).
#
# usage: test/lab/lab-up.sh           (npm run lab:up)
# env:   LAB_SMP (2), LAB_MEM (1024), LAB_ACCEL (auto|tcg|kvm), LAB_BOOT_TIMEOUT (600 s),
#        LAB_SSH_PORT_BASE (2221: lab1 2221, lab2 2222 when free, else any free port)
#        LAB_BMC=1: one virtual BMC per VM (bmc-up.sh, ipmi_sim on LAB_BMC_PORT_BASE..), reachable from the
#        guests at LAB_BMC_ADDRS through the hub, and .lab/lab-answers-ipmi.yaml (fencing through them)
#        LAB_SBD=1: a blank shared disk attached to both VMs and an i6300esb watchdog in each (start-node.sh),
#        and .lab/lab-answers-sbd.yaml (fencing by SBD on that disk)
#
# Results, for scripts and for the wizard's SSH runner:
#   .lab/run/lab.env, .lab/run/lab.json   ports, PIDs, fingerprints, timings
#   .lab/id_ed25519                       root's key on both VMs
#   .lab/known_hosts                      "[127.0.0.1]:PORT ssh-ed25519 ..." for both VMs
#   .lab/home/.ssh/                       the same key and known_hosts where ~/.ssh readers look (HOME=.lab/home)
#   .lab/run/ssh_config                   ssh -F .lab/run/ssh_config lab1
#   .lab/lab-answers.yaml                 test/lab/lab-answers.yaml with the ports actually used
#   .lab/lab-answers-ipmi.yaml            (LAB_BMC=1) test/lab/lab-answers-ipmi.yaml, the same way
#   .lab/run/hub.sock                     the hub's fault controls for the fencing drills (svc-hub.mjs --control)
#   .lab/lab-answers-sbd.yaml             (LAB_SBD=1) test/lab/lab-answers-sbd.yaml, the same way
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test/lab/lab.conf
source "$HERE/lab.conf"
T0=$(date +%s.%N)
since() { printf "%.1f" "$(echo "$(date +%s.%N) - $1" | bc)"; }

for n in "${LAB_NODES[@]}"; do
  if qemu_running "$n"; then
    echo "error: the lab is already up ($n PID $(cat "$LAB_RUN/$n/qemu.pid")): npm run lab:down first" >&2
    exit 1
  fi
done

bash "$HERE/host-deps.sh"
TB=$(date +%s.%N)
# LAB_DISTRO picks the guests' release: bookworm (Debian 12, the default) or trixie (Debian 13): one
# image script, a cache folder each (build-image.sh).
IMAGE=$(bash "$HERE/build-image.sh" | tail -n 1)
IMAGE_SECONDS=$(since "$TB")

started=0
cleanup_on_error() {
  local rc=$?
  if [ $rc -ne 0 ] && [ $started -eq 1 ]; then
    echo "lab: bring-up failed, stopping what was started" >&2
    for n in "${LAB_NODES[@]}"; do
      [ -f "$LAB_RUN/$n/console.log" ] && { echo "--- last console lines of $n:" >&2; tail -n 8 "$LAB_RUN/$n/console.log" >&2; }
    done
    bash "$HERE/lab-down.sh" || true
  fi
}
trap cleanup_on_error EXIT

mkdir -p "$LAB_DIR"
rm -rf "$LAB_RUN"
mkdir -p "$LAB_RUN"
[ -f "$LAB_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C hanfs-lab -f "$LAB_DIR/id_ed25519"

read -r SSH1 SSH2 HUB SVC1 SVC2 REPL1 REPL2 < <(node "$HERE/free-ports.mjs" \
  "tcp:$LAB_SSH_PORT_BASE" "tcp:$((LAB_SSH_PORT_BASE + 1))" udp:0 udp:0 udp:0 udp:0 udp:0)
cat > "$LAB_RUN/lab.env" <<EOF
LAB_IMAGE=$IMAGE
LAB_SSH_PORT_1=$SSH1
LAB_SSH_PORT_2=$SSH2
LAB_HUB_PORT=$HUB
LAB_SVC_PORT_1=$SVC1
LAB_SVC_PORT_2=$SVC2
LAB_REPL_PORT_1=$REPL1
LAB_REPL_PORT_2=$REPL2
LAB_SBD=${LAB_SBD:-0}
EOF

# Fresh bare disks and overlays, one host key per VM (known before boot).
: > "$LAB_DIR/known_hosts"
for n in "${LAB_NODES[@]}"; do
  i=$(node_index "$n")
  d=$LAB_RUN/$n
  mkdir -p "$d"
  qemu-img create -q -f qcow2 -b "$IMAGE/base.img" -F raw "$d/overlay.qcow2"
  truncate -s "$LAB_RAID_DISK_SIZE" "$d/disk-b.img" "$d/disk-c.img"
  truncate -s "$LAB_EXT4_DISK_SIZE" "$d/disk-d.img"
  mkfs.ext4 -q -F -L "olddata$i" "$d/disk-d.img"
  ssh-keygen -q -t ed25519 -N '' -C "$n" -f "$d/ssh_host_ed25519_key"
  port_var=SSH$i
  echo "[127.0.0.1]:${!port_var} $(cut -d' ' -f1-2 "$d/ssh_host_ed25519_key.pub")" >> "$LAB_DIR/known_hosts"
done

{
  for n in "${LAB_NODES[@]}"; do
    i=$(node_index "$n"); port_var=SSH$i
    cat <<EOF
Host $n
  HostName 127.0.0.1
  Port ${!port_var}
  User root
  IdentityFile $LAB_DIR/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $LAB_DIR/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 5
  ServerAliveInterval 5
  ServerAliveCountMax 2
  LogLevel ERROR
  ControlMaster auto
  ControlPath $LAB_RUN/cm-%n
  ControlPersist 120

EOF
  done
} > "$LAB_RUN/ssh_config"
mkdir -p "$LAB_DIR/home/.ssh"
chmod 700 "$LAB_DIR/home" "$LAB_DIR/home/.ssh"
cp "$LAB_DIR/id_ed25519" "$LAB_DIR/id_ed25519.pub" "$LAB_DIR/known_hosts" "$LAB_DIR/home/.ssh/"
sed -e "s/127\.0\.0\.1:2221/127.0.0.1:$SSH1/; s/127\.0\.0\.1:2222/127.0.0.1:$SSH2/" \
  "$HERE/lab-answers.yaml" > "$LAB_DIR/lab-answers.yaml"
rm -f "$LAB_DIR/lab-answers-ipmi.yaml" "$LAB_DIR/lab-answers-sbd.yaml"
if [ "${LAB_SBD:-0}" = 1 ]; then
  # Blank, like a new LUN: apply's cluster/sbd-create writes SBD's header and slots on it.
  truncate -s "$LAB_SBD_DISK_SIZE" "$LAB_RUN/sbd-disk.img"
  sed -e "s/127\.0\.0\.1:2221/127.0.0.1:$SSH1/; s/127\.0\.0\.1:2222/127.0.0.1:$SSH2/" \
    "$HERE/lab-answers-sbd.yaml" > "$LAB_DIR/lab-answers-sbd.yaml"
fi
HUB_BMC_ARGS=()
if [ "${LAB_BMC:-0}" = 1 ]; then
  sed -e "s/127\.0\.0\.1:2221/127.0.0.1:$SSH1/; s/127\.0\.0\.1:2222/127.0.0.1:$SSH2/" \
    "$HERE/lab-answers-ipmi.yaml" > "$LAB_DIR/lab-answers-ipmi.yaml"
  for n in "${LAB_NODES[@]}"; do
    i=$(node_index "$n")
    HUB_BMC_ARGS+=(--bmc "${LAB_BMC_ADDRS[$((i - 1))]}=$((LAB_BMC_PORT_BASE + i - 1))")
  done
fi

started=1
setsid nohup node "$HERE/svc-hub.mjs" --listen "$HUB" --peer "$SVC1" --peer "$SVC2" --gateway "$LAB_GATEWAY" --control "$LAB_RUN/hub.sock" \
  "${HUB_BMC_ARGS[@]}" > "$LAB_RUN/hub.log" 2>&1 < /dev/null &
echo $! > "$LAB_RUN/hub.pid"

TBOOT=$(date +%s.%N)
for n in "${LAB_NODES[@]}"; do bash "$HERE/start-node.sh" "$n"; done

# Wait for SSH with the pre-written known_hosts: a VM answering with another host key fails here.
ready=()
end=$(( $(date +%s) + LAB_BOOT_TIMEOUT ))
declare -A up_at=()
while [ ${#ready[@]} -lt ${#LAB_NODES[@]} ]; do
  for n in "${LAB_NODES[@]}"; do
    [ -n "${up_at[$n]:-}" ] && continue
    qemu_running "$n" || { echo "error: $n's QEMU exited during boot" >&2; exit 1; }
    if ssh -F "$LAB_RUN/ssh_config" -o ControlMaster=no -o ControlPath=none "$n" true 2>/dev/null; then
      up_at[$n]=$(since "$TBOOT"); ready+=("$n")
      echo "lab: $n answers SSH after ${up_at[$n]} s" >&2
    fi
  done
  [ ${#ready[@]} -lt ${#LAB_NODES[@]} ] || break
  if [ "$(date +%s)" -ge "$end" ]; then
    echo "error: no SSH from ${LAB_NODES[*]} within ${LAB_BOOT_TIMEOUT} s (consoles in $LAB_RUN/*/console.log)" >&2
    exit 1
  fi
  sleep 2
done
BOOT_SECONDS=$(since "$TBOOT")

# The BMCs come after the boot: they adopt the running VMs (power state = the QEMU in qemu.pid).
if [ "${LAB_BMC:-0}" = 1 ]; then bash "$HERE/bmc-up.sh"; fi

# Cross-check what the VMs serve against what the host generated, and record the fingerprints.
fp=()
for n in "${LAB_NODES[@]}"; do
  i=$(node_index "$n"); port_var=SSH$i
  served=$(ssh-keyscan -T 10 -t ed25519 -p "${!port_var}" 127.0.0.1 2>/dev/null | awk '{print $3}')
  expected=$(awk '{print $2}' "$LAB_RUN/$n/ssh_host_ed25519_key.pub")
  [ "$served" = "$expected" ] || { echo "error: $n serves an unexpected host key" >&2; exit 1; }
  fp+=("$(ssh-keygen -l -E sha256 -f "$LAB_RUN/$n/ssh_host_ed25519_key.pub" | awk '{print $2}')")
done

cat >> "$LAB_RUN/lab.env" <<EOF
LAB_QEMU_PID_1=$(cat "$LAB_RUN/lab1/qemu.pid")
LAB_QEMU_PID_2=$(cat "$LAB_RUN/lab2/qemu.pid")
LAB_HUB_PID=$(cat "$LAB_RUN/hub.pid")
LAB_HOSTKEY_FP_1=${fp[0]}
LAB_HOSTKEY_FP_2=${fp[1]}
EOF
cat > "$LAB_RUN/lab.json" <<EOF
{
  "repo": "$LAB_REPO",
  "labDir": "$LAB_DIR",
  "image": "$IMAGE",
  "accel": "$(cat "$LAB_RUN/lab1/accel")",
  "vcpus": $LAB_SMP,
  "memMiB": $LAB_MEM,
  "identity": "$LAB_DIR/id_ed25519",
  "knownHosts": "$LAB_DIR/known_hosts",
  "home": "$LAB_DIR/home",
  "sshConfig": "$LAB_RUN/ssh_config",
  "answers": "$LAB_DIR/lab-answers.yaml",
  "answersIpmi": $( [ "${LAB_BMC:-0}" = 1 ] && echo "\"$LAB_DIR/lab-answers-ipmi.yaml\"" || echo null ),
  "answersSbd": $( [ "${LAB_SBD:-0}" = 1 ] && echo "\"$LAB_DIR/lab-answers-sbd.yaml\"" || echo null ),
  "vip": "$LAB_VIP",
  "gateway": "$LAB_GATEWAY",
  "hub": { "pid": $(cat "$LAB_RUN/hub.pid"), "port": $HUB },
  "nodes": [
    { "name": "lab1", "sshPort": $SSH1, "pid": $(cat "$LAB_RUN/lab1/qemu.pid"), "hostKeySha256": "${fp[0]}",
      "service": "$LAB_SVC_SUBNET.11", "replication": "$LAB_REPL_SUBNET.11", "monitor": "$LAB_RUN/lab1/monitor.sock",
      "bootSeconds": ${up_at[lab1]} },
    { "name": "lab2", "sshPort": $SSH2, "pid": $(cat "$LAB_RUN/lab2/qemu.pid"), "hostKeySha256": "${fp[1]}",
      "service": "$LAB_SVC_SUBNET.12", "replication": "$LAB_REPL_SUBNET.12", "monitor": "$LAB_RUN/lab2/monitor.sock",
      "bootSeconds": ${up_at[lab2]} }
  ],
  "timings": { "imageSeconds": $IMAGE_SECONDS, "bootBothToSshSeconds": $BOOT_SECONDS, "totalSeconds": $(since "$T0") }
}
EOF
started=0
cat >&2 <<EOF
lab: up in $(since "$T0") s (image $IMAGE_SECONDS s, both VMs to SSH $BOOT_SECONDS s, accel $(cat "$LAB_RUN/lab1/accel"))
  lab1: ssh -F $LAB_RUN/ssh_config lab1   (127.0.0.1:$SSH1, PID $(cat "$LAB_RUN/lab1/qemu.pid"), host key ${fp[0]})
  lab2: ssh -F $LAB_RUN/ssh_config lab2   (127.0.0.1:$SSH2, PID $(cat "$LAB_RUN/lab2/qemu.pid"), host key ${fp[1]})
  answers: $LAB_DIR/lab-answers.yaml    stop: npm run lab:down
EOF
