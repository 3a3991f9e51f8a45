#!/usr/bin/env bash
# The README's test command as a user meets it (issue 29): a copy of this clone (git clone: what is
# committed, no node_modules, dist or .lab) in a new temporary directory with nothing beside it, run in a
# private mount namespace (unshare -m) where the ../shared folder beside the CI checkout is covered by an
# empty, mode-000 tmpfs. A test, script or bench that still reads from outside the repository fails here,
# not on a user's machine. Then the package check (scripts/check-package.mjs: npm pack, npx of the
# tarball in an empty directory, cache and HOME; its 60 s budget enforced here).
# Needs root (unshare -m, mount), as the rest of CI; refuses to run without them rather than skip.
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
shared=$(realpath -m "$checkout/../shared")
work=$(mktemp -d "${TMPDIR:-/tmp}/hanfs-ci-XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-hardlinks "$checkout" "$work/hanfs-wizard"
echo "isolated test: $work/hanfs-wizard (alone in $work); hiding $shared"
# The inner script gets its paths as arguments: nothing is glued into a command string (so its $1 and
# $2 are meant for the inner bash, in single quotes).
# shellcheck disable=SC2016
unshare --mount --propagation private -- bash -euo pipefail -c '
  shared=$1 clone=$2
  if [ -d "$shared" ]; then
    mount -t tmpfs -o mode=000,size=1m hanfs-ci-hidden "$shared"
    if [ -n "$(ls -A "$shared")" ]; then echo "error: $shared is still visible" >&2; exit 1; fi
  fi
  cd "$clone"
  ls -A .. | grep -qvx hanfs-wizard && { echo "error: something beside the clone: $(ls -A ..)" >&2; exit 1; }
  npm install --no-audit --no-fund   # the README: npm install, then npm test
  npm test
  node scripts/check-package.mjs
' isolated "$shared" "$work/hanfs-wizard"
