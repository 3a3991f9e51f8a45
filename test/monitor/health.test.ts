import { describe, expect, it } from 'vitest';
import { COMPONENTS, initialState, type MonitorState } from '../../src/monitor/model.js';
import { reduce, reduceAll, type MonitorEvent } from '../../src/monitor/reducer.js';
import {
  assessHealth, CONNECTION_RULES, DISK_RULES, EXIT_CODE, PACEMAKER_RULES, PEER_DISK_RULES, SEVERITY_RANK, SPLIT_BRAIN,
} from '../../src/monitor/health.js';
import { fixture, stream, streamEvents } from '../helpers/monitor-fixtures.js';

const nodes = [{ name: 'node1', target: 'replay' }, { name: 'node2', target: 'replay' }];
const T = Date.parse('2026-11-25T19:40:00Z');
// Every component counted as read at T, fencing accepted: these tests are about one rule each, and the
// fail-closed and must-never-miss rules have their own (states.test.ts, health-admin.test.ts).
const allRead = (s: MonitorState): MonitorState =>
  reduceAll({ ...s, acceptNoFencing: true }, nodes.map((n) => ({ type: 'fresh' as const, node: n.name, at: T, components: [...COMPONENTS] })));
const base = (): MonitorState => allRead(initialState(nodes, T));
const crm = (file: string, node = 'node1'): MonitorEvent => ({ type: 'crm-mon', node, at: T, xml: fixture(file) });
const texts = (s: MonitorState) => assessHealth(s).problems.map((p) => `${p.severity} ${p.node ?? 'cluster'} ${p.subject}: ${p.text}`);

