// The parsers on the Debian 13 lab's later states (test/fixtures/lab-trixie/<state>/, SOURCE.md there):
// rejoined (lab2 back after its kill, lab1 still active), service-link-cut (lab1's service NIC cut, the
// service moved to lab2) and after-drills (the end of the e2e with every action drill: grow, disk replace,
// split-brain recovery). Where the lab captured two forms of one fact at the same moment, the form the
// program parses (crm_mon XML, events2, JSON, cibadmin -Q) is held against the form an admin reads
// (`crm_mon -1rf`, `drbdadm status`, /proc/drbd, the capture log's exit status), read here with a regex of
// the test's own: what the parsers conclude must be what the capture says, not a value typed here.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCrmMon, type CrmStatus } from '../../src/probes/crm-mon.js';
import { parseCrmMonExtras } from '../../src/probes/crm-mon-extras.js';
import { failedActions, settleProblems } from '../../src/probes/cluster-settle.js';
import { parseDrbdadmStatus, connectedToPeers } from '../../src/probes/drbd-status.js';
import { parseProcDrbd } from '../../src/probes/proc-drbd.js';
import { parseEvents2 } from '../../src/probes/drbd-events2.js';
import { drbdFactsFrom } from '../../src/plan/actions/cluster-facts.js';
import { parsePing } from '../../src/probes/ping.js';
import { parseExportfsV, parseShowmountE, parseSystemctlIsActive } from '../../src/probes/nfs.js';
import { parseMdstat } from '../../src/probes/mdstat.js';
import { mergeMdadmDetail, parseMdadmDetail } from '../../src/probes/mdadm-detail.js';
import { parseLvmForMonitor } from '../../src/monitor/lvm-adapter.js';
import { MONITOR_ARGV } from '../../src/monitor/collect.js';
import { cibTopology, parseCibFacts } from '../../src/probes/cib-facts.js';
import { expectedFromCib } from '../../src/monitor/expected.js';
import { UNITS_STATE_ARGV, unitsLoaded } from '../../src/plan/units.js';
import { trixie, trixieCommand, trixieExit, trixiePath, type TrixieState } from '../helpers/lab-trixie.js';

const STATES = ['rejoined', 'service-link-cut', 'after-drills'] as const satisfies readonly TrixieState[];
const NODES = ['lab1', 'lab2'] as const;

function crm(state: TrixieState, node: string): CrmStatus {
  const r = parseCrmMon(trixie(state, `crm_mon_1_xml.${node}.xml`));
  if (!r.ok) throw new Error(`${state}/${node}: ${r.message}`);
  return r;
}

/** What `crm_mon -1rf` (the human form of the same moment) says: the promoted node and where each primitive runs. */
function crmText(state: TrixieState, node: string) {
  const t = trixie(state, `crm_mon_1rf.${node}.txt`);
  const promoted = /^\s+\* Promoted: \[ (.+?) \]$/m.exec(t)?.[1]?.split(' ') ?? [];
  const unpromoted = /^\s+\* Unpromoted: \[ (.+?) \]$/m.exec(t)?.[1]?.split(' ') ?? [];
  const started = Object.fromEntries([...t.matchAll(/^\s+\* (\S+)\t\(([^)]+)\):\t Started (\S+)$/gm)].map((m) => [m[1]!, { agent: m[2]!, node: m[3]! }]));
  const dc = /Current DC: (\S+)/.exec(t)?.[1] ?? null;
  const online = /Online: \[ (.+?) \]/.exec(t)?.[1]?.split(' ') ?? [];
  return { promoted, unpromoted, started, dc, online, quorum: /partition with quorum/.test(t) };
}

