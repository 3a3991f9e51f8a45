// The cluster facts of an action's plan tests, from real capture files: each node's crm_mon, CIB and
// events2 reads answered by a file (null: the read failed, as an unreachable node's would); by default the
// running demo of the lab (demo-lab/running: node1 active, node2 its DRBD peer).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunResult } from '../../src/exec/runner.js';
import { clusterFactsFrom, FACT_ARGV, type ClusterFacts } from '../../src/plan/actions/cluster-facts.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RUNNING = `${ROOT}/demo-lab/running`;
export const CRM_RUNNING = `${RUNNING}/node1/crm_mon_1_xml.nfs-running.node1.xml`;
export const CIB_RUNNING = `${RUNNING}/node1/cibadmin_Q.nfs-running.xml`;
export const EV = (n: string) => `${RUNNING}/${n}/drbdsetup_events2_now_statistics.pcmk-managed.${n}.txt`;
/** node2 after the service failed over to it: its DRBD Primary, its exports. */
export const EV_NODE2_PRIMARY = `${ROOT}/demo-lab/failed-over/node2/drbdsetup_events2.failed-over-primary.node2.txt`;
export const EXPORTS_NODE2_AFTER = `${ROOT}/demo-lab/failed-over/node2/exportfs_v.failed-over.node2.txt`;

export const captured = (argv: readonly string[], file: string | null): RunResult => ({
  argv, exitCode: file ? 0 : 1, stdout: file ? readFileSync(file, 'utf8') : '', stderr: file ? '' : 'unreachable', timedOut: false, aborted: false, durationMs: 1,
});

/** node1 and node2 reading the same crm_mon and CIB, each its own events2. */
export function factsFromFiles(f: { crm: string | null; cib: string | null; ev1: string | null; ev2: string | null }): ClusterFacts {
  return clusterFactsFrom(['node1', 'node2'].map((name) => ({
    name,
    crmMon: captured(FACT_ARGV.crmMon, f.crm),
    cib: captured(FACT_ARGV.cib, f.cib),
    events2: captured(FACT_ARGV.events2Now, name === 'node1' ? f.ev1 : f.ev2),
  })));
}

/** The running demo's facts, with the captures a test swaps in. */
export function runningFactsWith(o: { crm?: string; cib?: string; ev1?: string; ev2?: string } = {}): ClusterFacts {
  return factsFromFiles({ crm: o.crm ?? CRM_RUNNING, cib: o.cib ?? CIB_RUNNING, ev1: o.ev1 ?? EV('node1'), ev2: o.ev2 ?? EV('node2') });
}
