#!/usr/bin/env bash
# Records the real output of every probe and monitor command on both lab nodes, as they are now, into
# test/fixtures/lab/<state>/, for the parser, probe and monitor tests. Nothing is edited: each file is
# the command's unedited stdout, its stderr goes beside it as <file>.stderr when there is any, and
# capture-log.tsv lists time, node, file, exit status and the exact command. SOURCE.md says where and
# when (host, QEMU, image, guest versions). A state folder is replaced whole, so it is one consistent run.
#
# usage: test/lab/capture.sh STATE ["what was done to reach this state"]
#   STATE: a short kebab-case name: bare, applied, failed-over, peer-rejoined, svc-link-cut, ...
#   The lab must be up (npm run lab:up). LAB_FIXTURES overrides the target (default test/fixtures/lab).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test/lab/lab.conf
source "$HERE/lab.conf"
STATE=${1:?usage: capture.sh STATE [note]}
NOTE=${2:-}
[[ $STATE =~ ^[a-z0-9][a-z0-9-]*$ ]] || { echo "error: STATE must be kebab-case (a-z, 0-9, -), got '$STATE'" >&2; exit 2; }
[ -f "$LAB_RUN/ssh_config" ] || { echo "error: the lab is not up (no $LAB_RUN/ssh_config): npm run lab:up" >&2; exit 1; }
# shellcheck source=/dev/null
source "$LAB_RUN/lab.env"
OUT=${LAB_FIXTURES:-$LAB_REPO/test/fixtures/lab}/$STATE
TMP=$(mktemp -d "${OUT%/*}/.capture-$STATE.XXXXXX" 2>/dev/null || { mkdir -p "${OUT%/*}"; mktemp -d "${OUT%/*}/.capture-$STATE.XXXXXX"; })
trap 'rm -rf "$TMP"' EXIT
LOG=$TMP/capture-log.tsv
printf 'time_utc\tnode\tfile\texit\tcommand\n' > "$LOG"

