// The monitor's one-shot on the Debian 13 lab's real captures (test/fixtures/lab-trixie): each node a
// CaptureNode answering the monitor's reads with its capture; what the lab did not capture (cibadmin -Q
// before after-drills, the clock, the configuration files) is not answered (exit 127), never made up. In
// failed-over lab2's VM was killed: its runner is the demo lab's unreachable node (an empty manifest, every
// command fails). Each state's verdict is the one `monitor --check` prints and exits with (formatCheck).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MONITOR_ARGV, snapshotOnce, type MonitoredNode } from '../../src/monitor/collect.js';
import { createStore } from '../../src/monitor/store.js';
import { initialState, type MonitorState } from '../../src/monitor/model.js';
import { assessHealth } from '../../src/monitor/health.js';
import { formatCheck } from '../../src/monitor/format.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import type { Argv } from '../../src/exec/runner.js';
import { CaptureNode } from '../helpers/capture-node.js';
import { trixie, trixiePath, type TrixieState } from '../helpers/lab-trixie.js';

/** The lab answers' ping target (test/lab/lab-answers.yaml): the service network's gateway. */
const GATEWAY = '192.168.101.1';

/** The monitor's reads and the capture answering each (a neighbouring command where the lab took that). */
function reads(state: TrixieState, node: string): [Argv, string | string[]][] {
  const has = (f: string) => existsSync(trixiePath(state, f));
  return [
    [MONITOR_ARGV.events2Now, `drbdsetup_events2_now_statistics_all.${node}.txt`],
    [MONITOR_ARGV.procDrbd, `proc_drbd.${node}.txt`],
    [MONITOR_ARGV.crmMon, `crm_mon_1_xml.${node}.xml`],
    // capture.sh takes `cibadmin -Q` since after-drills; before, the CIB is not answered.
    ...(has(`cibadmin_Q.${node}.xml`) ? [[MONITOR_ARGV.cib, `cibadmin_Q.${node}.xml`] as [Argv, string]] : []),
    [MONITOR_ARGV.mdstat, `proc_mdstat.${node}.txt`],
    // The monitor's one `lvm fullreport`: its own capture since after-drills; before, its vgs then its
    // `lvs -a -o +snap_percent,lv_time ...` (-a adds internal LVs, this lab has none), one after the other,
    // as the demo lab answers it (the parser reads both forms alike: test/monitor/lvm-fullreport.test.ts).
    [MONITOR_ARGV.lvm, has(`lvm_fullreport_monitor.${node}.json`) ? `lvm_fullreport_monitor.${node}.json`
      : [`vgs_reportformat_json_units_b.${node}.json`, `lvs_a_o_snap_percent_lv_time_reportformat_json_units_b.${node}.json`]],
    // captured as `systemctl is-active nfs-server corosync pacemaker`: its first line is nfs-server.
    [MONITOR_ARGV.nfsActive, `systemctl_is-active_nfs-server_corosync_pacemaker.${node}.txt`],
    [MONITOR_ARGV.exportfs, `exportfs_v.${node}.txt`],
    // captured as `ping -c 3 -W 1`: the same output format.
    [MONITOR_ARGV.ping(GATEWAY), `ping_c3_W1_gateway.${node}.txt`],
  ];
}

function labNode(state: TrixieState, node: string): MonitoredNode {
  const m = new Map(reads(state, node).map(([a, f]) => [JSON.stringify(a), Array.isArray(f) ? f.map((x) => trixiePath(state, x)) : trixiePath(state, f)]));
  const runner = new CaptureNode(node, { answer: (argv) => {
    const file = m.get(JSON.stringify(argv));
    return file === undefined ? 'missing' : { file };
  } });
  return { name: node, runner, pingTargets: [GATEWAY] };
}

function downNode(name: string): MonitoredNode {
  const dir = fileURLToPath(new URL(`../../demo-lab/trixie-failed-over/${name}`, import.meta.url));
  return { name, runner: new ReplayRunner({ dir: join(dir), label: name }), pingTargets: [GATEWAY] };
}