/** What `drbdadm status` (the human form) says of the one resource: name, roles, disks, replication. */
function drbdadmText(state: TrixieState, node: string) {
  const t = trixie(state, `drbdadm_status.${node}.txt`);
  const m = /^(\S+) role:(\S+)\n\s+disk:(\S+)\n\s+peer role:(\S+)\n\s+replication:(\S+) peer-disk:(\S+)/.exec(t);
  if (!m) throw new Error(`${state}/${node}: drbdadm status not in the connected form`);
  return { name: m[1]!, role: m[2]!, disk: m[3]!, peerRole: m[4]!, replication: m[5]!, peerDisk: m[6]! };
}

describe('DRBD on the Debian 13 lab after the drills (events2, /proc/drbd and drbdadm status agree)', () => {
  it.each(STATES)('%s: both nodes Connected/Established, UpToDate on both sides, nothing out of sync', (state) => {
    const roles: Record<string, string> = {};
    for (const node of NODES) {
      const want = drbdadmText(state, node);
      const { events, errors } = parseEvents2(trixie(state, `drbdsetup_events2_now_statistics_all.${node}.txt`));
      expect(errors).toEqual([]);
      expect(events.at(-1)?.object).toBe('-'); // the initial dump ended
      // The actions' reading of the same dump (readClusterFacts): one resource, what drbdadm status says.
      expect(drbdFactsFrom(trixie(state, `drbdsetup_events2_now_statistics_all.${node}.txt`))).toEqual([
        expect.objectContaining({ name: want.name, role: want.role, disk: want.disk, connection: 'Connected', peerRole: want.peerRole, peerDisk: want.peerDisk, replication: want.replication, outOfSyncKiB: 0, minor: 0 }),
      ]);
      const [st] = parseDrbdadmStatus(trixie(state, `drbdadm_status.${node}.txt`));
      expect(st).toMatchObject({ name: want.name, role: want.role, disk: want.disk });
      expect(connectedToPeers(st!)).toBe(true);
      // DRBD 8.4's own file: Connected, the same roles and disks, no resync.
      const proc = parseProcDrbd(trixie(state, `proc_drbd.${node}.txt`));
      if (!proc.ok) throw new Error(proc.error);
      expect(proc.version).toBe('8.4.11');
      expect(proc.devices).toEqual([expect.objectContaining({ minor: 0, cstate: 'Connected', role: want.role, peerRole: want.peerRole, disk: want.disk, peerDisk: want.peerDisk, oosKiB: 0, sync: null })]);
      roles[node] = want.role;
    }
    // Exactly one Primary, and it is the node crm_mon -1rf says is Promoted.
    expect(Object.values(roles).sort()).toEqual(['Primary', 'Secondary']);
    expect(crmText(state, 'lab1').promoted).toEqual(NODES.filter((n) => roles[n] === 'Primary'));
  });

  it('the Primary of each state is the one its SOURCE.md describes (lab1 still active after the rejoin; lab2 after the cut and the drills)', () => {
    expect(drbdadmText('rejoined', 'lab1').role).toBe('Primary');
    expect(trixie('rejoined', 'SOURCE.md')).toContain('lab1 still active');
    expect(drbdadmText('service-link-cut', 'lab2').role).toBe('Primary');
    expect(trixie('service-link-cut', 'SOURCE.md')).toContain('the service moved to lab2');
    expect(drbdadmText('after-drills', 'lab2').role).toBe('Primary');
  });

  it('after-drills: the grow reached DRBD (its device is the LV less the same internal metadata as before the grow)', () => {
    const sizeKiB = (state: TrixieState, node: string) => drbdFactsFrom(trixie(state, `drbdsetup_events2_now_statistics_all.${node}.txt`))[0]!.sizeKiB!;
    const lvKiB = (state: TrixieState, node: string) => {
      const r = parseLvmForMonitor(trixie(state, `lvs_reportformat_json_units_b.${node}.json`));
      if (!r.ok) throw new Error(r.error);
      return r.lvs.find((l) => l.name === 'lv_nfs')!.sizeBytes / 1024;
    };
    for (const node of NODES) {
      const meta = lvKiB('running', node) - sizeKiB('running', node);
      expect(meta).toBeGreaterThan(0);
      expect(lvKiB('after-drills', node)).toBeGreaterThan(lvKiB('running', node));
      expect(lvKiB('after-drills', node) - sizeKiB('after-drills', node)).toBe(meta);
    }
  });
});

