# shellcheck shell=sh
# Several files written and recorded in one command (src/plan/files.ts, WRITE_AND_RECORD_FILES_SCRIPT).
# Arguments: "<path> <mode>" pairs. Standard input: per file, in that order, a line with its byte count,
# then exactly that many bytes. Prints one "<mode> <sha256> <recorded sha256>" line per file, in order.
# The plan runs it as one line: comment lines dropped, the other lines joined by a space (src/plan/sh.ts).
set -e;
# The record and its lock owner-only (see record-file.sh); the written files' directories keep 0755.
(umask 077; mkdir -p /var/lib/hanfs-wizard; touch /var/lib/hanfs-wizard/applied.sha256 /var/lib/hanfs-wizard/applied.sha256.lock);
exec 9>>/var/lib/hanfs-wizard/applied.sha256.lock;
flock 9;
# Each pair is taken from the front and its path put back at the end: afterwards "$@" is the paths.
k=$(($# / 2));
while [ "$k" -gt 0 ];
do p=$1; m=$2; shift 2; set -- "$@" "$p"; k=$((k - 1));
IFS= read -r b || b=;
case $b in ""|*[!0-9]*) echo "hanfs-wizard: no byte count for $p" >&2; exit 1;; esac;
mkdir -p -- "${p%/*}";
t="$p.hanfs-new";
(umask 077; head -c "$b" > "$t");
chmod "$m" "$t";
mv -f -- "$t" "$p";
done;
umask 077;
sha256sum -- "$@" > /var/lib/hanfs-wizard/applied.sha256.add;
awk 'NR == FNR { add[++n] = $0; new[substr($0, 67)] = 1; next } !(substr($0, 67) in new) { print } END { for (i = 1; i <= n; i++) print add[i] }' /var/lib/hanfs-wizard/applied.sha256.add /var/lib/hanfs-wizard/applied.sha256 > /var/lib/hanfs-wizard/applied.sha256.new;
mv -f /var/lib/hanfs-wizard/applied.sha256.new /var/lib/hanfs-wizard/applied.sha256;
stat -c %a -- "$@" | awk -v f=/var/lib/hanfs-wizard/applied.sha256.add '{ getline l < f; h = substr(l, 1, 64); print $1, h, h }';
rm -f /var/lib/hanfs-wizard/applied.sha256.add