async function snapshot(nodes: MonitoredNode[]): Promise<MonitorState> {
  const store = createStore(initialState(nodes.map((n) => ({ name: n.name, target: n.name })), 1000));
  await snapshotOnce(nodes, store.dispatch, () => 5000);
  await Promise.all(nodes.map((n) => n.runner.close()));
  return store.getState();
}

const lines = (s: MonitorState) => assessHealth(s).problems.map((p) => `${p.severity} ${p.node ?? 'cluster'} ${p.subject}`);

describe('the monitor on the Debian 13 lab, running (lab2 active)', () => {
  it('reads every component of both nodes; only the fencing warning and the CIB nobody captured remain', async () => {
    const s = await snapshot([labNode('running', 'lab1'), labNode('running', 'lab2')]);
    for (const n of ['lab1', 'lab2']) {
      const node = s.nodes[n]!;
      expect(node.reach.status).toBe('up');
      expect(node.drbd.resources['nfsdata']?.role).toBe(n === 'lab2' ? 'Primary' : 'Secondary');
      expect(Object.values(node.drbd.resources['nfsdata']!.devices).map((d) => d.disk)).toEqual(['UpToDate']);
      expect(node.raid.arrays.map((a) => [a.name, a.map, a.degraded])).toEqual([['md0', 'UU', false]]);
      expect(node.lvm.lvs.map((l) => `${l.vg}/${l.name}`)).toEqual(['vg_nfs/lv_nfs']);
    }
    expect(s.nodes['lab2']!.nfs.exports.map((e) => e.path)).toEqual(['/srv/nfs/export']);
    expect(s.nodes['lab1']!.nfs.exports).toEqual([]);
    const pcmk = s.nodes['lab1']!.pacemaker.status!;
    expect(pcmk.resources.filter((r) => r.role === 'Promoted').map((r) => r.nodes)).toEqual([['lab2']]);
    // Everything Pacemaker 3.0, DRBD and NFS report is healthy. The lab runs without fencing (WARNING),
    // and no `cibadmin -Q` of this lab was captured: that reading is UNKNOWN, never guessed.
    expect(lines(s).sort()).toEqual(['UNKNOWN lab1 cib reading', 'UNKNOWN lab2 cib reading', 'WARNING cluster fencing']);
    expect(assessHealth(s).problems.find((p) => p.subject === 'cib reading')?.text).toMatch(/^cannot read cluster configuration \(cibadmin -Q\): .*no capture for: cibadmin -Q/);
  });
});

describe('the monitor on the Debian 13 lab, failed over (lab2 killed)', () => {
  it('is CRITICAL: lab2 unreachable and OFFLINE; DRBD on lab1 waits for its peer; the service runs on lab1', async () => {
    const s = await snapshot([labNode('failed-over', 'lab1'), downNode('lab2')]);
    expect(s.nodes['lab2']!.reach).toMatchObject({ status: 'down', error: expect.stringContaining('no capture') });
    const lab1 = s.nodes['lab1']!;
    expect(lab1.drbd.resources['nfsdata']?.role).toBe('Primary');
    expect(Object.values(lab1.drbd.resources['nfsdata']!.devices).map((x) => x.disk)).toEqual(['UpToDate']);
    expect(lab1.nfs.exports.map((e) => e.path)).toEqual(['/srv/nfs/export']);
    const h = assessHealth(s);
    expect(h.overall).toBe('CRITICAL');
    // lab2 gone (unreachable, OFFLINE); DRBD on lab1 waits for its peer (a WARNING: the data is served).
    expect(lines(s).sort()).toEqual(['CRITICAL lab2 node', 'CRITICAL lab2 pacemaker', 'UNKNOWN lab1 cib reading', 'WARNING cluster fencing', 'WARNING lab1 drbd nfsdata']);
    expect(h.problems.find((p) => p.subject === 'drbd nfsdata')?.text).toMatch(/^waiting for the peer \(not replicating\)/);
    // Nothing says the service itself is down: it runs on lab1.
    expect(h.problems.filter((p) => p.node === 'lab1' && /^(nfs|pacemaker)/.test(p.subject))).toEqual([]);
  });
});

