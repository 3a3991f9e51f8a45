# shellcheck shell=sh
# Pins the disks the RAID step is about to turn into the array (src/plan/disk-pins.ts): "$@" the disks
# as the answers name them. One line per disk: its name, a tab, and lsblk's SERIAL, WWN and SIZE of the
# disk it names now; a later apply refuses a disk of that name whose identity differs. Owner-only, like
# the applied record beside it; written through .new + mv.
set -e;
umask 077;
mkdir -p /var/lib/hanfs-wizard;
for d in "$@"; do
printf "%s\t%s\n" "$d" "$(lsblk -d -n -b -P -o SERIAL,WWN,SIZE -- "$d")";
done > /var/lib/hanfs-wizard/disk-identity.new;
mv -f /var/lib/hanfs-wizard/disk-identity.new /var/lib/hanfs-wizard/disk-identity
