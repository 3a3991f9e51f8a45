# shellcheck shell=sh
# Prints "<mode> <sha256> <recorded sha256>" for the file $1 ("- -" when absent, "-" when never recorded).
if [ -e "$1" ];
then m=$(stat -c %a -- "$1") && h=$(sha256sum -- "$1" | cut -d " " -f 1) || exit 1;
else m=-;
h=-;
fi;
r=$(awk -v f="$1" 'substr($0, 67) == f { h = $1 } END { print h }' /var/lib/hanfs-wizard/applied.sha256 2>/dev/null);
printf "%s %s %s\n" "$m" "$h" "${r:--}"
