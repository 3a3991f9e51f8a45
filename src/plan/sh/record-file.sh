# shellcheck shell=sh
# Records $1's sha256 in the applied record under flock (file-state.sh follows it: the file's state is printed).
# umask 077 (issue 25): the record holds the sha256 of the DRBD resource file, which carries the secret;
# owner-only like the file itself. The record is rewritten through .new + mv, so an older 0644 record
# becomes 0600 at its next write.
set -e;
umask 077;
mkdir -p /var/lib/hanfs-wizard;
touch /var/lib/hanfs-wizard/applied.sha256;
exec 9>>/var/lib/hanfs-wizard/applied.sha256.lock;
flock 9;
h=$(sha256sum -- "$1" | cut -d " " -f 1);
{ awk -v f="$1" 'substr($0, 67) != f' /var/lib/hanfs-wizard/applied.sha256;
printf "%s  %s\n" "$h" "$1";
} > /var/lib/hanfs-wizard/applied.sha256.new;
mv -f /var/lib/hanfs-wizard/applied.sha256.new /var/lib/hanfs-wizard/applied.sha256;
