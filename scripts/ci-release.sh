#!/usr/bin/env bash
# The release steps, as CI runs them after `npm ci` and `npm test` (issue 28; budget: 3 minutes): builds
# the single executable and the Debian package from this clone, checks both, prints their sizes.
#   bash scripts/ci-release.sh
# Tools: strip, dpkg-deb, dpkg-shlibdeps, lintian, man (test/setup/install-tools.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
for t in strip dpkg-deb dpkg-shlibdeps lintian man; do
  command -v "$t" >/dev/null || { echo "error: $t: missing; run test/setup/install-tools.sh as root" >&2; exit 1; }
done
version=$(node -p 'require("./package.json").version')
sea=dist/release/hanfs-wizard-linux-x64
deb=dist/release/hanfs-wizard_${version}-1_amd64.deb
check() { printf 'check: %s\n' "$*"; }
fail() { echo "error: $*" >&2; exit 1; }

node scripts/package-sea.mjs 2> >(grep -v "Can't find string offset for section name" >&2)
node scripts/package-deb.mjs

# The single executable runs with no Node.js to find (empty environment, no PATH) and cleans up after --demo.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/t"
[ "$(env -i "$sea" --version)" = "$version" ] || fail "$sea --version is not $version"
check "$sea --version: $version, with an empty environment"
env -i "$sea" monitor --help | grep -q -- '--check' || fail "$sea monitor --help lacks --check"
env -i TMPDIR="$tmp/t" "$sea" probe --demo --json > "$tmp/probe.json"
node -e 'const f = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (f.length !== 2 || !f[0].hostname) process.exit(1)' "$tmp/probe.json" \
  || fail "$sea probe --demo --json: not two nodes' facts"
check "$sea probe --demo --json: two nodes' facts"
# The demo lab runs without fencing, deliberately: said so, the check line is OK (issue 24 warns otherwise).
out=$(env -i TMPDIR="$tmp/t" "$sea" monitor --demo=running --check --accept-no-fencing) || fail "$sea monitor --demo=running --check --accept-no-fencing: exit $? ($out)"
check "$sea monitor --demo=running --check --accept-no-fencing: $out"
[ -z "$(ls -A "$tmp/t")" ] || fail "--demo left files in TMPDIR: $(ls -A "$tmp/t")"
check "--demo left nothing in TMPDIR"

# The package: lintian without errors, the promised files, the executable inside it runs.
lintian --fail-on error --display-level '>=warning' "$deb" 2> >(grep -v 'running with root privileges' >&2) || fail "lintian reports errors"
check "lintian: no errors"
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/hanfs-wizard ./usr/share/man/man8/hanfs-wizard.8.gz ./usr/share/bash-completion/completions/hanfs-wizard \
  ./usr/share/doc/hanfs-wizard/copyright ./usr/share/doc/hanfs-wizard/changelog.Debian.gz ./usr/share/doc/hanfs-wizard/docs/answers.md \
  ./usr/lib/systemd/system/hanfs-monitor-textfile.service ./usr/lib/systemd/system/hanfs-monitor-textfile.timer; do
  grep -q " $f\$" <<<"$contents" || fail "$deb lacks $f"
done
check "$deb holds the executable, man page, completion, docs, the textfile timer units"
dpkg-deb -x "$deb" "$tmp/root"
# The packaged units are src/generate/textfile-units.ts rendered for /usr/bin (systemd-analyze verify of
# that rendering: test/generate/textfile-units.test.ts).
grep -q '^ExecStart=/bin/sh -c .*/usr/bin/hanfs-wizard monitor --prometheus' "$tmp/root/usr/lib/systemd/system/hanfs-monitor-textfile.service" || fail "the packaged textfile service does not run /usr/bin/hanfs-wizard"
check "the packaged textfile units run /usr/bin/hanfs-wizard, shipped disabled (no maintainer scripts)"
[ "$("$tmp/root/usr/bin/hanfs-wizard" --version)" = "$version" ] || fail "the packaged executable's --version is not $version"
MANWIDTH=100 LC_ALL=C man -l "$tmp/root/usr/share/man/man8/hanfs-wizard.8.gz" 2>/dev/null | grep -q '^ *hanfs-wizard monitor$' || fail "the man page has no monitor section"
check "the packaged executable and man page work; Depends: $(dpkg-deb -f "$deb" Depends)"

printf 'size: %s %s bytes (%s MiB)\n' "$sea" "$(stat -c %s "$sea")" "$(( $(stat -c %s "$sea") / 1048576 ))"
printf 'size: %s %s bytes (%s MiB)\n' "$deb" "$(stat -c %s "$deb")" "$(( $(stat -c %s "$deb") / 1048576 ))"
echo "release steps: $((SECONDS - start)) s"
