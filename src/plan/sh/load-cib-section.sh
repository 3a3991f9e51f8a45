# shellcheck shell=sh
# plan/<node>.sh's load of one section $1 of the CIB file $2 with cibadmin's $3 (--modify or --replace).
# Refuses to replace the constraints while the DRBD fence-peer handler's constraint is there: the
# script cannot keep it as apply does.
if [ "$1" = constraints ] && cibadmin -Q --scope constraints 2>/dev/null | grep -q "id=\"drbd-fence-by-handler-";
then echo "refusing to replace the constraints: the DRBD fence-peer handler placed one (its peer stays outdated until it resyncs); run this line again after the resync, or use hanfs-wizard apply, which keeps it" >&2; exit 3;
fi;
sed -n "/^ *<$1>/,/^ *<\/$1>/p" "$2" | cibadmin "$3" --scope "$1" --xml-pipe
