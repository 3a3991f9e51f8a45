#!/usr/bin/env bash
# Builds the lab's base image once, Debian 12 "bookworm" (the default) or Debian 13 "trixie"
# (LAB_DISTRO=trixie), and caches it in .lab/cache/image-<key>/ (trixie: .lab/cache/trixie/image-<key>/),
# where <key> is a hash of this script and the distribution: everything that goes into the image (package
# list, guest files) is written below, so editing any of it builds a new image of both, and an unchanged
# script reuses the cached one in a second. One script for both releases, so they cannot drift apart:
# the package names are the same on both (checked by building both), only what they bring differs.
#
# usage: test/lab/build-image.sh          prints the cache folder on its last line
#        LAB_DISTRO=trixie test/lab/build-image.sh
#        LAB_DIR=/elsewhere test/lab/build-image.sh
#        LAB_CACHE=/var/cache/hanfs-wizard/lab test/lab/build-image.sh   (a cache that outlives the clone: CI)
#
# Output: base.img (raw ext4, the VMs' read-only backing file), vmlinuz, initrd.img, packages.txt
# (dpkg-query of the image), timings.txt, build.log.
#
# Nothing node-specific is baked in: hostname and machine-id come from the kernel command line, the
# root authorized_keys and the node's SSH host key from QEMU's fw_cfg (see start-node.sh), so one image
# serves both VMs and a new lab key never forces a rebuild.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB_DIR=${LAB_DIR:-$ROOT/.lab}
MIRROR=${LAB_MIRROR:-http://deb.debian.org/debian}
SUITE=${LAB_DISTRO:-bookworm}
case "$SUITE" in
  bookworm) CACHE=${LAB_CACHE:-$LAB_DIR/cache} ;;
  trixie) CACHE=${LAB_CACHE:-$LAB_DIR/cache}/trixie ;;
  *) echo "error: LAB_DISTRO: '$SUITE' is not bookworm or trixie" >&2; exit 2 ;;
esac
KEY=$( (cat "$HERE/build-image.sh"; echo "$SUITE") | sha256sum | cut -c1-16)
OUT=$CACHE/image-$KEY

if [ -f "$OUT/done" ] && [ -f "$OUT/base.img" ] && [ -f "$OUT/vmlinuz" ] && [ -f "$OUT/initrd.img" ]; then
  echo "lab: base image cached (key $KEY)" >&2
  echo "$OUT"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "error: building the lab image needs root (debootstrap, chroot); run as root or reuse a cached image" >&2
  exit 1
fi
bash "$HERE/host-deps.sh"

# Packages inside the VMs: the whole stack the wizard configures, preinstalled because the VMs have no
# route to any mirror (user-mode NIC with restrict=on). pacemaker-cli-utils is separate: with
# --no-install-recommends pacemaker alone lacks crm_mon (LAB.md pitfall 1). iptables: ocf:heartbeat:portblock
# (around the virtual IP, docs/ha-tuning.md) blocks NFS's port with it; resource-agents does not pull it in.
# man-db and bash-completion: the release proof (test/lab/release.test.ts) reads the man page and completes
# in the guests. fence_ipmilan (against the lab's BMCs, below), sbd and corosync-qdevice: the fencing
# choices of issue 26 (docs/lab.md "Fencing in the lab"); installed, not configured: apply configures them.
# trixie: the same names; what they bring differs (kernel 6.12 with its in-tree DRBD 8.4 module, pacemaker
# 3.0.0, corosync 3.1.9, drbd-utils 9.22.0, resource-agents 4.16.0, nfs-kernel-server 2.8.3: packages.txt).
PKGS=(
  linux-image-amd64 initramfs-tools kmod udev systemd-sysv dbus openssh-server iproute2 iputils-ping
  drbd-utils mdadm lvm2 pacemaker pacemaker-cli-utils corosync resource-agents nfs-kernel-server nfs-common
  e2fsprogs xfsprogs procps psmisc less ca-certificates iptables
  man-db bash-completion sbd corosync-qdevice
)
# fence_ipmilan: Debian 12 ships every agent in one package; Debian 13 split them, and its `fence-agents`
# pulls all of them (the cloud SDKs alone are 700 MB, more than the image holds): its own package there.
# ipmitool: fence_ipmilan runs it; bookworm's fence-agents does not depend on it (trixie's fence-agents-ipmilan
# does), and the guests cannot download it (no way out): apply's fencing-packages step finds it here.
case "$SUITE" in
  bookworm) PKGS+=(fence-agents ipmitool) ;;
  trixie) PKGS+=(fence-agents-ipmilan) ;;
