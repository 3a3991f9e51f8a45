# shellcheck shell=sh
# The RAID step's check (src/plan/md-members.ts): $1 the array. Prints, each after a marker line, the
# array's own view (mdadm --detail, with its exit status), the block devices (lsblk -J -b -O) and the
# by-id links, so the judge compares the array's members with the answers' disks by major:minor; and the
# disk identities an earlier apply pinned on this node. Read-only.
echo "#hanfs mdadm-detail";
mdadm --detail "$1" 2>&1;
echo "#hanfs mdadm-exit $?";
echo "#hanfs lsblk";
lsblk -J -b -O;
echo "#hanfs by-id";
ls -l /dev/disk/by-id/ 2>/dev/null;
echo "#hanfs pins";
cat /var/lib/hanfs-wizard/disk-identity 2>/dev/null;
exit 0
