// The captures the storage actions' tests (grow, snapshot) plan and run from: the running demo of the
// lab (node1 Primary, vg0/nfs under DRBD r0), the lab captures and the actions' own fixtures; the facts
// read from them, a node answering them, and the engine run as those tests run it.
import { readFileSync } from 'node:fs';
import type { Argv, RunResult } from '../../src/exec/runner.js';
import { clusterFactsFrom, FACT_ARGV } from '../../src/plan/actions/cluster-facts.js';
import { STORAGE_ARGV, storageFactsFrom, type StorageFacts } from '../../src/plan/actions/storage-facts.js';
import { executeAction, type ActionPlan } from '../../src/apply/action-run.js';
import { Journal } from '../../src/apply/journal.js';
import { Redactor } from '../../src/apply/redact.js';
import { parseCibFacts } from '../../src/probes/cib-facts.js';
import { CaptureNode, type After } from './capture-node.js';
import { CIB_RUNNING, CRM_RUNNING, EV, ROOT } from './action-facts.js';

/**
 * The engine tests' node names: the run lock is the real flock on this machine, one file per node name
 * (/run/lock/hanfs-wizard-<node>.lock), and other test files (and other work trees) take node1's at the
 * same time: names of this process keep the lock this test's own.
 */
export const N1 = `node1-t${process.pid}`;
export const N2 = `node2-t${process.pid}`;
export { ROOT };
export const RUN = (n: string, f: string) => `${ROOT}/demo-lab/running/${n}/${f}`;
export const LC = (f: string) => `${ROOT}/test/fixtures/lab-captures/${f}`;
export const ACT = (f: string) => `${ROOT}/test/fixtures/actions/${f}`;
export const CRM = CRM_RUNNING;
export const CIB = CIB_RUNNING;
export const EVENTS = EV;
export const LSBLK = { node1: RUN('node1', 'lsblk_J_b_O.full-stack-active.node1.json'), node2: RUN('node2', 'lsblk_J_b_O.full-stack-passive.node2.json') };
/** node1: vg0/nfs with snap1 (37.70 % full, lv_time 2026-11-25 19:31:36 UTC). */
export const LVS_SNAP = RUN('node1', 'lvs_o_+snap_percent,lv_time_reportformat_json_units_b.snapshot-written.node1.json');

export type PerNode = { node1: string; node2: string };

export const res = (argv: Argv, file: string, exitCode = 0): RunResult => ({ argv, exitCode, stdout: readFileSync(file, 'utf8'), stderr: '', timedOut: false, aborted: false, durationMs: 1 });

/** Both nodes reading the running demo's crm_mon and CIB, each its own events2. */
export const runningFacts = (events = EVENTS) =>
  clusterFactsFrom(['node1', 'node2'].map((name) => ({ name, crmMon: res(FACT_ARGV.crmMon, CRM), cib: res(FACT_ARGV.cib, CIB), events2: res(FACT_ARGV.events2Now, events(name)) })));

export function storageFacts(vgs: PerNode, lvs: PerNode, lsblk: PerNode = LSBLK): StorageFacts {
  const c = parseCibFacts(readFileSync(CIB, 'utf8'));
  if (!c.ok) throw new Error(c.error);
  return storageFactsFrom(c.facts, null, (['node1', 'node2'] as const).map((name) => ({ name, lsblk: res(STORAGE_ARGV.lsblk, lsblk[name]), vgs: res(STORAGE_ARGV.vgs, vgs[name]), lvs: res(STORAGE_ARGV.lvs, lvs[name]) })));
}

/** A node answering the running demo's cluster and storage reads, plus what the test adds. */
export function storageNode(name: 'node1' | 'node2', s: { vgs: string; lvs: string; reads?: [Argv, string[]][]; after?: After[]; exitCodes?: [Argv, number][] }) {
  return new CaptureNode(`t${process.pid}${name}${Math.floor(Math.random() * 1e9)}`, {
    reads: [
      [FACT_ARGV.crmMon, [CRM]],
      [FACT_ARGV.cib, [CIB]],
      [FACT_ARGV.events2Now, [EVENTS(name)]],
      [STORAGE_ARGV.lsblk, [LSBLK[name]]],
      [STORAGE_ARGV.vgs, [s.vgs]],
      [STORAGE_ARGV.lvs, [s.lvs]],
      ...(s.reads ?? []),
    ],
    after: s.after,
    exitCodes: s.exitCodes,
  });
}

/** The engine as the action commands run it, with a fake clock (waits take no time) and the journal. */
export async function runPlan(plan: ActionPlan, ns: { name: string; runner: CaptureNode }[], dryRun = false) {
  const journal = new Journal([], new Redactor([]));
  let t = 0;
  const out = await executeAction(plan, ns, { dryRun, journal, redactor: new Redactor([]), sleep: async (ms) => { t += ms; }, now: () => t, holder: 'test' });
  return { out, journal };
}
