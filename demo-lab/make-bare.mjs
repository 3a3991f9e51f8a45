#!/usr/bin/env node
// Builds demo-lab/bare/ from the real captures in the lab capture set's bare-nodes/ (copied byte for
// byte, never edited) and writes each node's manifest.json. Run once by hand when the captures change:
//   node demo-lab/make-bare.mjs <the lab-captures folder>
// Exit codes come from capture-log-2026-11-25.txt (the captured files never carry them).
// vdc was never captured bare in that set; the project's own lab captured `wipefs -n --json /dev/vdc`
// and `blkid -p -o export /dev/vdc` on its bare nodes (test/fixtures/lab/bare, capture-log.tsv there):
// the same blank 256 MiB RAID-pair disk, same Debian 12 and util-linux 2.38.1. Those copies answer vdc,
// so the demo offers both RAID disks instead of refusing one as "signatures could not be checked".
import { copyFileSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const captures = process.argv[2];
if (!captures) {
  console.error('usage: node demo-lab/make-bare.mjs <lab-captures folder>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
/** The project lab's bare-node captures, inside this repository (test/fixtures/lab/bare/SOURCE.md). */
const PROJECT_LAB_BARE = join(here, '..', 'test', 'fixtures', 'lab', 'bare');
const PKGS = ['drbd-utils', 'pacemaker', 'pacemaker-cli-utils', 'corosync', 'resource-agents', 'nfs-kernel-server', 'mdadm', 'lvm2'];

// [argv, capture file (under bare-nodes/, N = node number), exit code, which stream the file holds]
// 'out' = stdout; 'err' = the file is what the command wrote to stderr (the capture merged both and the
// command wrote nothing to stdout, e.g. cat of a missing file).
const entries = (n, peer) => [
  [['uname', '-n'], `uname_n.bare.node${n}.txt`, 0, 'out'],
  [['uname', '-r'], `uname_r.bare.node${n}.txt`, 0, 'out'],
  [['cat', '/etc/os-release'], `os-release.bare.node${n}.txt`, 0, 'out'],
  [['dpkg-query', '-W', '-f=${Package} ${Status} ${Version}\\n', ...PKGS], `dpkg-query_W.bare.node${n}.txt`, 0, 'out'],
  [['modinfo', 'drbd'], `modinfo_drbd.bare.node${n}.txt`, 0, 'out'],
  [['cat', '/proc/drbd'], `proc_drbd.bare-module-loaded-no-resource.node${n}.txt`, 0, 'out'],
  [['lsblk', '-J', '-b', '-O'], `lsblk_J_b_O.bare-with-stale-md-disk.node${n}.json`, 0, 'out'],
  [['ls', '-l', '/dev/disk/by-id/'], `ls_l_dev_disk_by-id.bare-with-stale-md-disk.node${n}.txt`, 0, 'out'],
  [['wipefs', '-n', '--json', '/dev/vdb'], `wipefs_n_json_vdb.bare-blank.node${n}.txt`, 0, 'out'],
  [['blkid', '-p', '-o', 'export', '/dev/vdb'], `blkid_p_o_export_vdb.bare-blank.node${n}.txt`, 2, 'out'],
  [['wipefs', '-n', '--json', '/dev/vdc'], `wipefs_n_json_vdc.lab${n}.json`, 0, 'out', PROJECT_LAB_BARE],
  [['blkid', '-p', '-o', 'export', '/dev/vdc'], `blkid_p_o_export_vdc.lab${n}.txt`, 2, 'out', PROJECT_LAB_BARE],
  [['wipefs', '-n', '--json', '/dev/vdd'], `wipefs_n_json_vdd.bare.node${n}.txt`, 0, 'out'],
  [['blkid', '-p', '-o', 'export', '/dev/vdd'], `blkid_p_o_export_vdd.bare.node${n}.txt`, 0, 'out'],
  [['wipefs', '-n', '--json', '/dev/vde'], `wipefs_n_json_vde.bare.node${n}.txt`, 0, 'out'],
  [['blkid', '-p', '-o', 'export', '/dev/vde'], `blkid_p_o_export_vde.bare.node${n}.txt`, 2, 'out'],
  [['wipefs', '-n', '--json', '/dev/vdf'], `wipefs_n_json_vdf.bare.node${n}.txt`, 0, 'out'],
  [['blkid', '-p', '-o', 'export', '/dev/vdf'], `blkid_p_o_export_vdf.bare.node${n}.txt`, 2, 'out'],
  [['wipefs', '-n', '--json', '/dev/vdg'], `wipefs_n_json_vdg.bare-stale-md-member.node${n}.txt`, 0, 'out'],
  [['blkid', '-p', '-o', 'export', '/dev/vdg'], `blkid_p_o_export_vdg.bare-stale-md-member.node${n}.txt`, 0, 'out'],
  [['cat', '/proc/mdstat'], `proc_mdstat.bare-stale-md-inactive.node${n}.txt`, 0, 'out'],
  [['mdadm', '--detail', '/dev/md127'], `mdadm_detail_md127.bare-stale-md-inactive.node${n}.txt`, 0, 'out'],
  [['mdadm', '--examine', '/dev/vdg'], `mdadm_examine_vdg.bare-stale-md-member.node${n}.txt`, 0, 'out'],
  [['mdadm', '--examine', '/dev/vdb'], `mdadm_examine_vdb.bare-blank.node${n}.txt`, 1, 'err'],
  [['pvs', '--reportformat', 'json', '--units', 'b'], `pvs_reportformat_json_units_b.bare.node${n}.json`, 0, 'out'],
  [['vgs', '--reportformat', 'json', '--units', 'b'], `vgs_reportformat_json_units_b.bare.node${n}.json`, 0, 'out'],
  [['lvs', '--reportformat', 'json', '--units', 'b'], `lvs_reportformat_json_units_b.bare.node${n}.json`, 0, 'out'],
  [['ip', '-j', 'addr'], `ip_j_addr.bare.node${n}.json`, 0, 'out'],
  [['ip', '-j', 'route'], `ip_j_route.bare.node${n}.json`, 0, 'out'],
  [['ip', '-j', 'link'], `ip_j_link.bare.node${n}.json`, 0, 'out'],
  [['ping', '-c', '3', '-W', '1', peer], `ping_c3_W1_peer.bare.node${n}.txt`, 0, 'out'],
  [['ping', '-c', '3', '-W', '1', '192.168.100.99'], `ping_c3_W1_unreachable-192.168.100.99.bare.node${n}.txt`, 1, 'out'],
  [['systemctl', 'is-active', 'nfs-server', 'corosync', 'pacemaker'], `systemctl_is-active_nfs-server_corosync_pacemaker.bare.node${n}.txt`, 3, 'out'],
  [['drbdadm', 'status'], `drbdadm_status.bare-module-loaded-no-resource.node${n}.txt`, 10, 'err'],
  [['drbdsetup', 'events2', '--now', '--statistics', 'all'], `drbdsetup_events2_now_statistics_all.bare-module-loaded-no-resource.node${n}.txt`, 0, 'out'],
  [['crm_mon', '-1', '--output-as=xml'], `crm_mon_1_xml.bare-pacemaker-stopped.node${n}.xml`, 102, 'out'],
  [['crm_mon', '-1'], `crm_mon_1.bare-pacemaker-stopped.node${n}.txt`, 102, 'err'],
  [['corosync-cfgtool', '-s'], `corosync-cfgtool_s.bare-corosync-stopped.node${n}.txt`, 1, 'err'],
  [['corosync-quorumtool', '-s'], `corosync-quorumtool_s.bare-corosync-stopped.node${n}.txt`, 1, 'err'],
  [['exportfs', '-v'], `exportfs_v.bare-nfs-stopped.node${n}.txt`, 0, 'out'],
  [['showmount', '-e'], `showmount_e.bare-nfs-stopped.node${n}.txt`, 1, 'err'],
  [['cat', '/proc/fs/nfsd/versions'], `proc_fs_nfsd_versions.bare-nfs-stopped.node${n}.txt`, 1, 'err'],
];

rmSync(join(here, 'bare'), { recursive: true, force: true });
for (const [n, peer] of [[1, '192.168.100.12'], [2, '192.168.100.11']]) {
  const dir = join(here, 'bare', `node${n}`);
  mkdirSync(dir, { recursive: true });
  const commands = [];
  for (const [argv, file, exitCode, which, from] of entries(n, peer)) {
    const src = join(from ?? join(captures, 'bare-nodes'), file);
    readFileSync(src); // fail loudly when a capture is missing
    copyFileSync(src, join(dir, file));
    const source = from ? `test/fixtures/lab/bare/${file} (the project lab's bare node lab${n}, 2026-11-25)` : `lab-captures/bare-nodes/${file}`;
    commands.push({ argv, [which === 'out' ? 'stdout' : 'stderr']: file, exitCode, source });
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ node: `node${n}`, commands }, null, 2) + '\n');
}
console.log('demo-lab/bare written');
