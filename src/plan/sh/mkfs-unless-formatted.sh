# shellcheck shell=sh
# Runs the mkfs command given after $1 only when the device $1 holds no filesystem: a resumed run never
# formats twice.
if blkid -p -u filesystem -- "$1" >/dev/null 2>&1;
then echo "refusing: $1 already holds a filesystem" >&2; exit 3;
fi;
shift;
exec "$@"
