# shellcheck shell=sh
# Writes stdin to $1 with mode $2 atomically (temp file + rename); the temp file is private until its mode is set.
set -e;
mkdir -p -- "$(dirname -- "$1")";
umask 077;
t="$1.hanfs-new";
cat > "$t";
chmod "$2" "$t";
mv -f -- "$t" "$1"
