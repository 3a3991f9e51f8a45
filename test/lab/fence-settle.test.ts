// The fencing drills' "settled cluster" check (drills/fence-common.ts settleProblems) on real captures:
// the lab's running cluster (test/fixtures/lab/running), a cluster whose resource failed
// (lab/applied-nfsnotify-failed), DRBD after a failover without its peer (lab/failed-over), and a
// fence in flight (monitor/fencing sandbox). A pending start is not in any capture: it is the running
// capture with the attribute crm_mon 2.1 prints for one (pending="Starting") put on one resource.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settleProblems } from './drills/fence-common.js';

const fx = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8');
const NODES = ['lab1', 'lab2'] as const;
const crm = fx('lab/running/crm_mon_1_xml.lab1.xml');
const drbd = fx('lab/running/proc_drbd.lab1.txt');

describe('settleProblems', () => {
  it('finds nothing in the running lab cluster with no fence history', () => {
    expect(settleProblems('lab1', NODES, crm, drbd, '')).toEqual([]);
  });

  it('counts past fences (success, failed) as settled, a pending one not', () => {
    expect(settleProblems('lab1', NODES, crm, drbd, fx('monitor/fencing/stonith_admin_history_verbose_xml.nfs2-fenced-nfs3-failed.sandbox.xml'))).toEqual([]);
    expect(settleProblems('lab1', NODES, crm, drbd, fx('monitor/fencing/stonith_admin_history_verbose_xml.nfs2-pending.sandbox.xml'))).toEqual(['lab1: fence reboot of nfs2 pending']);
  });

  it('names a resource with a start in flight, but not a recurring monitor\'s', () => {
    const starting = crm.replace(/(<resource id="p_fs"[^>]*?)(\/?>)/, '$1 pending="Starting"$2');
    expect(starting).not.toBe(crm);
    expect(settleProblems('lab1', NODES, starting, drbd, '')).toEqual(['lab1: p_fs Starting']);
    const monitoring = crm.replace(/(<resource id="p_fs"[^>]*?)(\/?>)/, '$1 pending="Monitoring"$2');
    expect(settleProblems('lab1', NODES, monitoring, drbd, '')).toEqual([]);
  });

  it('names a failed or stopped resource, and DRBD without its peer', () => {
    const failed = settleProblems('lab1', NODES, fx('lab/applied-nfsnotify-failed/crm_mon_1_xml.lab1.xml'), drbd, '');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.join('\n')).toMatch(/not started|failed/);
    const alone = settleProblems('lab2', NODES, crm, fx('lab/failed-over/proc_drbd.lab2.txt'), '');
    expect(alone).toHaveLength(1);
    expect(alone[0]).toMatch(/^lab2: DRBD (WFConnection|StandAlone)/);
  });

  it('says when crm_mon cannot reach the cluster', () => {
    expect(settleProblems('lab1', NODES, '', drbd, '')).toEqual(['lab1: crm_mon cannot reach the cluster']);
  });
});
