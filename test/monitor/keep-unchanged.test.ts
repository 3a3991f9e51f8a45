// The reducer keeps the objects of what a poll read again unchanged (keep-unchanged.ts), so the live view
// can tell "nothing new" by identity. Fed with real captures: two crm_mon answers of the same healthy
// cluster taken 35 s apart (they differ only in crm_mon's own clock, exactly as two polls do), and a
// real change (the virtual IP going from Starting to Started on the survivor of a failover).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/monitor/model.js';
import { keepUnchanged, sameContent } from '../../src/monitor/keep-unchanged.js';
import { reduce, reduceAll, type MonitorEvent } from '../../src/monitor/reducer.js';
import { fixture } from '../helpers/monitor-fixtures.js';

const lab = (f: string) => readFileSync(new URL(`../fixtures/lab/running/${f}`, import.meta.url), 'utf8');
const T = Date.parse('2026-11-26T00:29:04Z');
const nodes = [{ name: 'lab1', target: 'root@lab1' }, { name: 'lab2', target: 'root@lab2' }];

/** One poll of lab1 at `at` with the given crm_mon answer; the rest of its real outputs as captured. */
const poll = (at: number, crmXml: string): MonitorEvent[] => [
  { type: 'reachability', node: 'lab1', at, reachable: true },
  { type: 'crm-mon', node: 'lab1', at, xml: crmXml },
  { type: 'proc-drbd', node: 'lab1', at, text: lab('proc_drbd.lab1.txt') },
  { type: 'mdstat', node: 'lab1', at, text: lab('proc_mdstat.lab1.txt') },
];

describe('keepUnchanged: the reducer keeps what a poll read again unchanged', () => {
  it('two real crm_mon answers of the same cluster (only crm_mon\'s clock differs) keep the first\'s objects', () => {
    const a = lab('crm_mon_1_xml.lab1.xml');
    const b = lab('crm_mon_1_xml.lab2.xml');
    // The premise: the bytes differ (last_update, pacemakerd's last_updated), so a text comparison wakes.
    expect(a).not.toBe(b);
    const s1 = reduceAll(initialState(nodes, T), poll(T, a));
    const s2 = reduceAll(s1, poll(T + 2000, b));
    const n1 = s1.nodes['lab1']!;
    const n2 = s2.nodes['lab1']!;
    expect(n2.pacemaker).toBe(n1.pacemaker);
    expect(n2.drbd).toBe(n1.drbd);
    expect(n2.raid).toBe(n1.raid);
    expect(n2.reach).toBe(n1.reach);
    // The readings are re-dated: that is what keeps them from turning stale.
    expect(n2.readings.pacemaker.okAt).toBe(T + 2000);
    expect(n2.readings.raid.okAt).toBe(T + 2000);
    expect(s2.nodes['lab2']).toBe(s1.nodes['lab2']);
  });

  it('a real change in crm_mon (p_ip Starting -> Started) is a new object with the new content', () => {
    const at = (t: number, f: string): MonitorEvent => ({ type: 'crm-mon', node: 'node2', at: t, xml: fixture(f) });
    const s1 = reduce(initialState([{ name: 'node2', target: 'x' }], T), at(T, 'crm_mon_1_xml.active-killed-transition-09.node2.xml'));
    const s2 = reduce(s1, at(T + 2000, 'crm_mon_1_xml.active-killed-failed-over.node2.xml'));
    const role = (s: typeof s1) => s.nodes['node2']!.pacemaker.status!.resources.find((r) => r.id === 'p_ip')!.role;
    expect(role(s1)).toBe('Starting');
    expect(s2.nodes['node2']!.pacemaker).not.toBe(s1.nodes['node2']!.pacemaker);
    expect(role(s2)).toBe('Started');
  });

  it('an event that changes nothing at all returns the same state (no new node, no new map)', () => {
    const s1 = reduceAll(initialState(nodes, T), poll(T, lab('crm_mon_1_xml.lab1.xml')));
    const e: MonitorEvent = { type: 'mdstat', node: 'lab1', at: T, text: lab('proc_mdstat.lab1.txt') };
    expect(reduce(s1, e)).toBe(s1);
  });

  it('sameContent: when a thing was read is not what was read; a first reading is', () => {
    expect(sameContent({ updatedAt: 1, x: [1, { y: 'a' }] }, { updatedAt: 2, x: [1, { y: 'a' }] })).toBe(true);
    expect(sameContent({ updatedAt: null, x: 1 }, { updatedAt: 2, x: 1 })).toBe(false);
    expect(sameContent({ x: [1, 2] }, { x: [1, 2, 3] })).toBe(false);
    expect(sameContent({ x: { y: 'a' } }, { x: { y: 'b' } })).toBe(false);
    expect(sameContent({ x: 1 }, { x: 1, z: undefined })).toBe(false);
  });

  it('the configuration files read again unchanged keep their object (when they were read is not news)', () => {
    const cfg = (at: number): MonitorEvent => ({ type: 'node-config', node: 'lab1', at, files: { corosync: { text: fixture('corosync.conf.lab') }, drbd: { error: 'No such file or directory' }, mdadm: { error: 'No such file or directory' } } });
    const s1 = reduce(initialState(nodes, T), cfg(T));
    const s2 = reduce(s1, cfg(T + 600_000));
    expect(s1.nodes['lab1']!.config!.corosyncNodes!.length).toBeGreaterThan(0);
    expect(s2.nodes['lab1']).toBe(s1.nodes['lab1']);
  });

  it('keeps the node itself when no part changed', () => {
    const n = reduceAll(initialState(nodes, T), poll(T, lab('crm_mon_1_xml.lab1.xml'))).nodes['lab1']!;
    expect(keepUnchanged(n, { ...n, raid: { ...n.raid, updatedAt: T + 9 } })).toBe(n);
  });
});
