#!/usr/bin/env bash
# Produces test/fixtures/monitor/trixie/: crm_mon's XML for real Debian 12 lab CIBs (cib/, copied from the
# lab captures), printed by Debian 13's Pacemaker 3.0 (in the trixie root, test/setup/trixie-run.sh) and,
# beside it for comparison, by this machine's Debian 12 Pacemaker 2.1.5; plus the states 3.0's own
# scheduler reaches from them (crm_simulate: the active node failed). No cluster: CIB_file= only.
# Re-run it to regenerate; SOURCE.md (written here) records the commands and versions.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
D=$ROOT/test/fixtures/monitor/trixie
RUN=$HERE/trixie-run.sh
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

v3=$("$RUN" crm_mon --version | head -n 1 | awk '{print $2}')
v2=$(crm_mon --version | head -n 1 | awk '{print $2}')
rm -f "$D"/crm_mon_*.xml "$D"/crm_simulate_*.txt
log=()
mon() {  # state cib-file: crm_mon -1 and -1 -A, both releases
  local state=$1 cib=$2
  for args in "-1" "-1 -A"; do
    local tag; tag=crm_mon_$(echo "$args" | tr -d ' -')_xml
    # shellcheck disable=SC2086  # $args is a word list on purpose
    "$RUN" --bind "$W" env CIB_file="$cib" crm_mon $args --output-as=xml > "$D/$tag.$state.pcmk-$v3.xml"
    # shellcheck disable=SC2086
    CIB_file=$cib LC_ALL=C crm_mon $args --output-as=xml > "$D/$tag.$state.pcmk-$v2.xml"
    log+=("| $tag.$state.pcmk-$v3.xml / .pcmk-$v2.xml | \`CIB_file=$(basename "$cib") crm_mon $args --output-as=xml\` |")
  done
}
for f in "$D"/cib/cibadmin_Q.*.xml; do
  state=${f#"$D"/cib/cibadmin_Q.}; state=${state%.xml}
  cp "$f" "$W/$state.xml"
  mon "$state" "$W/$state.xml"
done
# 3.0's scheduler takes the running cluster of nfs-running-with-ping (active node2) through the active
# node's failure: the modifications first, then the transition (crm_simulate 3.0.0 prints no actions in
# XML for a run with modifications; the text output used here has them).
"$RUN" --bind "$W" crm_simulate -x "$W/nfs-running-with-ping.node2.xml" -f node2 -O "$W/f.xml" > /dev/null
"$RUN" --bind "$W" crm_simulate -x "$W/f.xml" -S -O "$W/active-failed-3.0.xml" > "$D/crm_simulate_S.active-failed.pcmk-$v3.txt"
log+=("| crm_simulate_S.active-failed.pcmk-$v3.txt | \`crm_simulate -x nfs-running-with-ping.node2.xml -f node2 -O f.xml\`, then \`crm_simulate -x f.xml -S -O active-failed-3.0.xml\` (3.0.0) |")
"$RUN" --bind "$W" env CIB_file="$W/active-failed-3.0.xml" crm_mon -1 --output-as=xml > "$D/crm_mon_1_xml.active-failed-by-3.0.pcmk-$v3.xml"
log+=("| crm_mon_1_xml.active-failed-by-3.0.pcmk-$v3.xml | \`CIB_file=active-failed-3.0.xml crm_mon -1 --output-as=xml\` (3.0.0) |")

{
  cat <<HEAD
# crm_mon of Debian 13 (Pacemaker $v3) on real Debian 12 lab CIBs

Produced by \`test/setup/crm-mon-captures.sh\` on $(date -u +%Y-%m-%dT%H:%MZ), nothing typed by hand. The
Pacemaker $v3 outputs ran in the Debian 13 tools root (test/setup/trixie-root.sh: pacemaker-cli-utils
$(grep '^pacemaker-cli-utils ' "$(bash "$HERE/trixie-root.sh" | tail -n 1)/packages.txt" | cut -d' ' -f2) from deb.debian.org trixie); the $v2 ones on this Debian 12 machine
(pacemaker-cli-utils $(dpkg-query -W -f='${Version}' pacemaker-cli-utils)). No cluster: every crm_mon read a CIB file (\`CIB_file=\`).

cib/: byte-for-byte copies of real \`cibadmin -Q\` captures of the Debian 12 labs (Pacemaker 2.1.5):
| file | copied from |
|---|---|
| cib/cibadmin_Q.manual-nfs-running.node1.xml | the team's lab capture set, lab-captures/manual-run/cibadmin_Q.nfs-running.xml (NFS running, node2 active) |
| cib/cibadmin_Q.manual-final.node2.xml | the team's lab capture set, lab-captures/manual-run/cibadmin_Q.final.xml (after the failover) |
| cib/cibadmin_Q.nfs-running-with-ping.node2.xml | the team's lab capture set, lab-captures/pacemaker/cibadmin_Q.nfs-running-with-ping.node2.xml |
| cib/cibadmin_Q.lab-fence-handler.lab2.xml | test/fixtures/apply/fence-handler/cibadmin_Q.fenced.lab2.xml (hanfs-wizard's CIB, the fence-peer constraint in place) |

Outputs (state = the CIB's name):
| file | command |
|---|---|
HEAD
  printf '%s\n' "${log[@]}"
} > "$D/SOURCE.md"
echo "wrote $D" >&2
