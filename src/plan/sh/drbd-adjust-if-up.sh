# shellcheck shell=sh
# The DRBD resource $1 takes a changed resource file in place where it is up; a resource that is down
# reads it when it comes up.
if drbdadm status "$1" >/dev/null 2>&1;
then drbdadm adjust "$1";
fi