describe('crm_mon of Pacemaker 3.0.0 on the Debian 13 lab after the drills (XML against crm_mon -1rf)', () => {
  it.each(STATES)('%s: both nodes print the same cluster; where each resource runs is what -1rf says', (state) => {
    const [a, b] = NODES.map((n) => crm(state, n));
    expect({ ...a!, lastUpdate: null }).toEqual({ ...b!, lastUpdate: null });
    const text = crmText(state, 'lab1');
    expect(a).toMatchObject({ pacemakerdState: 'running', dc: text.dc, quorum: text.quorum, failures: [], failCounts: [] });
    expect(a!.nodes.filter((n) => n.online && !n.standby && !n.unclean).map((n) => n.name)).toEqual(text.online);
    const drbd = a!.resources.filter((r) => r.agent === 'ocf:linbit:drbd');
    expect(drbd.filter((r) => r.role === 'Promoted').flatMap((r) => r.nodes)).toEqual(text.promoted);
    expect(drbd.filter((r) => r.role === 'Unpromoted').flatMap((r) => r.nodes)).toEqual(text.unpromoted);
    const group = a!.resources.filter((r) => r.parent === 'g_nfs');
    expect(group.map((r) => r.id)).toEqual(Object.keys(text.started));
    for (const r of group) expect([r.agent, r.role, r.nodes]).toEqual([text.started[r.id]!.agent, 'Started', [text.started[r.id]!.node]]);
    // Settled, nothing failed: what apply's and the actions' wait reads.
    expect(settleProblems(a!, [...NODES])).toEqual([]);
    expect(failedActions(a!)).toBeNull();
  });

  it('service-link-cut: pingd 0 of 1000 on lab1 (the gateway it lost), 1000 on lab2; the rule keeps the group off lab1', () => {
    const s = crm('service-link-cut', 'lab2');
    expect(s.attributes['lab1']?.['pingd']).toEqual({ value: '0', expected: '1000' });
    expect(s.attributes['lab2']?.['pingd']).toEqual({ value: '1000', expected: '1000' });
    expect(trixie('service-link-cut', 'crm_mon_1_xml.lab2.xml')).toMatch(/<ban id="loc_nfs_needs_ping-rule" resource="g_nfs" node="lab1"/);
    for (const state of ['rejoined', 'after-drills'] as const) {
      for (const n of NODES) expect(crm(state, 'lab1').attributes[n]?.['pingd']).toEqual({ value: '1000', expected: '1000' });
    }
  });

  it.each(STATES)('%s: the cluster options crm_mon 3.0 prints (the lab runs without fencing)', (state) => {
    expect(parseCrmMonExtras(trixie(state, 'crm_mon_1_xml.lab1.xml'))).toMatchObject({ stonithEnabled: false, maintenanceMode: false, stopAllResources: false, fenceEvents: [] });
  });
});

describe('ping on the Debian 13 lab after the drills', () => {
  const PINGS = STATES.flatMap((state) => NODES.flatMap((node) => ['gateway', 'peer-service', 'peer-replication'].map((t) => [state, node, `ping_c3_W1_${t}.${node}.txt`] as const)));

  it.each(PINGS)('%s %s %s: answered exactly when ping exited 0 (the capture log)', (state, _node, file) => {
    const r = parsePing(trixie(state, file));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.reachable).toBe(trixieExit(state, file) === 0);
    expect(r.value.target).toBe(/^PING (\S+)/.exec(trixie(state, file))?.[1]);
  });

  it('service-link-cut: lab1 reaches neither the gateway nor lab2 on the service network ("+N errors"), and lab2 still over the replication link', () => {
    const ping = (node: string, t: string) => {
      const r = parsePing(trixie('service-link-cut', `ping_c3_W1_${t}.${node}.txt`));
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    expect(ping('lab1', 'gateway')).toMatchObject({ transmitted: 3, received: 0, lossPercent: 100, reachable: false, avgRttMs: null });
    expect(ping('lab1', 'peer-service').reachable).toBe(false);
    expect(ping('lab1', 'peer-replication')).toMatchObject({ received: 3, reachable: true });
    expect(ping('lab2', 'gateway').reachable).toBe(true);
  });
});

