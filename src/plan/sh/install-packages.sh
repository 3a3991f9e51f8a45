# shellcheck shell=sh
# Installs the cluster packages with the node's own package manager. Fixed text, no user values.
set -e;
if command -v apt-get >/dev/null;
then export DEBIAN_FRONTEND=noninteractive;
apt-get install -y --no-install-recommends drbd-utils pacemaker pacemaker-cli-utils corosync resource-agents nfs-kernel-server mdadm lvm2;
elif command -v dnf >/dev/null;
then dnf install -y drbd-utils pacemaker corosync resource-agents nfs-utils mdadm lvm2;
else echo "no apt-get or dnf: install the packages by hand (docs/apply.md)" >&2; exit 1;
fi
