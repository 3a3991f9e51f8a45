import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCrmMon, type CrmStatus } from '../../src/probes/crm-mon.js';
import { intervalMs } from '../../src/probes/crm-mon.js';
import { failedActions, failedActionsAdvice, monitoredPrimitives, primitiveIdOfType, settleProblems, unconfirmedMonitors } from '../../src/probes/cluster-settle.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { loadAnswersFile } from '../../src/answers/load.js';
import { answers } from '../apply/engine-harness.js';
import { trixie } from '../helpers/lab-trixie.js';

const CAPTURES = join(import.meta.dirname, '../fixtures/lab-captures');
const LAB = join(import.meta.dirname, '../fixtures/lab/applied-nfsnotify-failed');
function crm(path: string): CrmStatus {
  const c = parseCrmMon(readFileSync(path.startsWith('/') ? path : join(CAPTURES, path), 'utf8'));
  if (!c.ok) throw new Error(`${path}: ${c.message}`);
  return c;
}
const NODES = ['node1', 'node2'];

describe('settleProblems (real crm_mon captures)', () => {
  it('a running service: nothing to report', () => {
    expect(settleProblems(crm('manual-run/crm_mon_1_xml.nfs-running.node1.xml'), NODES)).toEqual([]);
    expect(failedActions(crm('manual-run/crm_mon_1_xml.nfs-running.node1.xml'))).toBeNull();
  });

  it('a resource still Starting counts as not settled, though crm_mon calls it active', () => {
    const c = crm('pacemaker/crm_mon_1_xml.passive-rejoined.node1.xml');
    expect(c.resources.find((r) => r.role === 'Starting')?.active).toBe(true);
    expect(settleProblems(c, NODES)).toEqual(['p_ping is Starting on node2']);
  });

  it('a node in standby, a start in flight, a node offline and a stopped group are all named', () => {
    expect(settleProblems(crm('pacemaker/crm_mon_1_xml.active-standby-transition-07.node1.xml'), NODES)).toEqual(
      expect.arrayContaining(['node2 is in standby', 'p_fs is Starting on node1']),
    );
    const offline = settleProblems(crm('pacemaker/crm_mon_1_xml.active-killed-transition-05.node2.xml'), NODES);
    expect(offline).toEqual(expect.arrayContaining(['node1 is offline', 'p_fs is Stopped', 'p_ip is Stopped']));
    expect(settleProblems(crm('e2e-run/03-cluster-no-resources/crm_mon_1_xml.node1.xml'), NODES)).toContain('no resources configured or reported yet');
  });

  it('a monitor in flight is not a pending change (recurring monitors must not reset the window)', () => {
    const c = crm('pacemaker/crm_mon_1_xml.active-killed-transition-08.node2.xml');
    expect(c.resources.some((r) => r.pending === 'Monitoring')).toBe(true);
    expect(settleProblems(c, NODES).some((p) => /Monitoring/.test(p))).toBe(false);
  });

  it('the lab failure: a blocked, unmanaged, FAILED NFS server and the rest of the group stopped', () => {
    const c = crm(join(LAB, 'crm_mon_1_xml.lab1.xml'));
    expect(settleProblems(c, ['lab1', 'lab2'])).toEqual(
      expect.arrayContaining(['p_nfsserver on lab2 is unmanaged', 'p_nfsserver on lab2 is blocked', 'p_nfsserver on lab2 is FAILED', 'p_nfsnotify is Stopped', 'p_vip is Stopped']),
    );
  });
});

describe('failedActions', () => {
  it('names resource, operation, node, status and exit reason of each failure, fail counts included', () => {
    const f = failedActions(crm(join(LAB, 'crm_mon_1_xml.lab1.xml')))!;
    expect([...f.resources].sort()).toEqual(['p_nfsnotify', 'p_nfsserver']);
    expect(f.lines).toEqual([
      "p_nfsserver stop on lab2 returned 'error' (exit 1): Failed to unmount a bind mount at 2026-11-25 21:16:20Z [fail-count 1000000]",
      "p_nfsnotify start on lab2 returned 'error' (exit 1): sm-notify with source host set to [ 192.168.101.100 ] failed. view syslog for more information at 2026-11-25 21:15:35Z [fail-count 1000000]",
    ]);
    const advice = failedActionsAdvice(f);
    expect(advice).toContain('crm_resource --cleanup --resource p_nfsserver; crm_resource --cleanup --resource p_nfsnotify');
    expect(advice.indexOf('Fix the cause')).toBeLessThan(advice.indexOf('crm_resource --cleanup'));
  });

  it('a recovered failure still counts until it is cleaned up', () => {
    const f = failedActions(crm('pacemaker/crm_mon_1_xml.failed-action-recovered.node1.xml'))!;
    expect(f.lines[0]).toMatch(/^p_nfsserver monitor \(every 30 s\) on node2 returned 'not running' \(exit 7\)/);
  });
});