/** The Promoted node as `crm_mon -1rf` (the human form captured at the same moment) prints it. */
const promotedIn1rf = (state: TrixieState) => /^\s+\* Promoted: \[ (\S+) \]$/m.exec(trixie(state, 'crm_mon_1rf.lab1.txt'))![1]!;
/** Whether the capture log says this command exited 0. */
const pingAnswered = (state: TrixieState, file: string) => trixie(state, 'capture-log.tsv').split('\n').some((l) => l.split('\t')[2] === file && l.split('\t')[3] === '0');

/** What every node of a healthy pair must show: DRBD Connected/Established, UpToDate both sides, md0 clean, the LV. */
function expectHealthyPair(s: MonitorState, active: string) {
  for (const n of ['lab1', 'lab2']) {
    const node = s.nodes[n]!;
    expect(node.reach.status).toBe('up');
    const r = node.drbd.resources['nfsdata']!;
    expect(r.role).toBe(n === active ? 'Primary' : 'Secondary');
    expect(Object.values(r.devices).map((d) => d.disk)).toEqual(['UpToDate']);
    expect(Object.values(r.connections).map((c) => [c.connection, c.peerRole, Object.values(c.peerDevices).map((p) => [p.replication, p.peerDisk, p.oosKiB ?? 0])])).toEqual([
      ['Connected', n === active ? 'Secondary' : 'Primary', [['Established', 'UpToDate', 0]]],
    ]);
    expect(node.raid.arrays.map((a) => [a.name, a.map, a.degraded])).toEqual([['md0', 'UU', false]]);
    expect(node.lvm.lvs.map((l) => `${l.vg}/${l.name}`)).toEqual(['vg_nfs/lv_nfs']);
    expect(node.nfs.exports.map((e) => e.path)).toEqual(n === active ? ['/srv/nfs/export'] : []);
    expect(node.nfs.server).toBe(n === active ? 'active' : 'inactive');
  }
  const pcmk = s.nodes['lab1']!.pacemaker.status!;
  expect(pcmk.resources.filter((r) => r.role === 'Promoted').map((r) => r.nodes)).toEqual([[active]]);
  expect(pcmk.resources.filter((r) => r.parent === 'g_nfs').every((r) => r.role === 'Started' && r.nodes[0] === active)).toBe(true);
}

/** The commands each node was asked, as one line each. */
const asked = (n: MonitoredNode) => (n.runner as CaptureNode).all.map((a) => a.join(' '));

describe('the monitor on the Debian 13 lab, rejoined (lab2 back after its kill, lab1 still active)', () => {
  it('reads a healthy pair again, lab1 Primary; pingd covers the pings; only the fencing warning and the uncaptured CIB remain (--check UNKNOWN, exit 3)', async () => {
    const nodes = [labNode('rejoined', 'lab1'), labNode('rejoined', 'lab2')];
    const s = await snapshot(nodes);
    expect(promotedIn1rf('rejoined')).toBe('lab1');
    expectHealthyPair(s, 'lab1');
    // crm_mon's pingd is at its expected value on both: no ping of our own, the attribute is the reading.
    for (const n of nodes) expect(asked(n).filter((c) => c.startsWith('ping '))).toEqual([]);
    expect(Object.values(s.nodes).map((n) => n.readings.connectivity.okAt !== null)).toEqual([true, true]);
    expect(lines(s).sort()).toEqual(['UNKNOWN lab1 cib reading', 'UNKNOWN lab2 cib reading', 'WARNING cluster fencing']);
    expect(formatCheck(s)).toMatchObject({ exitCode: 3, line: expect.stringMatching(/^HANFS UNKNOWN - 3 problems: /) });
  });
});

