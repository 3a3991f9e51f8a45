# shellcheck shell=sh
# Exit 0 when every program named in the arguments is on PATH: the distribution-neutral "packages installed".
for p in "$@";
do command -v "$p" >/dev/null || { echo "missing: $p"; exit 1; };
done
