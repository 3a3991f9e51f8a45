#!/usr/bin/env node
// Builds the monitor's running-cluster scenarios (demo-lab/running, syncing, failover, failed-over,
// split-brain, degraded-raid) from the real captures of the lab capture set lab-captures/ (copied byte for byte,
// never edited) and writes each node's manifest.json and the scenario's SCENARIO.md. Run by hand when the
// captures change:  node demo-lab/make-monitor.mjs <the lab-captures folder>
// The argv are the monitor's (src/monitor/collect.ts MONITOR_ARGV). Where the lab captured a neighbouring
// command instead (e.g. `events2 --now` for the stream, `lvs` without -o), the entry's `source` says so.
import { copyFileSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const captures = process.argv[2];
if (!captures) {
  console.error('usage: node demo-lab/make-monitor.mjs <lab-captures folder>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));

const A = {
  stream: ['drbdsetup', 'events2', '--timestamps', '--statistics', 'all'],
  now: ['drbdsetup', 'events2', '--now', '--statistics', 'all'],
  proc: ['cat', '/proc/drbd'],
  crm: ['crm_mon', '-1', '--output-as=xml'],
  mdstat: ['cat', '/proc/mdstat'],
  vgs: ['vgs', '--reportformat', 'json', '--units', 'b'],
  lvs: ['lvs', '-o', '+snap_percent,lv_time', '--reportformat', 'json', '--units', 'b'],
  // The monitor's one LVM command (MONITOR_ARGV.lvm); the actions keep reading vgs and lvs.
  lvm: ['lvm', 'fullreport', '--reportformat', 'json', '--units', 'b',
    '--configreport', 'vg', '-o', 'vg_name,vg_size,vg_free',
    '--configreport', 'lv', '-o', 'vg_name,lv_name,lv_attr,lv_size,origin,snap_percent,lv_time',
    '--configreport', 'pv', '-o', 'pv_name', '--configreport', 'pvseg', '-o', 'pvseg_start', '--configreport', 'seg', '-o', 'segtype'],
  nfs: ['systemctl', 'is-active', 'nfs-server'],
  exportfs: ['exportfs', '-v'],
  cib: ['cibadmin', '-Q'],
  // The storage actions (snapshot, grow) read which LV the DRBD device sits on, and what is mounted where.
  lsblk: ['lsblk', '-J', '-b', '-O'],
  ping: (t) => ['ping', '-c', '1', '-W', '1', t],
  // The split-brain action's read of DRBD's kernel log (src/probes/drbd-kernel-log.ts KERNEL_LOG_ARGV).
  klog: ['journalctl', '-k', '-b', '--no-pager', '-o', 'short-precise', '--grep', 'drbd'],
};
// The lab captured `ping -c 3 -W 1`; the monitor sends one request (same output format, one reply line).
const PING_NOTE = 'captured as `ping -c 3 -W 1` (the monitor sends `-c 1`: same output format)';

const PEER = { 1: '192.168.100.12', 2: '192.168.100.11' };

// Shared pieces. f(path) = a capture file; note = why a neighbouring capture answers this argv.
const f = (path, extra = {}) => ({ file: path, ...extra });
const LVM_FILES = {
  vgs: (n) => (n === 1 ? 'raid/vgs_reportformat_json_units_b.snapshot-fresh.node1.json' : 'raid/vgs_reportformat_json_units_b.no-snapshot.node2.json'),
  lvs: (n) => (n === 1 ? 'raid/lvs_o_+snap_percent,lv_time_reportformat_json_units_b.snapshot-written.node1.json' : 'raid/lvs_reportformat_json_units_b.no-snapshot.node2.json'),
};
const lvm = (n) => [
  [A.vgs, f(LVM_FILES.vgs(n), { note: 'LVM as captured at 19:31 on 2026-11-25 (same VG layout; the lab kept no later vgs capture)' })],
  [A.lvs, n === 1
    ? f(LVM_FILES.lvs(n), { note: 'snapshot snap1 37.7 % full, 19:31 on 2026-11-25' })
    : f(LVM_FILES.lvs(n), { note: 'captured as `lvs --reportformat json --units b` (no -o +snap_percent,lv_time); node2 has no snapshot' })],
  // The lab has no capture of the fullreport yet: the vgs and lvs captures above, one after the other
  // (the parser reads both forms to one model: test/monitor/lvm-fullreport.test.ts).
  [A.lvm, { files: [LVM_FILES.vgs(n), LVM_FILES.lvs(n)], note: 'answered by the vgs then the lvs capture above, one after the other (the lab has no `lvm fullreport` capture yet; the monitor reads both forms alike)' }],
];
const ping = (n, exit = 0) => [[A.ping(PEER[n]), f(`bare-nodes/ping_c3_W1_peer.bare.node${n}.txt`, { exitCode: exit, note: `ping of the peer on the private link (2026-11-25 19:30); ${PING_NOTE}` })]];
const pcmkStopped = (n) => [[A.crm, f(`bare-nodes/crm_mon_1_xml.bare-pacemaker-stopped.node${n}.xml`, { exitCode: 102, note: 'Pacemaker not running (2026-11-25 19:45)' })]];
const nfsOff = (n) => [
  [A.nfs, f(`bare-nodes/systemctl_is-active_nfs-server_corosync_pacemaker.bare.node${n}.txt`, { exitCode: 3, note: 'captured as `systemctl is-active nfs-server corosync pacemaker`: its first line is nfs-server' })],
  [A.exportfs, f(`bare-nodes/exportfs_v.bare-nfs-stopped.node${n}.txt`)],
];

const scenarios = {
  running: {
    title: 'running — both nodes up, NFS active on node1, DRBD UpToDate/Connected (2026-11-24 manual run, Pacemaker-managed)',
    nodes: {
      1: [
        [A.stream, f('manual-run/drbdsetup_events2_now_statistics.pcmk-managed.node1.txt', { stream: { intervalMs: 50, holdOpen: true }, note: 'the state dump of `drbdsetup events2 --now --statistics` in this state, replayed as the start of the stream' })],
        [A.now, f('manual-run/drbdsetup_events2_now_statistics.pcmk-managed.node1.txt')],
        [A.proc, f('manual-run/proc_drbd.pcmk-managed.node1.txt')],
        [A.crm, f('manual-run/crm_mon_1_xml.nfs-running.node1.xml')],
        [A.cib, f('manual-run/cibadmin_Q.nfs-running.xml', { note: 'the CIB in this state (manual run, NFS running)' })],
        [A.mdstat, f('manual-run/proc_mdstat.node1.txt')],
        [A.nfs, f('manual-run/systemctl_is-active_nfs-server.pcmk-managed.node1.txt')],
        [A.exportfs, f('manual-run/exportfs_v.pcmk-managed.node1.txt')],
        [A.lsblk, f('raid/lsblk_J_b_O.full-stack-active.node1.json', { note: 'the full stack on the active node (2026-11-25): vg0-nfs under drbd0, mounted at /srv/nfs' })],
        ...lvm(1), ...ping(1),
      ],
      2: [
        [A.stream, f('manual-run/drbdsetup_events2_now_statistics.pcmk-managed.node2.txt', { stream: { intervalMs: 50, holdOpen: true }, note: 'the state dump of `drbdsetup events2 --now --statistics`, replayed as the start of the stream' })],
        [A.now, f('manual-run/drbdsetup_events2_now_statistics.pcmk-managed.node2.txt')],
        [A.proc, f('manual-run/proc_drbd.pcmk-managed.node2.txt')],
        [A.crm, f('manual-run/crm_mon_1_xml.nfs-running.node2.xml')],
        [A.cib, f('manual-run/cibadmin_Q.nfs-running.xml', { note: 'the CIB in this state (manual run, NFS running; one CIB for both nodes)' })],
        [A.mdstat, f('manual-run/proc_mdstat.node2.txt')],
        [A.nfs, f('manual-run/systemctl_is-active_nfs-server.pcmk-managed.node2.txt', { exitCode: 3 })],
        [A.exportfs, f('manual-run/exportfs_v.pcmk-managed.node2.txt')],
        [A.lsblk, f('raid/lsblk_J_b_O.full-stack-passive.node2.json', { note: 'the full stack on the passive node (2026-11-25): vg0-nfs under drbd0, not mounted' })],
        ...lvm(2), ...ping(2),
      ],
    },
  },
  syncing: {
    title: 'syncing — the initial DRBD sync of r0 after `primary --force` on node1, before Pacemaker (2026-11-25 19:32; /proc/drbd of node1 from the 2026-11-24 runs of the same lab). node1 has no events2 capture here, so it shows the DRBD 8.4 /proc/drbd polling path; node2 replays its events2 stream. Known gap: no mid-sync capture of node2 exists, so its /proc/drbd (and --once) shows it after the sync',
    nodes: {
      1: [
        [A.proc, { responses: [f('manual-run/proc_drbd.syncsource.node1.txt'), f('manual-run/proc_drbd.syncsource.node1.txt'), f('e2e-run/02-syncing/drbd.node1.txt'), f('e2e-run/02-syncing/drbd.node1.txt'), f('manual-run/proc_drbd.uptodate.node1.txt')], note: 'successive polls: 20 % (manual run, twice), 90 % (e2e run, twice), done' }],
        [A.mdstat, f('raid/proc_mdstat.clean.node1.txt')],
        ...pcmkStopped(1), ...nfsOff(1), ...lvm(1), ...ping(1),
      ],
      2: [
        [A.stream, f('drbd-streams/drbdsetup_events2_timestamps_statistics_all.initial-sync.node2.txt', { stream: { intervalMs: 600, holdOpen: true } })],
        [A.proc, f('manual-run/proc_drbd.uptodate.node2.txt', { note: 'no mid-sync /proc/drbd of node2 was captured: this is node2 after the sync' })],
        [A.mdstat, f('raid/proc_mdstat.clean-5s-after-create.node2.txt')],
        ...pcmkStopped(2), ...nfsOff(2), ...lvm(2), ...ping(2),
      ],
    },
  },
  failover: {
    title: 'failover — node1 (active) killed at 19:49:11 on 2026-11-25; node2 takes over in 43 s (crm_mon polled through the transition)',
    nodes: {
      1: [],
      2: [
        [A.stream, f('drbd-streams/drbdsetup_events2_timestamps_statistics_all.pcmk-active-killed-failover.node2.txt', { stream: { intervalMs: 700, holdOpen: true } })],
        [A.proc, f('manual-run/proc_drbd.failed-over-primary.node2.txt', { note: 'node2 Primary/WFConnection after the 2026-11-24 failover (same state)' })],
        [A.cib, f('pacemaker/cibadmin_Q.nfs-running-with-ping.node2.xml', { note: 'the CIB of this cluster (with its ping clone) at 19:36:51, before the kill: the configuration the failover ran under' })],
        [A.crm, { responses: ['01', '02', '03', '04', '05', '06', '07', '08', '09'].map((i) => f(`pacemaker/crm_mon_1_xml.active-killed-transition-${i}.node2.xml`)).concat([f('pacemaker/crm_mon_1_xml.active-killed-failed-over.node2.xml')]) }],
        [A.mdstat, f('manual-run/proc_mdstat.failed-over.node2.txt')],
        [A.nfs, f('manual-run/systemctl_is-active_nfs-server.failed-over.node2.txt')],
        [A.exportfs, f('nfs/exportfs_v.after-failover.node2.txt')],
        ...lvm(2),
        [A.ping(PEER[2]), f('bare-nodes/ping_c3_W1_unreachable-192.168.100.99.bare.node2.txt', { exitCode: 1, note: `the dead peer answers no ping: the 100 %-loss capture (ping of an unused address on the same link); ${PING_NOTE}` })],
      ],
    },
  },
  'failed-over': {
    title: 'failed-over — node1 (active) killed, node2 Primary and serving NFS, node1 OFFLINE (2026-11-24 manual run)',
    nodes: {
      1: [],
      2: [
        [A.stream, f('manual-run/drbdsetup_events2.failed-over-primary.node2.txt', { stream: { intervalMs: 50, holdOpen: true }, note: 'the state dump in this state, replayed as the start of the stream' })],
        [A.now, f('manual-run/drbdsetup_events2.failed-over-primary.node2.txt')],
        [A.proc, f('manual-run/proc_drbd.failed-over-primary.node2.txt')],
        [A.crm, f('manual-run/crm_mon_1_xml.failed-over.node2.xml')],
        [A.cib, f('manual-run/cibadmin_Q.final.xml', { note: 'the manual run\'s last CIB (the configuration after the failover)' })],
        [A.mdstat, f('manual-run/proc_mdstat.failed-over.node2.txt')],
        [A.nfs, f('manual-run/systemctl_is-active_nfs-server.failed-over.node2.txt')],
        [A.exportfs, f('manual-run/exportfs_v.failed-over.node2.txt')],
        ...lvm(2),
        [A.ping(PEER[2]), f('bare-nodes/ping_c3_W1_unreachable-192.168.100.99.bare.node2.txt', { exitCode: 1, note: `the dead peer answers no ping: the 100 %-loss capture (ping of an unused address on the same link); ${PING_NOTE}` })],
      ],
    },
  },
  'split-brain': {
    title: 'split-brain — both nodes Primary, DRBD r0 StandAlone after "Split-Brain detected but unresolved" (2026-11-25 19:34, before Pacemaker)',
    nodes: Object.fromEntries([1, 2].map((n) => [n, [
      [A.stream, f(`drbd-streams/drbdsetup_events2_timestamps_statistics_all.split-brain.node${n}.txt`, { stream: { intervalMs: 150, holdOpen: true } })],
      [A.now, f(`drbd-streams/drbdsetup_events2_now_statistics.split-brain-standalone.node${n}.txt`)],
      [A.proc, f(`drbd-streams/proc_drbd.split-brain-standalone.node${n}.txt`)],
      [A.klog, f(`drbd-streams/journalctl_k_grep_split-brain.split-brain-standalone.node${n}.txt`, { note: 'captured as `journalctl -k -b … | grep -iE "split-brain|drbd r0: (conn|Split)"`: the same short-precise lines, a subset of what --grep drbd prints' })],
      [A.mdstat, f(n === 1 ? 'raid/proc_mdstat.clean.node1.txt' : 'raid/proc_mdstat.after-kill9-reboot-md127-auto-read-only.node2.txt', { note: n === 2 ? 'node2 after its 19:33 reboot: md127 auto-read-only' : undefined })],
      ...pcmkStopped(n), ...nfsOff(n), ...lvm(n), ...ping(n),
    ]])),
  },
  'degraded-raid': {
    title: 'degraded-raid — md0 on node1 with vdc failed (2026-11-25 19:31:15), before DRBD and Pacemaker',
    nodes: Object.fromEntries([1, 2].map((n) => [n, [
      [A.proc, f(`bare-nodes/proc_drbd.bare-module-loaded-no-resource.node${n}.txt`)],
      [A.now, f(`bare-nodes/drbdsetup_events2_now_statistics_all.bare-module-loaded-no-resource.node${n}.txt`)],
      [A.stream, f(`bare-nodes/drbdsetup_events2_now_statistics_all.bare-module-loaded-no-resource.node${n}.txt`, { stream: { holdOpen: true }, note: 'no resource: the stream prints only `exists -`' })],
      [A.mdstat, { responses: n === 1
        ? [f('raid/proc_mdstat.degraded-vdc-faulty.node1.txt'), f('raid/proc_mdstat.degraded-vdc-removed.node1.txt'), f('raid/proc_mdstat.recovering.node1.txt'), f('raid/proc_mdstat.clean-after-recovery.node1.txt')]
        : [f('raid/proc_mdstat.clean-5s-after-create.node2.txt')], note: n === 1 ? 'successive polls: faulty, removed, recovering, clean' : undefined }],
      // What `disk replace node1` reads (src/plan/actions/disk-replace.ts): the array's detail, the disks with the wizard's probes.
      ...(n === 1 ? [
        // One state (vdc faulty): a dry run reads it more than once and must see the same array each time.
        [['mdadm', '--detail', '/dev/md0'], f('raid/mdadm_detail_md0.degraded-vdc-faulty.node1.txt')],
        [['lsblk', '-J', '-b', '-O'], f('raid/lsblk_J_b_O.full-stack-active.node1.json', { note: 'the disks with md0 on vdb and vdc (captured with the whole stack up, 2026-11-25); vdf 512 MiB blank' })],
        [['ls', '-l', '/dev/disk/by-id/'], f('bare-nodes/ls_l_dev_disk_by-id.bare.node1.txt', { note: 'the same VM, same disks and serials, before the RAID was made' })],
        ...['vdb', 'vdc'].map((d) => [['wipefs', '-n', '--json', `/dev/${d}`], f(`raid/wipefs_n_json_${d}.in-use-raid-member.node1.txt`)]),
        ...['vdd', 'vde', 'vdf'].map((d) => [['wipefs', '-n', '--json', `/dev/${d}`], f(`bare-nodes/wipefs_n_json_${d}.bare.node1.txt`)]),
      ] : []),
      ...pcmkStopped(n), ...nfsOff(n), ...lvm(n), ...ping(n),
    ]])),
  },
};

for (const [name, sc] of Object.entries(scenarios)) {
  const sdir = join(here, name);
  rmSync(sdir, { recursive: true, force: true });
  const lines = [`# ${sc.title}`, '', 'Built by demo-lab/make-monitor.mjs from the lab capture set lab-captures/ (unedited copies). Per node:', ''];
  for (const [n, entries] of Object.entries(sc.nodes)) {
    const node = `node${n}`;
    const ndir = join(sdir, node);
    mkdirSync(ndir, { recursive: true });
    const commands = [];
    lines.push(`## ${node}${entries.length === 0 ? ' — unreachable (its VM was killed): no capture at all, every command fails' : ''}`);
    const take = (x) => {
      // Several files: replayed one after the other (demo-lab/README.md, manifest.json's stdout list).
      const files = x.files ?? [x.file];
      for (const file of files) copyFileSync(join(captures, file), join(ndir, basename(file)));
      return { stdout: x.files ? files.map((file) => basename(file)) : basename(x.file), exitCode: x.exitCode ?? 0 };
    };
    for (const [argv, spec] of entries) {
      const entry = { argv };
      if (spec.responses) entry.responses = spec.responses.map(take);
      else Object.assign(entry, take(spec));
      if (spec.stream) entry.stream = spec.stream;
      const files = spec.responses ? spec.responses.map((r) => r.file) : (spec.files ?? [spec.file]);
      entry.source = `lab-captures/${files.join(', lab-captures/')}${spec.note ? ` — ${spec.note}` : ''}`;
      commands.push(entry);
      lines.push(`- \`${argv.join(' ')}\`: ${entry.source}`);
    }
    writeFileSync(join(ndir, 'manifest.json'), JSON.stringify({ node, commands }, null, 2) + '\n');
    lines.push('');
  }
  writeFileSync(join(sdir, 'SCENARIO.md'), lines.join('\n'));
}
console.log(`wrote ${Object.keys(scenarios).join(', ')}`);
