import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCrmMon, type CrmStatus } from '../../src/probes/crm-mon.js';
import { failedActions, failedActionsAdvice, intervalMs, primitiveIdOfType, settleProblems, stableWindowMs } from '../../src/apply/cluster-settle.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { answers } from './engine-harness.js';

const CAPTURES = '/work/shared/lab-captures';
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

describe('the stability window', () => {
  it('is the longest recurring monitor interval of our CIB plus a margin, at least 30 s', async () => {
    const cib = renderCibXml(await answers('done-answers.yaml'));
    // The DRBD clone's Unpromoted monitor (31 s) is the longest: 31 + 15.
    expect(stableWindowMs(cib)).toBe(46_000);
    expect(stableWindowMs('<cib/>')).toBe(30_000);
    expect([intervalMs('31s'), intervalMs('1min'), intervalMs('500ms'), intervalMs('2h'), intervalMs('10'), intervalMs('P1D')]).toEqual([31_000, 60_000, 500, 7_200_000, 10_000, null]);
    expect(primitiveIdOfType(cib, 'nfsserver')).toBe('p_nfsserver');
  });
});