# name|extension|command   (@PEER_SVC@, @PEER_REPL@ are the other node's addresses)
COMMANDS=(
  "uname_n|txt|uname -n"
  "uname_r|txt|uname -r"
  "os-release|txt|cat /etc/os-release"
  "lsblk_J_b_O|json|lsblk -J -b -O"
  "lsblk_J_b_o_NAME_PATH_SIZE_TYPE_FSTYPE_MOUNTPOINTS_MODEL_SERIAL_WWN_ROTA_PKNAME|json|lsblk -J -b -o NAME,PATH,SIZE,TYPE,FSTYPE,MOUNTPOINTS,MODEL,SERIAL,WWN,ROTA,PKNAME"
  "ls_l_dev_disk_by-id|txt|ls -l /dev/disk/by-id/"
  "wipefs_n_json_vdb|json|wipefs -n --json /dev/vdb"
  "wipefs_n_json_vdc|json|wipefs -n --json /dev/vdc"
  "wipefs_n_json_vdd|json|wipefs -n --json /dev/vdd"
  "blkid_p_o_export_vdb|txt|blkid -p -o export /dev/vdb"
  "blkid_p_o_export_vdc|txt|blkid -p -o export /dev/vdc"
  "blkid_p_o_export_vdd|txt|blkid -p -o export /dev/vdd"
  "ip_j_addr|json|ip -j addr"
  "ip_j_route|json|ip -j route"
  "ip_j_link|json|ip -j link"
  "sys_class_net_speed|txt|grep -H . /sys/class/net/mgmt0/speed /sys/class/net/svc0/speed /sys/class/net/repl0/speed"
  "proc_mdstat|txt|cat /proc/mdstat"
  "mdadm_detail_scan|txt|mdadm --detail --scan"
  "mdadm_detail_md0|txt|mdadm --detail /dev/md0"
  "pvs_reportformat_json_units_b|json|pvs --reportformat json --units b"
  "vgs_reportformat_json_units_b|json|vgs --reportformat json --units b"
  "lvs_reportformat_json_units_b|json|lvs --reportformat json --units b"
  "lvs_a_o_snap_percent_lv_time_reportformat_json_units_b|json|lvs -a -o +snap_percent,lv_time --reportformat json --units b"
  "proc_drbd|txt|cat /proc/drbd"
  "modinfo_drbd|txt|modinfo drbd"
  "drbdadm_status|txt|drbdadm status"
  "drbdsetup_events2_now_statistics_all|txt|drbdsetup events2 --now --statistics all"
  "dpkg-query_W|txt|dpkg-query -W -f='\${Package} \${Status} \${Version}\n' drbd-utils pacemaker pacemaker-cli-utils corosync resource-agents nfs-kernel-server nfs-common mdadm lvm2 xfsprogs"
  "crm_mon_1_xml|xml|crm_mon -1 --output-as=xml"
  "crm_mon_1rf|txt|crm_mon -1rf"
  "corosync-cfgtool_s|txt|corosync-cfgtool -s"
  "corosync-quorumtool_s|txt|corosync-quorumtool -s"
  "cibadmin_Q|xml|cibadmin -Q"
  "lvm_fullreport_monitor|json|lvm fullreport --reportformat json --units b --configreport vg -o vg_name,vg_size,vg_free --configreport lv -o vg_name,lv_name,lv_attr,lv_size,origin,snap_percent,lv_time --configreport pv -o pv_name --configreport pvseg -o pvseg_start --configreport seg -o segtype"
  "systemctl_is-active_nfs-server_corosync_pacemaker|txt|systemctl is-active nfs-server corosync pacemaker"
  "systemctl_is-enabled_nfs-server_corosync_pacemaker|txt|systemctl is-enabled nfs-server corosync pacemaker"
  "systemctl_show_p_LoadState_p_NeedDaemonReload_p_DropInPaths|txt|systemctl show -p LoadState -p NeedDaemonReload -p DropInPaths nfs-server.service nfsdcld.service hanfs-snapshot.service hanfs-snapshot.timer"
  "systemctl_cat_nfs-server|txt|systemctl cat nfs-server.service"
  "exportfs_v|txt|exportfs -v"
  "showmount_e_vip|txt|showmount -e $LAB_VIP"
  "proc_fs_nfsd_versions|txt|cat /proc/fs/nfsd/versions"
  "proc_fs_nfsd_v4_grace_lease|txt|grep -H . /proc/fs/nfsd/nfsv4gracetime /proc/fs/nfsd/nfsv4leasetime"
  "iptables_w_n_L_INPUT|txt|iptables -w -n -L INPUT"
  "findmnt_J|json|findmnt -J"
  "ping_c3_W1_gateway|txt|ping -c 3 -W 1 $LAB_GATEWAY"
  "ping_c3_W1_peer-service|txt|ping -c 3 -W 1 @PEER_SVC@"
  "ping_c3_W1_peer-replication|txt|ping -c 3 -W 1 @PEER_REPL@"
  "ping_c2_W1_unused-address|txt|ping -c 2 -W 1 $LAB_SVC_SUBNET.99"
)