describe('NFS on the Debian 13 lab after the drills: served only where crm_mon -1rf runs the export', () => {
  it.each(STATES)('%s', (state) => {
    const active = crmText(state, 'lab1').started['p_exportfs_1']!.node;
    for (const node of NODES) {
      const exports = parseExportfsV(trixie(state, `exportfs_v.${node}.txt`));
      const units = parseSystemctlIsActive(trixie(state, `systemctl_is-active_nfs-server_corosync_pacemaker.${node}.txt`), ['nfs-server', 'corosync', 'pacemaker']);
      expect(units).toMatchObject({ corosync: 'active', pacemaker: 'active' });
      if (node === active) {
        expect(exports).toEqual([{ path: '/srv/nfs/export', clients: [{ client: '192.168.101.0/24', options: expect.arrayContaining(['rw', 'sync', 'no_subtree_check', 'no_root_squash', 'fsid=1']) }] }]);
        expect(units['nfs-server']).toBe('active');
      } else {
        expect(exports).toEqual([]);
        expect(units['nfs-server']).toBe('inactive');
      }
    }
  });

  it('showmount -e of the virtual IP answers, except from lab1 while its service NIC is cut', () => {
    for (const state of STATES) {
      for (const node of NODES) {
        const r = parseShowmountE(trixie(state, `showmount_e_vip.${node}.txt`));
        const exit = trixieExit(state, `showmount_e_vip.${node}.txt`);
        expect(r.ok, `${state}/${node}`).toBe(exit === 0);
        if (r.ok) expect(r.exports.map((e) => e.path)).toEqual(['/srv/nfs/export']);
      }
    }
    expect(trixieExit('service-link-cut', 'showmount_e_vip.lab1.txt')).not.toBe(0);
  });
});

describe('RAID and LVM on the Debian 13 lab after the drills', () => {
  it.each(STATES.flatMap((s) => NODES.map((n) => [s, n] as const)))('%s %s: md0 in sync, /proc/mdstat and mdadm --detail name the same members', (state, node) => {
    const [md0, ...rest] = parseMdstat(trixie(state, `proc_mdstat.${node}.txt`));
    expect(rest).toEqual([]);
    expect(md0).toMatchObject({ name: 'md0', state: 'active', level: 'raid1', map: 'UU', degraded: false, sync: null });
    const d = parseMdadmDetail(trixie(state, `mdadm_detail_md0.${node}.txt`));
    expect(d).toMatchObject({ device: '/dev/md0', activeDevices: 2, failedDevices: 0, progress: null });
    // "clean", or "active" while writes are in flight (the active node): neither degraded nor rebuilding.
    expect(d.state.length).toBe(1);
    expect(['clean', 'active']).toContain(d.state[0]);
    expect(d.devices.map((x) => x.device).sort()).toEqual(md0!.members.map((m) => `/dev/${m.device}`).sort());
    expect(mergeMdadmDetail(md0!, d)).toMatchObject({ degraded: false, uuid: d.uuid });
  });

  it('after-drills: lab2 runs md0 on vdb and the hot-plugged vde (disk replace), lab1 still on vdb and vdc', () => {
    expect(trixie('after-drills', 'SOURCE.md')).toContain('lab2 had vdc failed and vde hot-plugged');
    expect(parseMdstat(trixie('after-drills', 'proc_mdstat.lab2.txt'))[0]!.members.map((m) => m.device).sort()).toEqual(['vdb', 'vde']);
    expect(parseMdstat(trixie('after-drills', 'proc_mdstat.lab1.txt'))[0]!.members.map((m) => m.device).sort()).toEqual(['vdb', 'vdc']);
  });

  it("after-drills: the monitor's own `lvm fullreport` of lvm2 2.03.31 reads as its vgs and lvs of the same moment", () => {
    for (const node of NODES) {
      // The exact command of the monitor (not a neighbour of it).
      expect(trixieCommand('after-drills', `lvm_fullreport_monitor.${node}.json`)).toBe(MONITOR_ARGV.lvm.join(' '));
      expect(trixieExit('after-drills', `lvm_fullreport_monitor.${node}.json`)).toBe(0);
      const full = parseLvmForMonitor(trixie('after-drills', `lvm_fullreport_monitor.${node}.json`));
      const split = parseLvmForMonitor(`${trixie('after-drills', `vgs_reportformat_json_units_b.${node}.json`)}\n${trixie('after-drills', `lvs_a_o_snap_percent_lv_time_reportformat_json_units_b.${node}.json`)}`);
      if (!full.ok || !split.ok) throw new Error(JSON.stringify([full, split]));
      expect(full.vgs).toEqual(split.vgs);
      // The lvs capture prints more columns; the fields the monitor keeps are the same.
      expect(full.lvs).toEqual(split.lvs);
      expect(full.lvs.map((l) => [`${l.vg}/${l.name}`, l.isSnapshot, l.attr.charAt(4)])).toEqual([['vg_nfs/lv_nfs', false, 'a']]);
      expect(full.lvs[0]!.createdAt).toBe(Date.parse(JSON.parse(trixie('after-drills', `lvm_fullreport_monitor.${node}.json`)).report[0].lv[0].lv_time.replace(' +0000', 'Z').replace(' ', 'T')));
    }
  });
});

