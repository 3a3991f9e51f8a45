#!/usr/bin/env node
// Builds the Debian 13 "trixie" scenarios (demo-lab/trixie-<state>, one per lab state) from the project
// lab's real Debian 13 captures in test/fixtures/lab-trixie/<state>/ (capture.sh; copied byte for byte,
// never edited), with each capture's exit status from that state's capture-log.tsv. Run by hand when the
// captures change:  node demo-lab/make-trixie.mjs
// The argv are the probe's (src/probes/probe-node.ts) and the monitor's (src/monitor/collect.ts
// MONITOR_ARGV). Where the lab captured a neighbouring command instead (`ping -c 3` for `ping -c 1`,
// `lvs -a -o ...` for `lvs -o ...`), the entry's `source` says so. A command the lab did not capture is not
// answered (exit 127, as every missing capture): nothing is made up. A node that was down in a state
// (lab2 after its kill -9) has an empty manifest: every command fails, as on an unreachable node.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CAPTURES = join(here, '..', 'test', 'fixtures', 'lab-trixie');
const PKGS = ['drbd-utils', 'pacemaker', 'pacemaker-cli-utils', 'corosync', 'resource-agents', 'nfs-kernel-server', 'mdadm', 'lvm2'];
/** The lab answers' ping target (test/lab/lab-answers.yaml): the service network's gateway. */
const GATEWAY = '192.168.101.1';
const PING_NOTE = 'captured as `ping -c 3 -W 1` (the monitor sends `-c 1`: same output format)';

const LVM_FULLREPORT = ['lvm', 'fullreport', '--reportformat', 'json', '--units', 'b',
  '--configreport', 'vg', '-o', 'vg_name,vg_size,vg_free',
  '--configreport', 'lv', '-o', 'vg_name,lv_name,lv_attr,lv_size,origin,snap_percent,lv_time',
  '--configreport', 'pv', '-o', 'pv_name', '--configreport', 'pvseg', '-o', 'pvseg_start', '--configreport', 'seg', '-o', 'segtype'];

// [argv, capture file (N = the node), note]. An argv listed twice is answered by its first entry whose
// captures exist in the state (the exact command first, a neighbouring one after it).