describe('reading the CIB', () => {
  it('parses Pacemaker intervals and finds the NFS server resource', async () => {
    const cib = renderCibXml(await answers('done-answers.yaml'));
    expect([intervalMs('31s'), intervalMs('1min'), intervalMs('500ms'), intervalMs('2h'), intervalMs('10'), intervalMs('P1D')]).toEqual([31_000, 60_000, 500, 7_200_000, 10_000, null]);
    expect(primitiveIdOfType(cib, 'nfsserver')).toBe('p_nfsserver');
  });
});

// The lab's healthy state (test/fixtures/lab/running/, real captures) and the CIB apply rendered for it
// from the same answers file; the manual run's real CIB (cibadmin -Q) and crm_mon (test/fixtures/apply/done/).
const RUNNING = join(import.meta.dirname, '../fixtures/lab/running');
const DONE = join(import.meta.dirname, '../fixtures/apply/done/node1');
const runningText = readFileSync(join(RUNNING, 'crm_mon_1_xml.lab1.xml'), 'utf8');
function parsed(xml: string): CrmStatus {
  const c = parseCrmMon(xml);
  if (!c.ok) throw new Error(c.message);
  return c;
}
/** The real capture with one edit; throws when the edited text is not in it, so no edit is silently lost. */
function edited(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`not in the capture: ${String(from)}`);
  return out;
}
async function labCib(): Promise<string> {
  const r = await loadAnswersFile(join(import.meta.dirname, '../lab/lab-answers.yaml'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return renderCibXml(r.answers);
}
const P_FS_MONITOR = '        <operation_history call="40" task="monitor" rc="0" rc_text="ok" interval="20000ms" last-rc-change="Thu Nov 26 00:25:49 2026" exec-time="3704ms" queue-time="0ms"/>\n';

describe('monitoredPrimitives', () => {
  it('the real CIB of the manual run: every primitive with a recurring monitor', () => {
    const cib = readFileSync(join(DONE, 'cibadmin_Q.nfs-running.xml'), 'utf8');
    expect([...monitoredPrimitives(cib)].sort()).toEqual(['p_drbd_r0', 'p_exportfs', 'p_fs', 'p_ip', 'p_nfsserver']);
  });

  it('the CIB apply renders for the lab: all resources of the lab capture', async () => {
    const m = monitoredPrimitives(await labCib());
    const c = parsed(runningText);
    expect([...new Set(c.resources.map((r) => r.id))].filter((id) => !m.has(id))).toEqual([]);
  });

  it('a primitive whose monitors are gone, disabled or one-shot is not monitored', () => {
    const cib = readFileSync(join(DONE, 'cibadmin_Q.nfs-running.xml'), 'utf8');
    expect(monitoredPrimitives(edited(cib, /\s*<op id="p_fs-mon"[^>]*\/>/, '')).has('p_fs')).toBe(false);
    expect(monitoredPrimitives(edited(cib, 'id="p_fs-mon" name="monitor"', 'id="p_fs-mon" enabled="false" name="monitor"')).has('p_fs')).toBe(false);
    expect(monitoredPrimitives(edited(cib, 'id="p_fs-mon" name="monitor" interval="20s"', 'id="p_fs-mon" name="monitor" interval="0"')).has('p_fs')).toBe(false);
    expect(monitoredPrimitives('<cib/>').size).toBe(0);
  });
});

describe('unconfirmedMonitors (the first recurring monitor after the last start/promote/demote)', () => {
  it('a settled cluster is confirmed: the lab capture on both nodes, and the manual run', async () => {
    const m = monitoredPrimitives(await labCib());
    expect(unconfirmedMonitors(parsed(runningText), m)).toEqual([]);
    expect(unconfirmedMonitors(parsed(readFileSync(join(RUNNING, 'crm_mon_1_xml.lab2.xml'), 'utf8')), m)).toEqual([]);
    const done = monitoredPrimitives(readFileSync(join(DONE, 'cibadmin_Q.nfs-running.xml'), 'utf8'));
    expect(unconfirmedMonitors(parsed(readFileSync(join(DONE, 'crm_mon_1_xml.nfs-running.node1.xml'), 'utf8')), done)).toEqual([]);
  });

  it('the capture with p_fs\'s monitor line deleted: p_fs on lab1 is not confirmed', async () => {
    const m = monitoredPrimitives(await labCib());
    expect(unconfirmedMonitors(parsed(edited(runningText, P_FS_MONITOR, '')), m)).toEqual(['p_fs on lab1: first monitor after its start not reported yet']);
  });

  it('the Promoted DRBD instance needs its Promoted monitor (rc 8) after the promote', async () => {
    const m = monitoredPrimitives(await labCib());
    const text = edited(runningText, /\s*<operation_history call="38" task="monitor" rc="8"[^>]*\/>/, '');
    expect(unconfirmedMonitors(parsed(text), m)).toEqual(['p_drbd_nfsdata on lab1: first monitor after its promote not reported yet']);
  });

  it('a monitor with a lower call id than the start (call ids swapped in the capture) is no confirmation', async () => {
    const m = monitoredPrimitives(await labCib());
    const text = edited(edited(edited(runningText, 'call="42" task="start"', 'call="X" task="start"'), 'call="43" task="monitor"', 'call="42" task="monitor"'), 'call="X" task="start"', 'call="43" task="start"');
    expect(parsed(text).history['lab1']!['p_nfsserver']!.map((o) => [o.task, o.call])).toEqual([['start', 43], ['monitor', 42]]);
    expect(unconfirmedMonitors(parsed(text), m)).toEqual(['p_nfsserver on lab1: first monitor after its start not reported yet']);
  });

  it('a monitor that returned an error after the start is named with its rc', async () => {
    const m = monitoredPrimitives(await labCib());
    const text = edited(runningText, 'call="40" task="monitor" rc="0" rc_text="ok"', 'call="40" task="monitor" rc="7" rc_text="not running"');
    expect(unconfirmedMonitors(parsed(text), m)).toEqual(['p_fs on lab1: first monitor after its start returned rc 7']);
  });

  it('a monitor still in flight (real capture: call -1, rc 193) is no confirmation', () => {
    const done = monitoredPrimitives(readFileSync(join(DONE, 'cibadmin_Q.nfs-running.xml'), 'utf8'));
    const c = crm(join(import.meta.dirname, '../fixtures/monitor/crm_mon_1_xml.active-killed-transition-08.node2.xml'));
    expect(unconfirmedMonitors(c, done)).toContain('p_nfsserver on node2: first monitor after its start not reported yet');
  });

  it('a resource without a recurring monitor in the CIB is not waited for', async () => {
    const m = monitoredPrimitives(await labCib());
    m.delete('p_fs');
    expect(unconfirmedMonitors(parsed(edited(runningText, P_FS_MONITOR, '')), m)).toEqual([]);
  });

  it('a clone instance suffix (":1") is stripped, in the resource list and in the history', async () => {
    const m = monitoredPrimitives(await labCib());
    // lab2's p_ping instance and its history renamed as a unique clone would print them.
    const lab2Ping = /(<resource id=")p_ping("[^>]*>\s*<node name="lab2")/;
    const renamed = edited(edited(runningText, lab2Ping, '$1p_ping:1$2'), /(<node_history>[\s\S]*?<node name="lab2">[\s\S]*?<resource_history id=")p_ping"/, '$1p_ping:1"');
    expect(parsed(renamed).resources.map((r) => r.id)).toContain('p_ping:1');
    expect(Object.keys(parsed(renamed).history['lab2']!)).toContain('p_ping:1');
    expect(unconfirmedMonitors(parsed(renamed), m)).toEqual([]);
    const noMonitor = edited(renamed, /\s*<operation_history call="37" task="monitor"[^>]*\/>/, '');
    expect(unconfirmedMonitors(parsed(noMonitor), m)).toEqual(['p_ping:1 on lab2: first monitor after its start not reported yet']);
  });

  it('the lab failure: neither DRBD instance shows a recurring monitor after its start/promote', async () => {
    // As captured, 7 minutes after the promote: the history holds no DRBD monitor on either node. The
    // wait still ends at once there, on the failed actions; this pins what the history says.
    const c = crm(join(LAB, 'crm_mon_1_xml.lab1.xml'));
    expect(unconfirmedMonitors(c, monitoredPrimitives(await labCib()))).toEqual([
      'p_drbd_nfsdata on lab1: first monitor after its start not reported yet',
      'p_drbd_nfsdata on lab2: first monitor after its promote not reported yet',
    ]);
    expect(failedActions(c)).not.toBeNull();
  });

  it('a resource that is not yet in a final role is left to settleProblems', () => {
    const c = crm('pacemaker/crm_mon_1_xml.passive-rejoined.node1.xml');
    expect(unconfirmedMonitors(c, new Set(['p_ping'])).some((l) => l.startsWith('p_ping on node2'))).toBe(false);
  });
});

// The same on the Debian 13 lab (test/fixtures/lab-trixie): Pacemaker 3.0.0's crm_mon of the cluster
// apply built there from the same answers file.
describe('on the Debian 13 lab (Pacemaker 3.0.0)', () => {
  const lab = (state: 'running' | 'failed-over', node: string) => parsed(trixie(state, `crm_mon_1_xml.${node}.xml`));

  it('the running cluster is settled and every monitor confirmed, from both nodes', async () => {
    const m = monitoredPrimitives(await labCib());
    for (const node of ['lab1', 'lab2']) {
      const c = lab('running', node);
      expect(settleProblems(c, ['lab1', 'lab2'])).toEqual([]);
      expect(failedActions(c)).toBeNull();
      expect(unconfirmedMonitors(c, m)).toEqual([]);
      expect([...new Set(c.resources.map((r) => r.id))].filter((id) => !m.has(id))).toEqual([]);
    }
  });

  it('after the failover: not settled while lab2 is offline, nothing failed, the survivor confirmed', async () => {
    const c = lab('failed-over', 'lab1');
    expect(settleProblems(c, ['lab1', 'lab2'])).toEqual(['lab2 is offline', 'p_drbd_nfsdata is Stopped', 'p_ping is Stopped']);
    expect(failedActions(c)).toBeNull();
    expect(unconfirmedMonitors(c, monitoredPrimitives(await labCib()))).toEqual([]);
  });
});
