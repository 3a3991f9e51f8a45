// The cluster facts of an action's plan tests, from real capture files: each node's crm_mon, CIB and
// events2 reads answered by a file (null: the read failed, as an unreachable node's would).
import { readFileSync } from 'node:fs';
import type { RunResult } from '../../src/exec/runner.js';
import { clusterFactsFrom, FACT_ARGV, type ClusterFacts } from '../../src/plan/actions/cluster-facts.js';

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
