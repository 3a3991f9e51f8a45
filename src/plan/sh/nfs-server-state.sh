# shellcheck shell=sh
# Read-only: where Pacemaker runs the NFS server ($1 the resource, $2 this node), whether it is active here, since when, and the newest configuration file's mtime.
r=$1;
n=$2;
shift 2;
printf "locate: %s\n" "$(crm_resource --locate --resource "$r" 2>/dev/null | tr "\n" " ")";
printf "node: %s\n" "$n";
printf "active: %s\n" "$(systemctl is-active nfs-server.service 2>/dev/null)";
t=$(systemctl show -p ActiveEnterTimestamp --value nfs-server.service 2>/dev/null);
printf "started: %s\n" "$( [ -n "$t" ] && date -d "$t" +%s 2>/dev/null || echo -)";
m=-;
for f in "$@";
do [ -e "$f" ] || continue;
x=$(stat -c %Y -- "$f");
if [ "$m" = - ] || [ "$x" -gt "$m" ];
then m=$x;
fi;
done;
printf "config: %s\n" "$m"