describe('cibadmin -Q of Pacemaker 3.0.0 (after-drills): the configuration the monitor and the actions read', () => {
  const facts = (node: string) => {
    const r = parseCibFacts(trixie('after-drills', `cibadmin_Q.${node}.xml`));
    if (!r.ok) throw new Error(r.error);
    return r.facts;
  };

  it('reads the same configuration from both nodes (schema pacemaker-4.0)', () => {
    expect(trixie('after-drills', 'cibadmin_Q.lab1.xml')).toMatch(/^<cib [^>]*validate-with="pacemaker-4\.0"/);
    expect(facts('lab1')).toEqual(facts('lab2'));
  });

  it('declares what the nodes run: the DRBD resource, the mount, the export, the virtual IP and the ping target', () => {
    const t = cibTopology(facts('lab2'));
    expect(t.drbdResources).toEqual([drbdadmText('after-drills', 'lab2').name]);
    // findmnt on the active node: what is mounted from the DRBD device (not its bind mounts).
    type Fs = { target: string; source: string; children?: Fs[] };
    const walk = (fs: Fs[]): Fs[] => fs.flatMap((f) => [f, ...walk(f.children ?? [])]);
    const fromDrbd = walk((JSON.parse(trixie('after-drills', 'findmnt_J.lab2.json')) as { filesystems: Fs[] }).filesystems).filter((f) => f.source === '/dev/drbd0');
    expect(t.mounts).toEqual(fromDrbd.map((f) => f.target));
    expect(t.exports).toEqual(parseExportfsV(trixie('after-drills', 'exportfs_v.lab2.txt')).map((e) => e.path));
    const addrs = (JSON.parse(trixie('after-drills', 'ip_j_addr.lab2.json')) as { ifname: string; addr_info: { local: string }[] }[]).flatMap((i) => i.addr_info.map((a) => a.local));
    expect(t.vips.length).toBe(1);
    expect(addrs).toContain(t.vips[0]);
    expect(t.pingTargets).toEqual([/^PING (\S+)/.exec(trixie('after-drills', 'ping_c3_W1_gateway.lab2.txt'))![1]]);
    // The Filesystem's /dev/drbd0 names the minor events2 reports.
    expect(expectedFromCib(facts('lab2')).drbdMinors).toEqual({ [drbdFactsFrom(trixie('after-drills', 'drbdsetup_events2_now_statistics_all.lab2.txt'))[0]!.minor!]: 'nfsdata' });
  });

  it('the drills left no move, ban or DRBD fence constraint behind; the options agree with crm_mon', () => {
    const f = facts('lab1');
    expect(f.locations.map((l) => [l.id, l.kind])).toEqual([['loc_nfs_needs_ping', 'other'], ['loc_drbd_promote_only_uptodate', 'other']]);
    const extras = parseCrmMonExtras(trixie('after-drills', 'crm_mon_1_xml.lab1.xml'))!;
    expect(f.clusterOptions['stonith-enabled'] === 'true').toBe(extras.stonithEnabled);
    expect(f.clusterOptions['maintenance-mode'] === 'true').toBe(extras.maintenanceMode);
    // Each resource's migration-threshold crm_mon prints is the CIB's rsc_defaults.
    const thresholds = new Set(Object.values(extras.migrationThreshold).flatMap((r) => Object.values(r)));
    expect([...thresholds]).toEqual([Number(f.rscDefaults['migration-threshold'])]);
  });
});

