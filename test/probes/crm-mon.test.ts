import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseRole, parseCrmMon } from '../../src/probes/crm-mon.js';
import { fixture } from '../helpers/monitor-fixtures.js';

describe('parseCrmMon (Pacemaker 2.1.5 XML, real lab captures)', () => {
  it('reads nodes, DC, quorum and the promotable clone roles', () => {
    const r = parseCrmMon(fixture('crm_mon_1_xml.nfs-running-with-ping.node1.xml'));
    if (!r.ok) throw new Error(r.message);
    expect(r.dc).toBe('node1');
    expect(r.quorum).toBe(true);
    expect(r.nodes.map((n) => [n.name, n.online, n.standby])).toEqual([['node1', true, false], ['node2', true, false]]);
    const drbd = r.resources.filter((x) => x.id === 'p_drbd_r0');
    expect(drbd.map((x) => [x.role, x.nodes[0], x.parent, x.parentKind])).toEqual(
      expect.arrayContaining([['Promoted', 'node2', 'ms_drbd_r0', 'clone'], ['Unpromoted', 'node1', 'ms_drbd_r0', 'clone']]),
    );
    expect(r.resources.find((x) => x.id === 'p_ip')).toMatchObject({ agent: 'ocf:heartbeat:IPaddr2', role: 'Started', nodes: ['node2'], parent: 'g_nfs', parentKind: 'group' });
  });

  it('reads failed actions with fail counts and times', () => {
    const r = parseCrmMon(fixture('crm_mon_1rfA_xml.failed-action-nfsserver.node2.xml'));
    if (!r.ok) throw new Error(r.message);
    expect(r.failures).toEqual([
      expect.objectContaining({ resource: 'p_nfsserver', node: 'node2', task: 'monitor', exitStatus: 'not running', exitCode: 7, lastRcChange: '2026-11-25 19:37:16Z', intervalMs: 30000 }),
      expect.objectContaining({ resource: 'p_exportfs', node: 'node2', lastRcChange: '2026-11-25 19:37:18Z' }),
    ]);
    expect(r.failCounts).toEqual([
      { node: 'node2', resource: 'p_nfsserver', failCount: 1, lastFailure: 'Wed Nov 25 19:37:15 2026' },
      { node: 'node2', resource: 'p_exportfs', failCount: 1, lastFailure: 'Wed Nov 25 19:37:17 2026' },
    ]);
    expect(r.resources.find((x) => x.id === 'p_nfsserver')).toMatchObject({ role: 'Starting', failed: true });
  });

  it('reads ping attributes with their expected value', () => {
    const r = parseCrmMon(fixture('crm_mon_1A_xml.ping-degraded-2-of-3.node1.xml'));
    if (!r.ok) throw new Error(r.message);
    expect(r.attributes['node1']!['pingd']).toEqual({ value: '2000', expected: '3000' });
  });

  it('reads a node in standby and an offline node', () => {
    const sb = parseCrmMon(fixture('crm_mon_1_xml.passive-standby.node1.xml'));
    if (!sb.ok) throw new Error(sb.message);
    expect(sb.nodes.find((n) => n.name === 'node1')).toMatchObject({ online: true, standby: true });
    const off = parseCrmMon(fixture('crm_mon_1_xml.passive-killed-offline.node1.xml'));
    if (!off.ok) throw new Error(off.message);
    expect(off.nodes.find((n) => n.name === 'node2')).toMatchObject({ online: false });
  });

  it('reads transitions (Stopping/Starting, pending Monitoring)', () => {
    const all = ['01', '02', '03', '04', '05'].map((i) => parseCrmMon(fixture(`crm_mon_1_xml.active-standby-transition-${i}.node1.xml`)));
    const roles = new Set(all.flatMap((r) => (r.ok ? r.resources.map((x) => x.role) : [])));
    expect([...roles].some((x) => x === 'Stopping' || x === 'Starting' || x === 'Demoting')).toBe(true);
  });

  it('turns the "Pacemaker down" document into an error with its code', () => {
    const r = parseCrmMon(fixture('crm_mon_1_xml.bare-pacemaker-stopped.node1.xml'));
    expect(r).toEqual({ ok: false, code: 102, message: 'Not connected', errors: ['error: Could not connect to launcher: Connection refused', 'crm_mon: Connection to cluster failed: Connection refused'] });
  });

  it('rejects non-XML', () => {
    expect(parseCrmMon('crm_mon: command not found')).toMatchObject({ ok: false, code: null });
    expect(parseCrmMon('<pacemaker-result><nodes></pacemaker-result>')).toMatchObject({ ok: false });
  });

  it('reads the operation history per node and resource (call ids, rc, intervals in ms)', () => {
    const r = parseCrmMon(readFileSync(join(import.meta.dirname, '../fixtures/lab/running/crm_mon_1_xml.lab1.xml'), 'utf8'));
    if (!r.ok) throw new Error(r.message);
    expect(Object.keys(r.history)).toEqual(['lab1', 'lab2']);
    expect(r.history['lab1']!['p_fs']).toEqual([
      { call: 39, task: 'start', rc: 0, intervalMs: 0 },
      { call: 40, task: 'monitor', rc: 0, intervalMs: 20000 },
    ]);
    expect(r.history['lab1']!['p_drbd_nfsdata']).toEqual([
      { call: 35, task: 'promote', rc: 0, intervalMs: 0 },
      { call: 38, task: 'monitor', rc: 8, intervalMs: 29000 },
    ]);
    expect(Object.keys(r.history['lab2']!)).toEqual(['p_drbd_nfsdata', 'p_ping']);
    // The existing fields are untouched by the history.
    expect(r.failCounts).toEqual([]);
  });

  it('reads a monitor still in flight as call -1, rc 193', () => {
    const r = parseCrmMon(fixture('crm_mon_1_xml.active-killed-transition-08.node2.xml'));
    if (!r.ok) throw new Error(r.message);
    expect(r.history['node2']!['p_nfsserver']).toEqual([
      { call: 43, task: 'start', rc: 0, intervalMs: 0 },
      { call: -1, task: 'monitor', rc: 193, intervalMs: 30000 },
    ]);
  });

  it('maps the pre-2.1 role names Master/Slave to Promoted/Unpromoted', () => {
    expect(normaliseRole('Master')).toBe('Promoted');
    expect(normaliseRole('Slave')).toBe('Unpromoted');
    expect(normaliseRole('Started')).toBe('Started');
  });
});
