# shellcheck shell=sh
# Demotes the DRBD resource $1 where it is up (Pacemaker adopts an up Secondary and promotes it itself).
if drbdadm status "$1" >/dev/null 2>&1;
then drbdadm secondary "$1";
fi