describe('the monitor on the Debian 13 lab, service link cut (lab1 lost svc0, the service moved to lab2)', () => {
  it('is CRITICAL on lab1: pingd 0 and its own ping of the gateway unanswered; the service runs healthy on lab2 (--check exit 2)', async () => {
    const nodes = [labNode('service-link-cut', 'lab1'), labNode('service-link-cut', 'lab2')];
    const s = await snapshot(nodes);
    expect(promotedIn1rf('service-link-cut')).toBe('lab2');
    // DRBD still replicates over its own link (repl0): the pair is healthy, lab2 Primary.
    expectHealthyPair(s, 'lab2');
    // pingd 0 on lab1: the monitor pings the target itself to name what is lost; lab2's pingd covers it.
    expect(asked(nodes[0]!).filter((c) => c.startsWith('ping '))).toEqual([`ping -c 1 -W 1 ${GATEWAY}`]);
    expect(asked(nodes[1]!).filter((c) => c.startsWith('ping '))).toEqual([]);
    expect(pingAnswered('service-link-cut', 'ping_c3_W1_gateway.lab1.txt')).toBe(false);
    expect(s.nodes['lab1']!.ping[GATEWAY]).toMatchObject({ target: GATEWAY, reachable: false, lossPercent: 100 });
    const h = assessHealth(s);
    expect(h.overall).toBe('CRITICAL');
    expect(lines(s).sort()).toEqual([
      'CRITICAL lab1 ping attribute pingd', 'UNKNOWN lab1 cib reading', 'UNKNOWN lab2 cib reading', 'WARNING cluster fencing', `WARNING lab1 ping ${GATEWAY}`,
    ]);
    // The service already left lab1: what pingd 0 means there is that it cannot come back (the ping rule
    // bans it), not that it will leave.
    expect(h.problems.find((p) => p.subject === 'ping attribute pingd')?.text).toBe('connectivity lost (pingd 0): the service cannot fail over to this node');
    // Nothing is said against lab2, which serves.
    expect(h.problems.filter((p) => p.node === 'lab2' && !p.subject.endsWith(' reading'))).toEqual([]);
    expect(formatCheck(s)).toMatchObject({ exitCode: 2, line: expect.stringMatching(/^HANFS CRITICAL - 5 problems: lab1 ping attribute pingd: /) });
  });
});

describe('the monitor on the Debian 13 lab after every drill (grow, disk replace, split-brain recovery)', () => {
  it("reads everything, the CIB and the monitor's own lvm fullreport included: healthy, lab2 Primary; only fencing is left (--check WARNING, exit 1)", async () => {
    const nodes = [labNode('after-drills', 'lab1'), labNode('after-drills', 'lab2')];
    const s = await snapshot(nodes);
    expect(promotedIn1rf('after-drills')).toBe('lab2');
    expectHealthyPair(s, 'lab2');
    for (const n of ['lab1', 'lab2']) {
      const node = s.nodes[n]!;
      // The CIB of Pacemaker 3.0 (validate-with pacemaker-4.0) is read: what should exist comes from it.
      expect(node.readings.cib).toMatchObject({ failedAt: null });
      expect(node.readings.cib.okAt).not.toBeNull();
      expect(node.cib?.primitives.map((p) => p.agent)).toContain('ocf:linbit:drbd');
      // md0 on lab2 runs on the replacement disk vde (the disk replace drill).
      expect(node.raid.arrays[0]!.members.map((m) => m.device).sort()).toEqual(n === 'lab2' ? ['vdb', 'vde'] : ['vdb', 'vdc']);
      // The grown LV, from the fullreport itself.
      const lv = JSON.parse(trixie('after-drills', `lvm_fullreport_monitor.${n}.json`)).report[0].lv[0];
      expect(node.lvm.lvs[0]!.sizeBytes).toBe(Number(lv.lv_size.replace(/B$/, '')));
    }
    expect(lines(s)).toEqual(['WARNING cluster fencing']);
    expect(formatCheck(s)).toMatchObject({ exitCode: 1, line: expect.stringMatching(/^HANFS WARNING - 1 problem: cluster fencing: fencing disabled/) });
  });
});