# A killed node is part of some states: it is noted in SOURCE.md, not probed.
running() { qemu_running "$1"; }
T_START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
DOWN=()
for node in "${LAB_NODES[@]}"; do
  i=$(node_index "$node"); p=$((3 - i))
  if ! running "$node"; then DOWN+=("$node"); continue; fi
  for spec in "${COMMANDS[@]}"; do
    IFS='|' read -r name ext cmd <<<"$spec"
    cmd=${cmd//@PEER_SVC@/$LAB_SVC_SUBNET.1$p}
    cmd=${cmd//@PEER_REPL@/$LAB_REPL_SUBNET.1$p}
    file=$name.$node.$ext
    # A host-side timeout only: a command that hangs (showmount to an address nobody holds) is
    # recorded with exit 124 rather than stopping the whole capture.
    rc=0
    timeout 40 ssh -F "$LAB_RUN/ssh_config" "$node" "$cmd" >"$TMP/$file" 2>"$TMP/$file.stderr" </dev/null || rc=$?
    [ -s "$TMP/$file.stderr" ] || rm -f "$TMP/$file.stderr"
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%H:%M:%S)" "$node" "$file" "$rc" "$cmd" >> "$LOG"
  done
done
T_END=$(date -u +%Y-%m-%dT%H:%M:%SZ)

S() { ssh -F "$LAB_RUN/ssh_config" "$1" "$2" 2>/dev/null || true; }
UP=lab1; running lab1 || UP=lab2
kernel=$(S $UP 'uname -r')
# The guests' release as they say it (LAB_DISTRO=bookworm|trixie picks the image), never assumed.
release=$(S $UP '. /etc/os-release && echo "$PRETTY_NAME"')
drbdver=$(S $UP 'modinfo -F version drbd')
pkgs=$(S $UP "dpkg-query -W -f='\${Package} \${Version}\n' drbd-utils pacemaker corosync resource-agents nfs-kernel-server mdadm lvm2 util-linux systemd iproute2" | paste -sd, | sed 's/,/, /g')
cat > "$TMP/SOURCE.md" <<EOF
# Lab capture: state \`$STATE\`

Real outputs captured by \`test/lab/capture.sh $STATE\` from the project's two-node QEMU lab (test/lab/,
docs/lab.md) between $T_START and $T_END (UTC). Nothing here was typed or edited by hand.
${NOTE:+
How this state was reached: $NOTE
}${DOWN[*]:+
Not captured: ${DOWN[*]} (its QEMU was not running: down in this state).
}
- Files: \`<command>.<node>.<ext>\` = the unedited stdout of that command run as root over SSH on that
  node; \`<file>.stderr\` = its stderr when it printed any; an empty file is a real empty stdout.
  capture-log.tsv: time (UTC), node, file, exit status, the exact command (exit statuses are only there).
- Host: $(uname -sr), $(nproc) cores, $(qemu-system-x86_64 --version | head -n 1), accel \`$(cat "$LAB_RUN/lab1/accel")\`.
- Image: \`$(basename "$LAB_IMAGE")\` (test/lab/build-image.sh; $(cut -d' ' -f2- "$LAB_IMAGE/done" | tail -n 1)).
- Guests: $release, kernel $kernel, DRBD module $drbdver; $pkgs.
- Nodes: lab1, lab2 (hostnames from the kernel command line). Disks (virtio-blk): vda root (qcow2
  overlay, no serial), vdb and vdc $LAB_RAID_DISK_SIZE blank (serials HANFS-LABn-B/-C, the RAID1 pair),
  vdd $LAB_EXT4_DISK_SIZE with an ext4 made on the host (label olddata<n>, serial HANFS-LABn-OLDEXT4).
- NICs: mgmt0 QEMU user-mode (10.0.2.15, DHCP; SSH forwarded from 127.0.0.1), svc0 service network
  $LAB_SVC_SUBNET.0/24 (lab1 .11, lab2 .12, gateway .1 answered by svc-hub.mjs, virtual IP .100),
  repl0 replication link $LAB_REPL_SUBNET.0/24 (.11, .12); svc0/repl0 are QEMU \`-netdev dgram\` over 127.0.0.1.
- Reproduce: \`${LAB_DISTRO:+LAB_DISTRO=$LAB_DISTRO }npm run lab:up\`, bring the lab to this state, \`bash test/lab/capture.sh $STATE\`, \`npm run lab:down\`.
EOF

rm -rf "$OUT"
mkdir -p "${OUT%/*}"
mv "$TMP" "$OUT"
trap - EXIT
chmod 755 "$OUT"
echo "lab: captured $(($(wc -l < "$OUT/capture-log.tsv") - 1)) outputs into ${OUT#"$LAB_REPO"/}" >&2