esac

WORK=$CACHE/build-$KEY.tmp
R=$WORK/rootfs
umount_all() {
  for m in "$R/proc" "$R/sys" "$R/dev/pts" "$R/dev"; do
    mountpoint -q "$m" 2>/dev/null && umount "$m" 2>/dev/null || true
  done
}
trap 'umount_all' EXIT
umount_all
rm -rf "$WORK"
mkdir -p "$WORK"
LOG=$WORK/build.log
: > "$WORK/timings.txt"
t() {  # runs a step, logs its output, records its wall time
  local name=$1; shift
  local s; s=$(date +%s.%N)
  if ! "$@" >>"$LOG" 2>&1; then
    echo "error: image build step '$name' failed; last lines of $LOG:" >&2
    tail -n 25 "$LOG" >&2
    exit 1
  fi
  printf '%-28s %6.1f s\n' "$name" "$(echo "$(date +%s.%N) - $s" | bc)" | tee -a "$WORK/timings.txt" >&2
}
T0=$(date +%s.%N)
echo "lab: building base image $KEY in $WORK (log: $LOG)" >&2

t debootstrap debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR"

# No daemon may start inside the chroot while packages install (policy-rc.d 101 = "not allowed").
printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d"
chmod +x "$R/usr/sbin/policy-rc.d"
rm -f "$R/etc/apt/sources.list"
cat > "$R/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
mount -t proc proc "$R/proc"
mount -t sysfs sys "$R/sys"
mount --bind /dev "$R/dev"
mount --bind /dev/pts "$R/dev/pts"

install_pkgs() {
  chroot "$R" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c \
    "apt-get update -qq && apt-get install -y -q --no-install-recommends $*"
}
t apt-install install_pkgs "${PKGS[*]}"

# ---- guest configuration ------------------------------------------------------------------------
echo '/dev/vda / ext4 rw,noatime 0 1' > "$R/etc/fstab"
rm -f "$R/etc/hostname"                      # systemd.hostname= on the kernel command line
: > "$R/etc/machine-id"                      # systemd.machine_id= on the kernel command line
# The lab has no DNS (the user-mode NIC is restricted). With the host's resolv.conf copied in, every
# lookup would hang and then fail as "temporary failure" (sm-notify refused the VIP as its name that
# way), which no real server does. So, as on a DNS-less cluster: names in /etc/hosts, files only.
cat > "$R/etc/hosts" <<'HOSTS'
127.0.0.1 localhost
::1 localhost ip6-localhost ip6-loopback
192.168.101.11 lab1
192.168.101.12 lab2
192.168.102.11 lab1-repl
192.168.102.12 lab2-repl
192.168.101.100 hanfs-lab-vip
192.168.101.1 hanfs-lab-gw
HOSTS
sed -i 's/^hosts:.*/hosts:          files/' "$R/etc/nsswitch.conf"
rm -f "$R/etc/resolv.conf"

