# shellcheck shell=sh
# Merges the start-up properties (stdin: a crm_config section) into a stopped node's CIB file $1 that holds no resource.
set -e;
c=$1;
if systemctl is-active -q pacemaker </dev/null;
then echo "Pacemaker runs here: its options are set with the configuration" >&2;
exit 0;
fi;
if [ -e "$c" ] && CIB_file="$c" cibadmin -Q -o resources </dev/null 2>/dev/null | grep -q "<primitive";
then echo "$c holds resources: left as it is" >&2;
exit 0;
fi;
if [ ! -e "$c" ];
then t="$c.hanfs-new";
cibadmin --empty </dev/null > "$t";
chown hacluster:haclient "$t" 2>/dev/null || true;
chmod 600 "$t";
mv -- "$t" "$c";
fi;
CIB_file="$c" cibadmin --modify --scope crm_config --xml-pipe
