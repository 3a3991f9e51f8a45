# shellcheck shell=sh
# Writes a file carried from another host of the run ($1: its path here), given base64-encoded on stdin
# (binary certificates survive the text channel), readable by root only: it can hold a private key.
set -e;
umask 077;
mkdir -p "${1%/*}";
base64 -d > "$1.tmp";
mv -f "$1.tmp" "$1"