# Stable NIC names by MAC (start-node.sh sets 52:54:00:4c:<net>:<node>): mgmt0 = QEMU user-mode NIC (SSH
# from the host), svc0 = service network (clients, virtual IP, ping target), repl0 = replication link.
mkdir -p "$R/etc/systemd/network"
for nic in 01:mgmt0 02:svc0 03:repl0; do
  net=${nic%%:*} name=${nic#*:}
  cat > "$R/etc/systemd/network/10-$name.link" <<EOF
[Match]
MACAddress=52:54:00:4c:$net:01 52:54:00:4c:$net:02
[Link]
Name=$name
EOF
done
cat > "$R/etc/systemd/network/20-mgmt0.network" <<'EOF'
[Match]
Name=mgmt0
[Network]
DHCP=ipv4
LinkLocalAddressing=no
IPv6AcceptRA=no
EOF
# Static addresses per node, matched by MAC. A cut cable must not make networkd drop the address: the
# drills cut links and expect the node to come back as it was, like a server with a static config.
for n in 1 2; do
  for spec in 02:svc0:192.168.101 03:repl0:192.168.102; do
    IFS=: read -r net name subnet <<<"$spec"
    cat > "$R/etc/systemd/network/30-$name-node$n.network" <<EOF
[Match]
MACAddress=52:54:00:4c:$net:0$n
[Network]
Address=$subnet.1$n/24
LinkLocalAddressing=no
IPv6AcceptRA=no
ConfigureWithoutCarrier=yes
IgnoreCarrierLoss=yes
EOF
  done
done

# An emulated CPU (TCG) on a loaded host boots slowly: Debian 13's kernel and udev took over 90 s to start
# systemd-networkd there (the default start timeout), which then failed and left the VM without network.
# Generous start timeouts instead: a slow boot is slow, not broken. The e2e's own waits bound the total.
mkdir -p "$R/etc/systemd/system.conf.d"
cat > "$R/etc/systemd/system.conf.d/hanfs-lab.conf" <<'EOF'
[Manager]
DefaultTimeoutStartSec=600s
DefaultDeviceTimeoutSec=600s
EOF

# The node's SSH host key and root's authorized_keys come from fw_cfg, so the host knows every VM's
# host key before it boots (known_hosts written ahead, no trust-on-first-use).
cat > "$R/usr/local/sbin/hanfs-lab-fwcfg" <<'EOF'
#!/bin/sh
set -eu
modprobe qemu_fw_cfg
D=/sys/firmware/qemu_fw_cfg/by_name/opt/hanfs
i=0
while [ ! -e "$D/ssh_host_ed25519_key/raw" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
install -d -m 700 /root/.ssh
install -m 600 "$D/authorized_keys/raw" /root/.ssh/authorized_keys
install -m 600 "$D/ssh_host_ed25519_key/raw" /etc/ssh/ssh_host_ed25519_key
ssh-keygen -y -f /etc/ssh/ssh_host_ed25519_key > /etc/ssh/ssh_host_ed25519_key.pub
EOF
chmod 755 "$R/usr/local/sbin/hanfs-lab-fwcfg"
cat > "$R/etc/systemd/system/hanfs-lab-fwcfg.service" <<'EOF'
[Unit]
Description=hanfs lab: SSH host key and authorized_keys from QEMU fw_cfg
DefaultDependencies=no
After=local-fs.target systemd-modules-load.service
Before=ssh.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/hanfs-lab-fwcfg
RemainAfterExit=yes
[Install]
WantedBy=multi-user.target
EOF
rm -f "$R"/etc/ssh/ssh_host_*
cat > "$R/etc/ssh/sshd_config.d/hanfs-lab.conf" <<'EOF'
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
MaxSessions 64
MaxStartups 64:30:128
EOF

# The root filesystem is found by a small initramfs: only what the virtio root disk needs.
sed -i 's/^MODULES=.*/MODULES=list/' "$R/etc/initramfs-tools/initramfs.conf"
printf 'virtio_pci\nvirtio_blk\nvirtio_net\next4\n' >> "$R/etc/initramfs-tools/modules"

# Bare nodes: the packages are there, but nothing of the stack runs until the wizard configures it
# (the state the probes must recognise; LAB.md measured the same). Timers that would wake the emulated
# CPU for nothing are off too. sbd and corosync-qdevice are off until apply configures them: an enabled
# sbd without a configured device or watchdog would hold corosync back at boot.
configure() {
  chroot "$R" /bin/bash -c '
    set -e
    systemctl enable systemd-networkd.service hanfs-lab-fwcfg.service ssh.service
    for u in corosync.service pacemaker.service nfs-server.service logd.service apt-daily.timer \
             apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
             dpkg-db-backup.timer man-db.timer sbd.service corosync-qdevice.service; do
      systemctl disable "$u" 2>/dev/null || true
    done
    systemctl mask systemd-firstboot.service
    passwd -l root
    update-initramfs -u -k all
    apt-get clean
    rm -rf /var/lib/apt/lists/*
  '
}
t configure configure
chroot "$R" dpkg-query -W -f='${Package} ${Version}\n' > "$WORK/packages.txt"
rm -f "$R/usr/sbin/policy-rc.d"
umount_all

cp "$(ls "$R"/boot/vmlinuz-* | sort -V | tail -n 1)" "$WORK/vmlinuz"
cp "$(ls "$R"/boot/initrd.img-* | sort -V | tail -n 1)" "$WORK/initrd.img"
chmod 644 "$WORK/vmlinuz" "$WORK/initrd.img"
# mkfs.ext4 -d copies the tree into the new filesystem: no loop mount needed.
t mkfs mkfs.ext4 -q -F -L root -d "$R" "$WORK/base.img" 2G
rm -rf "$R"
printf '%-28s %6.1f s\n' total "$(echo "$(date +%s.%N) - $T0" | bc)" | tee -a "$WORK/timings.txt" >&2
{ echo "key $KEY"; echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n), $(nproc) cores"; } > "$WORK/done"

# Publish atomically, then drop images of older versions of this script.
rm -rf "$OUT"
mv "$WORK" "$OUT"
for old in "$CACHE"/image-*; do
  [ "$old" = "$OUT" ] || rm -rf "$old"
done
echo "$OUT"
