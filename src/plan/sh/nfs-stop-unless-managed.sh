# shellcheck shell=sh
# Stops the NFS server the package started, unless Pacemaker already manages one.
cibadmin -Q -o resources 2>/dev/null | grep -q 'type="nfsserver"' || systemctl stop nfs-server.service
