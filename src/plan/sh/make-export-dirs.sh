# shellcheck shell=sh
# Mounts the device $1 on $2, creates the directories named after them in it, and unmounts it again.
set -e;
d=$1; m=$2; shift 2;
mkdir -p -- "$m";
mount -- "$d" "$m";
mkdir -p -- "$@";
umount -- "$m"
