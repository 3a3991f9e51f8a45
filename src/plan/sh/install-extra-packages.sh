# shellcheck shell=sh
# Installs the packages the fencing answers add (fence agents, sbd, corosync-qdevice) with the node's own
# package manager. Fixed text; each argument is one package from the plan's table, "DEBIAN-NAME/RPM-NAME".
set -e;
deb=; rpm=;
for p in "$@";
do deb="$deb ${p%%/*}"; rpm="$rpm ${p#*/}";
done;
# The lists are meant to split into words (package names of the plan's table, no user text).
# shellcheck disable=SC2086
if command -v apt-get >/dev/null;
then export DEBIAN_FRONTEND=noninteractive;
apt-get install -y --no-install-recommends $deb;
elif command -v dnf >/dev/null;
then dnf install -y $rpm;
else echo "no apt-get or dnf: install the packages by hand (docs/apply.md)" >&2; exit 1;
fi