const entries = [
  // The probe (wizard, `probe`): the first round, then what depends on it.
  [['uname', '-n'], 'uname_n.N.txt'],
  [['uname', '-r'], 'uname_r.N.txt'],
  [['cat', '/etc/os-release'], 'os-release.N.txt'],
  [['dpkg-query', '-W', '-f=${Package} ${Status} ${Version}\\n', ...PKGS], 'dpkg-query_W.N.txt', 'captured with nfs-common and xfsprogs also named (one line per package: the probe reads the names it asked for)'],
  [['modinfo', 'drbd'], 'modinfo_drbd.N.txt'],
  [['cat', '/proc/drbd'], 'proc_drbd.N.txt'],
  [['lsblk', '-J', '-b', '-O'], 'lsblk_J_b_O.N.json'],
  [['ls', '-l', '/dev/disk/by-id/'], 'ls_l_dev_disk_by-id.N.txt'],
  ...['vdb', 'vdc', 'vdd'].flatMap((d) => [
    [['wipefs', '-n', '--json', `/dev/${d}`], `wipefs_n_json_${d}.N.json`],
    [['blkid', '-p', '-o', 'export', `/dev/${d}`], `blkid_p_o_export_${d}.N.txt`],
  ]),
  [['cat', '/proc/mdstat'], 'proc_mdstat.N.txt'],
  [['mdadm', '--detail', '/dev/md0'], 'mdadm_detail_md0.N.txt'],
  [['mdadm', '--detail', '--scan'], 'mdadm_detail_scan.N.txt'],
  [['pvs', '--reportformat', 'json', '--units', 'b'], 'pvs_reportformat_json_units_b.N.json'],
  [['vgs', '--reportformat', 'json', '--units', 'b'], 'vgs_reportformat_json_units_b.N.json'],
  [['lvs', '--reportformat', 'json', '--units', 'b'], 'lvs_reportformat_json_units_b.N.json'],
  [['ip', '-j', 'addr'], 'ip_j_addr.N.json'],
  [['ip', '-j', 'route'], 'ip_j_route.N.json'],
  [['ip', '-j', 'link'], 'ip_j_link.N.json'],
  // The monitor and the actions.
  [['drbdsetup', 'events2', '--now', '--statistics', 'all'], 'drbdsetup_events2_now_statistics_all.N.txt'],
  [['drbdsetup', 'events2', '--timestamps', '--statistics', 'all'], 'drbdsetup_events2_now_statistics_all.N.txt', 'the state dump of `drbdsetup events2 --now --statistics all` in this state, replayed as the start of the stream', { intervalMs: 50, holdOpen: true }],
  [['drbdadm', 'status'], 'drbdadm_status.N.txt'],
  [['crm_mon', '-1', '--output-as=xml'], 'crm_mon_1_xml.N.xml'],
  [['crm_mon', '-1rf'], 'crm_mon_1rf.N.txt'],
  [['cibadmin', '-Q'], 'cibadmin_Q.N.xml'],
  [['corosync-cfgtool', '-s'], 'corosync-cfgtool_s.N.txt'],
  [['corosync-quorumtool', '-s'], 'corosync-quorumtool_s.N.txt'],
  [['lvs', '-o', '+snap_percent,lv_time', '--reportformat', 'json', '--units', 'b'], 'lvs_a_o_snap_percent_lv_time_reportformat_json_units_b.N.json', 'captured as `lvs -a -o +snap_percent,lv_time ...` (-a also lists internal LVs: this lab has none)'],
  // The monitor's one LVM command (src/monitor/collect.ts MONITOR_ARGV.lvm): its own capture where the lab
  // took it (capture.sh since after-drills), else the state's vgs then `lvs -a` captures.
  [LVM_FULLREPORT, 'lvm_fullreport_monitor.N.json'],
  [LVM_FULLREPORT,
  ['vgs_reportformat_json_units_b.N.json', 'lvs_a_o_snap_percent_lv_time_reportformat_json_units_b.N.json'],
  'answered by the vgs then the `lvs -a -o +snap_percent,lv_time` capture, one after the other (the lab has no `lvm fullreport` capture in this state; the monitor reads both forms alike)'],
  [['systemctl', 'is-active', 'nfs-server'], 'systemctl_is-active_nfs-server_corosync_pacemaker.N.txt', 'captured as `systemctl is-active nfs-server corosync pacemaker`: its first line is nfs-server'],
  [['systemctl', 'is-active', 'nfs-server', 'corosync', 'pacemaker'], 'systemctl_is-active_nfs-server_corosync_pacemaker.N.txt'],
  [['systemctl', 'is-enabled', 'nfs-server', 'corosync', 'pacemaker'], 'systemctl_is-enabled_nfs-server_corosync_pacemaker.N.txt'],
  [['exportfs', '-v'], 'exportfs_v.N.txt'],
  [['showmount', '-e', '192.168.101.100'], 'showmount_e_vip.N.txt'],
  [['cat', '/proc/fs/nfsd/versions'], 'proc_fs_nfsd_versions.N.txt'],
  [['findmnt', '-J'], 'findmnt_J.N.json'],
  [['ping', '-c', '1', '-W', '1', GATEWAY], 'ping_c3_W1_gateway.N.txt', PING_NOTE],
];

