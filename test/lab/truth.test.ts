// The harness's ground-truth readers on real captures: the lab's own bare capture (test/fixtures/lab/)
// and the shared lab captures of running, failed-over, failed and split-brain states, as copied into
// test/fixtures (SOURCE.md there says from where): a clean clone has no capture set beside it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './lab.js';
import { addressesOf, hasAddress, parseCrmMonXml, parseProcDrbd84 } from './truth.js';

const bare = (f: string) => readFileSync(join(REPO, 'test/fixtures/lab/bare', f), 'utf8');
const fixture = (f: string) => readFileSync(join(REPO, 'test/fixtures', f), 'utf8');

describe('parseProcDrbd84', () => {
  it('finds no resource on a bare node (module loaded, nothing up)', () => {
    expect(parseProcDrbd84(bare('proc_drbd.lab1.txt'))).toEqual([]);
  });
  it('reads a connected Secondary with an UpToDate peer', () => {
    expect(parseProcDrbd84(fixture('probes/proc_drbd.node1.txt'))).toEqual([
      { minor: 0, connection: 'Connected', role: 'Secondary', peerRole: 'Primary', disk: 'UpToDate', peerDisk: 'UpToDate', outOfSyncKiB: 0, syncedPercent: null },
    ]);
  });
  it('reads the progress of a running resync', () => {
    expect(parseProcDrbd84(fixture('monitor/proc_drbd.e2e-syncing.node1.txt'))[0]).toMatchObject({ connection: 'SyncSource', disk: 'UpToDate', peerDisk: 'Inconsistent', outOfSyncKiB: 21972, syncedPercent: 90 });
  });
  it('reads a Primary waiting for its lost peer, and StandAlone after a split brain', () => {
    const lost = parseProcDrbd84(fixture('monitor/proc_drbd.peer-lost-wfconnection.node1.txt'))[0];
    expect(lost).toMatchObject({ connection: 'WFConnection', role: 'Primary', peerRole: 'Unknown', peerDisk: 'DUnknown' });
    const sb = parseProcDrbd84(fixture('monitor/proc_drbd.split-brain-standalone.node1.txt'))[0];
    expect(sb).toMatchObject({ connection: 'StandAlone', outOfSyncKiB: 3072 });
  });
});

describe('parseCrmMonXml', () => {
  it('says not connected when Pacemaker is stopped', () => {
    const s = parseCrmMonXml(bare('crm_mon_1_xml.lab1.xml'));
    expect(s.connected).toBe(false);
    expect(s.resources).toEqual([]);
  });
  it('reads nodes, roles and placement of a running cluster', () => {
    const s = parseCrmMonXml(fixture('monitor/crm_mon_1_xml.e2e-run-nfs-running.node1.xml'));
    expect(s.connected).toBe(true);
    expect(s.dc).toBe('node2');
    expect(s.nodes.map((n) => [n.name, n.online])).toEqual([['node1', true], ['node2', true]]);
    expect(s.resources.find((r) => r.role === 'Promoted')?.nodes).toEqual(['node2']);
    expect(s.resources.find((r) => r.id === 'p_ip')).toMatchObject({ agent: 'ocf:heartbeat:IPaddr2', active: true, failed: false, nodes: ['node2'] });
    expect(s.resources.every((r) => r.active && !r.failed)).toBe(true);
    expect(s.failures).toBe(0);
  });
  it('sees failed and stopped resources and the failure entries', () => {
    const s = parseCrmMonXml(fixture('monitor/crm_mon_1_xml.failed-action-nfsserver.node1.xml'));
    expect(s.resources.find((r) => r.id === 'p_nfsserver')).toMatchObject({ failed: true, role: 'Stopping' });
    expect(s.resources.find((r) => r.id === 'p_ip')).toMatchObject({ active: false, role: 'Stopped' });
    expect(s.failures).toBe(2);
  });
  it('sees an offline node after the active VM was killed', () => {
    const s = parseCrmMonXml(fixture('monitor/crm_mon_1_xml.active-killed-failed-over.node2.xml'));
    expect(s.nodes.find((n) => n.name === 'node1')?.online).toBe(false);
    expect(s.nodes.find((n) => n.name === 'node2')?.online).toBe(true);
  });
});

describe('on the project lab after an apply whose NFS start failed (test/fixtures/lab/applied-nfsnotify-failed)', () => {
  const state = (f: string) => readFileSync(join(REPO, 'test/fixtures/lab/applied-nfsnotify-failed', f), 'utf8');
  it('DRBD is healthy while Pacemaker holds a blocked, failed nfsserver: the harness must not call this healthy', () => {
    expect(parseProcDrbd84(state('proc_drbd.lab2.txt'))[0]).toMatchObject({
      connection: 'Connected', role: 'Primary', peerRole: 'Secondary', disk: 'UpToDate', peerDisk: 'UpToDate',
    });
    const crm = parseCrmMonXml(state('crm_mon_1_xml.lab2.xml'));
    expect(crm.nodes.map((n) => n.online)).toEqual([true, true]);
    expect(crm.resources.find((r) => r.id === 'p_nfsserver')).toMatchObject({ failed: true, nodes: ['lab2'] });
    expect(crm.failures).toBe(2);
    expect(crm.resources.every((r) => r.active && !r.failed)).toBe(false);
  });
});

describe('ip -j addr helpers', () => {
  it('finds the lab addresses on svc0 and repl0', () => {
    const j = bare('ip_j_addr.lab1.json');
    expect(addressesOf(j, 'svc0')).toEqual(['192.168.101.11/24']);
    expect(addressesOf(j, 'repl0')).toEqual(['192.168.102.11/24']);
    expect(hasAddress(j, '192.168.101.100')).toBe(false);
    expect(hasAddress(j, '192.168.102.11')).toBe(true);
  });
});
