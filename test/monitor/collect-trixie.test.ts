// The monitor's one-shot on the Debian 13 lab's real captures (test/fixtures/lab-trixie): each node a
// CaptureNode answering the monitor's reads with its capture; what the lab did not capture (cibadmin -Q,
// the clock, the configuration files) is not answered (exit 127), never made up. In failed-over lab2's VM
// was killed: its runner is the demo lab's unreachable node (an empty manifest, every command fails).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MONITOR_ARGV, snapshotOnce, type MonitoredNode } from '../../src/monitor/collect.js';
import { createStore } from '../../src/monitor/store.js';
import { initialState, type MonitorState } from '../../src/monitor/model.js';
import { assessHealth } from '../../src/monitor/health.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import type { Argv } from '../../src/exec/runner.js';
import { CaptureNode } from '../helpers/capture-node.js';
import { trixiePath, type TrixieState } from '../helpers/lab-trixie.js';

/** The lab answers' ping target (test/lab/lab-answers.yaml): the service network's gateway. */
const GATEWAY = '192.168.101.1';

/** The monitor's reads and the capture answering each (a neighbouring command where the lab took that). */
function reads(node: string): [Argv, string | string[]][] {
  return [
    [MONITOR_ARGV.events2Now, `drbdsetup_events2_now_statistics_all.${node}.txt`],
    [MONITOR_ARGV.procDrbd, `proc_drbd.${node}.txt`],
    [MONITOR_ARGV.crmMon, `crm_mon_1_xml.${node}.xml`],
    [MONITOR_ARGV.mdstat, `proc_mdstat.${node}.txt`],
    // The monitor's one `lvm fullreport` was not captured on this lab: its vgs then its
    // `lvs -a -o +snap_percent,lv_time ...` (-a adds internal LVs, this lab has none), one after the other,
    // as the demo lab answers it (the parser reads both forms alike: test/monitor/lvm-fullreport.test.ts).
    [MONITOR_ARGV.lvm, [`vgs_reportformat_json_units_b.${node}.json`, `lvs_a_o_snap_percent_lv_time_reportformat_json_units_b.${node}.json`]],
    // captured as `systemctl is-active nfs-server corosync pacemaker`: its first line is nfs-server.
    [MONITOR_ARGV.nfsActive, `systemctl_is-active_nfs-server_corosync_pacemaker.${node}.txt`],
    [MONITOR_ARGV.exportfs, `exportfs_v.${node}.txt`],
    // captured as `ping -c 3 -W 1`: the same output format.
    [MONITOR_ARGV.ping(GATEWAY), `ping_c3_W1_gateway.${node}.txt`],
  ];
}

function labNode(state: TrixieState, node: string): MonitoredNode {
  const m = new Map(reads(node).map(([a, f]) => [JSON.stringify(a), Array.isArray(f) ? f.map((x) => trixiePath(state, x)) : trixiePath(state, f)]));
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