const states = {
  // Built once the lab has captured bare Debian 13 nodes (`bash test/lab/capture.sh bare` on fresh nodes).
  ...(existsSync(join(CAPTURES, 'bare')) ? { bare: 'Debian 13 (trixie): two fresh lab nodes before apply (the project lab)' } : {}),
  running: 'Debian 13 (trixie), Pacemaker 3.0.0, drbd-utils 9.22 with the kernel\'s DRBD 8.4.11: healthy, NFS on lab2 (Promoted), lab1 Unpromoted, DRBD UpToDate/Established (the project lab, 2026-12-07 17:08-17:09 UTC)',
  'failed-over': 'Debian 13 (trixie): the active node lab2 killed with SIGKILL, lab1 Promoted and serving NFS, lab2 OFFLINE, DRBD Connecting with the peer Outdated (the project lab, 2026-12-07 17:11 UTC)',
  rejoined: 'Debian 13 (trixie): lab2 booted again after its kill, rejoined and resynced; lab1 still Promoted and serving NFS, DRBD UpToDate/Established (the project lab, 2026-12-07 20:10-20:12 UTC)',
  'service-link-cut': 'Debian 13 (trixie): lab1\'s service NIC cut (QEMU set_link svc off): its pingd 0, the service moved to lab2 (Promoted), lab1 Unpromoted; DRBD still Connected over the replication link (the project lab, 2026-12-07 20:15-20:17 UTC)',
  'after-drills': 'Debian 13 (trixie): the end of the e2e with every action drill (grow +16M, disk replace on lab2, split-brain recovery): healthy, lab2 Promoted and serving NFS; the first state with `cibadmin -Q` and the monitor\'s exact `lvm fullreport` (the project lab, 2026-12-07 20:54-20:55 UTC)',
};

/** file -> exit status, from the state's capture-log.tsv (time, node, file, exit, command). */
function exits(state) {
  const m = new Map();
  for (const line of readFileSync(join(CAPTURES, state, 'capture-log.tsv'), 'utf8').split('\n').slice(1)) {
    const [, , file, exit] = line.split('\t');
    if (file) m.set(file, Number(exit));
  }
  return m;
}

for (const [state, title] of Object.entries(states)) {
  const name = `trixie-${state}`;
  const sdir = join(here, name);
  rmSync(sdir, { recursive: true, force: true });
  const exit = exits(state);
  const lines = [`# ${name} — ${title}`, '', `Built by demo-lab/make-trixie.mjs from test/fixtures/lab-trixie/${state}/ (unedited copies; SOURCE.md there). Per node:`, ''];
  for (const node of ['lab1', 'lab2']) {
    const ndir = join(sdir, node);
    mkdirSync(ndir, { recursive: true });
    const commands = [];
    const captured = [...exit.keys()].some((f) => f.includes(`.${node}.`));
    lines.push(`## ${node}${captured ? '' : ' — down in this state (its VM was killed): no capture at all, every command fails'}`);
    for (const [argv, pattern, note, stream] of captured ? entries : []) {
      // A list of captures answers one read with their outputs one after the other (the replay runner).
      const files = (Array.isArray(pattern) ? pattern : [pattern]).map((p) => p.replace('N', node));
      if (!files.every((f) => existsSync(join(CAPTURES, state, f)))) continue; // not captured in this state: not answered
      if (commands.some((c) => JSON.stringify(c.argv) === JSON.stringify(argv))) continue; // answered by its exact capture
      for (const f of files) copyFileSync(join(CAPTURES, state, f), join(ndir, f));
      const file = files[0];
      const src = join(CAPTURES, state, file);
      const entry = { argv, stdout: files.length === 1 ? file : files, exitCode: exit.get(file) ?? 0 };
      if (existsSync(`${src}.stderr`)) {
        copyFileSync(`${src}.stderr`, join(ndir, `${file}.stderr`));
        entry.stderr = `${file}.stderr`;
      }
      if (stream) entry.stream = stream;
      entry.source = `${files.map((f) => `test/fixtures/lab-trixie/${state}/${f}`).join(' + ')}${note ? ` — ${note}` : ''}`;
      commands.push(entry);
      lines.push(`- \`${argv.join(' ')}\`: ${entry.source}`);
    }
    writeFileSync(join(ndir, 'manifest.json'), JSON.stringify({ node, commands }, null, 2) + '\n');
    lines.push('');
  }
  writeFileSync(join(sdir, 'SCENARIO.md'), lines.join('\n'));
}
console.log(`wrote ${Object.keys(states).map((s) => `trixie-${s}`).join(', ')}`);