describe("systemctl show of systemd 257 (Debian 13): apply's check that systemd read our units", () => {
  const FILE = (node: string) => `systemctl_show_p_LoadState_p_NeedDaemonReload_p_DropInPaths.${node}.txt`;
  const result = (state: TrixieState, node: string) => ({
    argv: UNITS_STATE_ARGV, exitCode: trixieExit(state, FILE(node)), stdout: trixie(state, FILE(node)), stderr: '', timedOut: false, aborted: false, durationMs: 1,
  });
  /** `systemctl cat nfs-server`'s own warning (its stderr, captured beside it) that systemd's copy is outdated. */
  const catWarns = (state: TrixieState, node: string) =>
    existsSync(trixiePath(state, `systemctl_cat_nfs-server.${node}.txt.stderr`)) && /changed on disk/.test(trixie(state, `systemctl_cat_nfs-server.${node}.txt.stderr`));

  it.each(STATES.flatMap((s) => NODES.map((n) => [s, n] as const)))('%s %s: loaded with our drop-ins; "read" exactly when systemd says no reload is needed', (state, node) => {
    // The capture is apply's own check command, not a neighbour of it.
    expect(trixieCommand(state, FILE(node))).toBe(UNITS_STATE_ARGV.join(' '));
    const text = trixie(state, FILE(node));
    // 257 prints DropInPaths before NeedDaemonReload (the check reads each property by name).
    expect(text).toMatch(/^LoadState=loaded\nDropInPaths=\/etc\/systemd\/system\/nfs-server\.service\.d\/hanfs-scope\.conf\nNeedDaemonReload=(yes|no)$/m);
    const stale = /^NeedDaemonReload=yes$/m.test(text);
    // systemctl cat says the same thing in its own words.
    expect(catWarns(state, node)).toBe(stale);
    expect(unitsLoaded(result(state, node))).toBe(!stale);
  });

  it('lab1, never rebooted since apply, still has every unit marked changed on disk in rejoined and service-link-cut; after the drills neither node has', () => {
    for (const state of ['rejoined', 'service-link-cut'] as const) {
      expect(trixie(state, FILE('lab1')).match(/^NeedDaemonReload=yes$/gm)).toHaveLength(4);
      expect(unitsLoaded(result(state, 'lab1'))).toBe(false);
      expect(unitsLoaded(result(state, 'lab2'))).toBe(true);
    }
    for (const node of NODES) expect(unitsLoaded(result('after-drills', node))).toBe(true);
  });

  it('on the bare nodes the snapshot units do not exist yet: not loaded', () => {
    expect(trixie('bare', FILE('lab1'))).toContain('LoadState=not-found');
    expect(unitsLoaded(result('bare', 'lab1'))).toBe(false);
  });
});