describe('health rules (lookup tables), on real captures', () => {
  it('a healthy Pacemaker-managed cluster is OK', () => {
    const s = reduceAll(base(), [
      crm('crm_mon_1_xml.nfs-running-with-ping.node1.xml'),
      { type: 'proc-drbd', node: 'node1', at: T, text: fixture('proc_drbd.pcmk-managed.node1.txt') },
      { type: 'proc-drbd', node: 'node2', at: T, text: fixture('proc_drbd.pcmk-managed.node2.txt') },
      { type: 'mdstat', node: 'node1', at: T, text: fixture('proc_mdstat.clean.node1.txt') },
      { type: 'ping', node: 'node1', at: T, target: '192.168.100.12', output: fixture('ping_c3_W1_peer.bare.node1.txt') },
    ]);
    expect(texts(s)).toEqual([]);
    expect(assessHealth(s).overall).toBe('OK');
  });

  it('nothing heard from a node yet is UNKNOWN (exit 3), not OK', () => {
    const h = assessHealth(initialState(nodes, T));
    expect(h.overall).toBe('UNKNOWN');
    expect(EXIT_CODE[h.overall]).toBe(3);
  });

  it('failed action with fail count and time is a WARNING; a FAILED resource is CRITICAL', () => {
    const s = reduce(base(), crm('crm_mon_1rfA_xml.failed-action-nfsserver.node2.xml', 'node2'));
    const t = texts(s);
    expect(t).toContain("WARNING node2 pacemaker p_nfsserver: failed action monitor 'not running' at 2026-11-25 19:37:16Z, fail-count 1");
    expect(t).toContain("WARNING node2 pacemaker p_exportfs: failed action monitor 'not running' at 2026-11-25 19:37:18Z, fail-count 1");
    expect(t).toContain('CRITICAL node2 pacemaker p_nfsserver: resource FAILED (Starting on node2)');
    expect(t).toContain('CRITICAL cluster pacemaker p_ip: resource stopped');
  });

  it('after recovery the fail counts stay visible (WARNING) until cleanup', () => {
    const s = reduce(base(), crm('crm_mon_1_xml.failed-action-recovered.node2.xml', 'node2'));
    const h = assessHealth(s);
    expect(h.problems.filter((p) => p.node !== null && p.subject.startsWith('pacemaker')).every((p) => p.severity === 'WARNING')).toBe(true);
    expect(h.problems.some((p) => p.text.includes('fail-count 1'))).toBe(true);
  });

  it('a node in standby is a WARNING and its stopped clone instance is not double-counted', () => {
    const t = texts(reduce(base(), crm('crm_mon_1_xml.passive-standby.node1.xml')));
    expect(t).toContain('WARNING node1 pacemaker: node in standby');
    expect(t.filter((x) => x.includes('clone instance stopped'))).toEqual([]);
  });

  it('an OFFLINE node is CRITICAL', () => {
    expect(texts(reduce(base(), crm('crm_mon_1_xml.passive-killed-offline.node1.xml')))).toContain('CRITICAL node2 pacemaker: node OFFLINE in the cluster');
  });

  it('ping attribute below expected is WARNING; pingd 0 is CRITICAL', () => {
    expect(texts(reduce(base(), crm('crm_mon_1A_xml.ping-degraded-2-of-3.node1.xml')))).toContain('WARNING node1 ping attribute pingd: connectivity degraded (2000 of 3000)');
    const lost = texts(reduce(base(), crm('crm_mon-c.xml')));
    expect(lost.filter((x) => x.includes('pingd 0'))).toEqual([
      expect.stringMatching(/^CRITICAL nfs1 ping attribute pingd: connectivity lost \(pingd 0\)/),
    ]);
  });

  it('Pacemaker not running (crm_mon status 102) is CRITICAL on that node', () => {
    expect(texts(reduce(base(), crm('crm_mon_1_xml.bare-pacemaker-stopped.node1.xml')))).toContain('CRITICAL node1 pacemaker: Pacemaker not answering (Not connected (crm_mon status 102))');
  });

  it('nfs-server inactive where Pacemaker runs it is CRITICAL', () => {
    const s = reduceAll(base(), [
      crm('crm_mon_1_xml.nfs-running-with-ping.node1.xml'),
      { type: 'nfs', node: 'node2', at: T, systemctl: fixture('systemctl_is-active_nfs-server_corosync_pacemaker.bare.node1.txt'), exportfs: '' },
      { type: 'nfs', node: 'node1', at: T, systemctl: fixture('systemctl_is-active_nfs-server_corosync_pacemaker.bare.node1.txt'), exportfs: '' },
    ]);
    const t = texts(s);
    expect(t).toContain('CRITICAL node2 nfs: nfs-server not active where Pacemaker runs it (inactive)');
    expect(t.some((x) => x.startsWith('CRITICAL node1 nfs'))).toBe(false);
  });

  it('split brain outranks everything and is CRITICAL', () => {
    const s = reduceAll(base(), [
      ...streamEvents(stream('split-brain', 1), 'node1'),
      { type: 'mdstat', node: 'node1', at: T, text: fixture('proc_mdstat.degraded-vdc-faulty.node1.txt') },
    ]);
    const h = assessHealth(s);
    expect(h.problems[0]!.text.startsWith(SPLIT_BRAIN.text)).toBe(true);
    expect(h.overall).toBe('CRITICAL');
  });

  it('a ping target without reply is a WARNING', () => {
    const s = reduce(base(), { type: 'ping', node: 'node1', at: T, target: '192.168.100.99', output: fixture('ping_c3_W1_unreachable-192.168.100.99.bare.node1.txt') });
    expect(texts(s)).toContain('WARNING node1 ping 192.168.100.99: no reply');
  });

  it('snapshot fill: warning from 80 %, critical from 95 %, none below', () => {
    const s = reduce(base(), { type: 'lvm', node: 'node1', at: T, text: fixture('lvs_o_+snap_percent,lv_time_reportformat_json_units_b.snapshot-written.node1.json') });
    expect(s.nodes['node1']!.lvm.lvs.find((l) => l.name === 'snap1')).toMatchObject({ isSnapshot: true, snapPercent: 37.7, origin: 'nfs', invalid: false });
    expect(texts(s).filter((x) => x.includes('lvm'))).toEqual([]);
  });

  it('RAID auto-read-only after a reboot is a WARNING', () => {
    const s = reduce(base(), { type: 'mdstat', node: 'node2', at: T, text: fixture('proc_mdstat.after-kill9-reboot-md127-auto-read-only.node2.txt') });
    expect(texts(s)).toContain('WARNING node2 raid md127: read-only (auto-read-only)');
  });

  it('the tables rank what they should', () => {
    expect(CONNECTION_RULES['StandAlone']!.severity).toBe('CRITICAL');
    expect(CONNECTION_RULES['Connected']).toBeUndefined();
    expect(DISK_RULES['UpToDate']).toBeUndefined();
    expect(DISK_RULES['Diskless']!.score).toBeGreaterThan(DISK_RULES['Outdated']!.score);
    expect(PEER_DISK_RULES['UpToDate']).toBeUndefined();
    expect(SPLIT_BRAIN.score).toBeGreaterThan(Math.max(...Object.values(PACEMAKER_RULES).map((r) => r.score)));
    expect(SEVERITY_RANK.CRITICAL).toBeGreaterThan(SEVERITY_RANK.UNKNOWN);
    expect(SEVERITY_RANK.UNKNOWN).toBeGreaterThan(SEVERITY_RANK.WARNING);
  });
});
