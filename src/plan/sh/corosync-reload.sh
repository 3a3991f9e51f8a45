# shellcheck shell=sh
# After corosync.conf changed: a cluster that runs resources reloads it in place; a Corosync without any
# resource is the package's default cluster, started at install time: stopped, "start Corosync and
# Pacemaker" starts ours.
if systemctl is-active -q corosync;
then if cibadmin -Q -o resources 2>/dev/null | grep -q "<primitive";
then corosync-cfgtool -R;
else systemctl stop pacemaker corosync;
fi;
fi
