// parseCrmMon on both releases' crm_mon: Pacemaker 3.0.0 (Debian 13) and 2.1.5 (Debian 12) printing the
// same real lab CIBs (test/fixtures/monitor/trixie, made by test/setup/crm-mon-captures.sh), and the
// state 3.0's own scheduler reached from one of them. The parsed status must not depend on the release.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCrmMon, type CrmStatus } from '../../src/probes/crm-mon.js';
import { parseCrmMonExtras } from '../../src/probes/crm-mon-extras.js';
import { trixie } from '../helpers/lab-trixie.js';

const DIR = 'test/fixtures/monitor/trixie';
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');

function parsed(f: string): CrmStatus {
  const r = parseCrmMon(read(f));
  if (!r.ok) throw new Error(`${f}: ${r.message}`);
  return r;
}

/** Everything but what differs by design: the time crm_mon ran, and 3.0's new maintenance flag. */
function comparable(s: CrmStatus) {
  return { ...s, lastUpdate: null, resources: s.resources.map(({ maintenance: _m, ...r }) => r) };
}

const PAIRS = readdirSync(DIR)
  .filter((f) => f.endsWith('.pcmk-3.0.0.xml') && readdirSync(DIR).includes(f.replace('.pcmk-3.0.0.xml', '.pcmk-2.1.5.xml')))
  .sort();

describe('crm_mon of Pacemaker 3.0.0 and 2.1.5 on the same CIB', () => {
  it('has both releases for every lab CIB, -1 and -1 -A', () => {
    expect(PAIRS.length).toBe(8);
  });

  it.each(PAIRS)('%s parses to the same status as 2.1.5 printed it', (f) => {
    const v3 = parsed(f);
    const v2 = parsed(f.replace('.pcmk-3.0.0.xml', '.pcmk-2.1.5.xml'));
    expect(v3.resources.length).toBeGreaterThan(0);
    expect(comparable(v3)).toEqual(comparable(v2));
    // 3.0 says whether each resource is in maintenance; 2.1.5 does not print it (read as false).
    expect(read(f)).toContain(' maintenance="false"');
    expect(v3.resources.every((r) => r.maintenance === false)).toBe(true);
  });

  it('reads 3.0.0 roles, nodes and ping attributes of the running cluster', () => {
    const s = parsed('crm_mon_1A_xml.nfs-running-with-ping.node2.pcmk-3.0.0.xml');
    expect(s.nodes.map((n) => [n.name, n.online])).toEqual([['node1', true], ['node2', true]]);
    const drbd = s.resources.filter((r) => r.id === 'p_drbd_r0').map((r) => [r.role, r.rawRole, r.nodes]);
    expect(drbd).toEqual(expect.arrayContaining([['Promoted', 'Promoted', ['node2']], ['Unpromoted', 'Unpromoted', ['node1']]]));
    expect(s.attributes['node2']?.['pingd']).toEqual({ value: '2000', expected: '2000' });
  });

  it("reads the state 3.0's scheduler reached after the active node failed", () => {
    const s = parsed('crm_mon_1_xml.active-failed-by-3.0.pcmk-3.0.0.xml');
    expect(s.nodes.map((n) => [n.name, n.online])).toEqual([['node1', true], ['node2', false]]);
    expect(s.resources.filter((r) => r.id === 'p_drbd_r0' && r.role === 'Promoted').map((r) => r.nodes)).toEqual([['node1']]);
    expect(s.resources.find((r) => r.id === 'p_ip')).toMatchObject({ role: 'Started', nodes: ['node1'], parent: 'g_nfs' });
    // The transition 3.0 played to get there, as it printed it.
    expect(read('crm_simulate_S.active-failed.pcmk-3.0.0.txt')).toMatch(/Promote\s+p_drbd_r0:0\s+\(\s*Unpromoted -> Promoted node1\s*\)/);
  });
});

// The Debian 13 lab itself (test/fixtures/lab-trixie): crm_mon 3.0.0 of the cluster apply built there.
describe('crm_mon of Pacemaker 3.0.0 on the Debian 13 lab (test/fixtures/lab-trixie)', () => {
  const lab = (state: 'running' | 'failed-over', node: string) => {
    const r = parseCrmMon(trixie(state, `crm_mon_1_xml.${node}.xml`));
    if (!r.ok) throw new Error(r.message);
    return r;
  };
  const placed = (s: CrmStatus) => s.resources.map((r) => `${r.id} ${r.role} ${r.nodes.join(',') || '-'}`);

  it('reads the running cluster the same from both nodes: lab2 Promoted with the group, lab1 Unpromoted', () => {
    for (const node of ['lab1', 'lab2']) {
      const s = lab('running', node);
      expect(s).toMatchObject({ pacemakerdState: 'running', dc: 'lab1', quorum: true, failures: [], failCounts: [] });
      expect(s.nodes.map((n) => [n.name, n.online, n.standby, n.isDc, n.resourcesRunning])).toEqual([['lab1', true, false, true, 2], ['lab2', true, false, false, 7]]);
      expect(placed(s)).toEqual([
        'p_drbd_nfsdata Promoted lab2', 'p_drbd_nfsdata Unpromoted lab1',
        'p_fs Started lab2', 'p_nfsserver Started lab2', 'p_exportfs_1 Started lab2', 'p_vip Started lab2', 'p_nfsnotify Started lab2',
        'p_ping Started lab2', 'p_ping Started lab1',
      ]);
      expect(s.resources.every((r) => r.active && !r.failed && r.managed && !r.maintenance)).toBe(true);
      expect(s.resources.find((r) => r.id === 'p_vip')).toMatchObject({ agent: 'ocf:heartbeat:IPaddr2', parent: 'g_nfs', parentKind: 'group' });
      expect(s.attributes['lab1']?.['pingd']).toEqual({ value: '1000', expected: '1000' });
      expect(s.attributes['lab2']?.['master-p_drbd_nfsdata']).toEqual({ value: '10000', expected: null });
    }
  });

  it("reads 3.0's operation history: the probe as task probe, the Promoted monitor with rc 8", () => {
    const h = lab('running', 'lab1').history;
    expect(h['lab2']!['p_drbd_nfsdata']).toEqual([
      { call: 22, task: 'probe', rc: 0, intervalMs: 0 },
      { call: 35, task: 'promote', rc: 0, intervalMs: 0 },
      { call: 37, task: 'monitor', rc: 8, intervalMs: 29000 },
    ]);
    expect(h['lab1']!['p_drbd_nfsdata']!.at(-1)).toEqual({ call: 36, task: 'monitor', rc: 0, intervalMs: 31000 });
  });

  it('reads the failed-over cluster: lab2 OFFLINE, lab1 Promoted and running the group, the lost instances Stopped', () => {
    const s = lab('failed-over', 'lab1');
    expect(s).toMatchObject({ pacemakerdState: 'running', dc: 'lab1', quorum: true, failures: [] });
    expect(s.nodes.map((n) => [n.name, n.online, n.unclean])).toEqual([['lab1', true, false], ['lab2', false, false]]);
    expect(placed(s)).toEqual([
      'p_drbd_nfsdata Promoted lab1', 'p_drbd_nfsdata Stopped -',
      'p_fs Started lab1', 'p_nfsserver Started lab1', 'p_exportfs_1 Started lab1', 'p_vip Started lab1', 'p_nfsnotify Started lab1',
      'p_ping Started lab1', 'p_ping Stopped -',
    ]);
    expect(Object.keys(s.attributes)).toEqual(['lab1']);
  });

  it('reads the cluster options and migration thresholds 3.0 prints', () => {
    expect(parseCrmMonExtras(trixie('running', 'crm_mon_1_xml.lab2.xml'))).toMatchObject({ stonithEnabled: false, maintenanceMode: false, stopAllResources: false, fenceEvents: [] });
    expect(parseCrmMonExtras(trixie('failed-over', 'crm_mon_1_xml.lab1.xml'))?.migrationThreshold['lab1']?.['p_nfsserver']).toBe(3);
  });
});
