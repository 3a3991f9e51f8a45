// The apply plan: the answers in, the ordered steps out. Each phase is a short function of its own file
// in src/plan/phases/, from the answers (PlanContext) and a node to that node's steps, or from the
// answers to the cluster-wide steps. PHASES lists them in the order the plan lists its steps; the engine
// runs them group by group in GROUPS' order (src/plan/order.ts), and checkPlan proves every reference
// before anyone runs the plan. Pure.
import type { Answers, NodeAnswers } from '../answers/schema.js';
import type { CibRender } from '../generate/cib-xml.js';
import { checkPlan } from './check.js';
import { planContext, type PlanContext } from './context.js';
import { clusterStart } from './phases/cluster-start.js';
import { configFiles } from './phases/config-files.js';
import { drbdDisk, drbdPair } from './phases/drbd.js';
import { handover, takeover } from './phases/handover.js';
import { nfs, nfsRestart } from './phases/nfs.js';
import { modules, packages } from './phases/packages.js';
import { fencePreflight, preflight } from './phases/preflight.js';
import { storage } from './phases/storage.js';
import { sbdRunning, sbdSetup } from './phases/sbd.js';
import { qdeviceCertificates, qdeviceRunning } from './phases/qdevice.js';
import { settle, verifyDrbd, verifyService } from './phases/verify.js';
import type { PlanStep } from './types.js';

type Phase =
  /** Each node in turn, all of these phases for one node before the next node. */
  | { eachNode: ((ctx: PlanContext, n: NodeAnswers) => PlanStep[])[] }
  /** Cluster-wide steps (they run on the first node). */
  | { cluster: (ctx: PlanContext) => PlanStep[] };

/** The phases in the order the plan lists their steps. */
export const PHASES: readonly Phase[] = [
  { eachNode: [preflight, packages, fencePreflight, modules, configFiles, sbdSetup, qdeviceCertificates, clusterStart, sbdRunning, qdeviceRunning, storage, drbdDisk] },
  { cluster: drbdPair },
  { eachNode: [handover, nfs] },
  { cluster: takeover },
  { eachNode: [nfsRestart] },
  { cluster: settle },
  { eachNode: [verifyDrbd] },
  { cluster: verifyService },
];

/** `cib`: the export's own CIB render, when the plan is part of an export (the model built once). */
export function planSteps(a: Answers, cib?: CibRender): PlanStep[] {
  const ctx = planContext(a, cib);
  const steps = PHASES.flatMap((p) => ('cluster' in p ? p.cluster(ctx) : a.nodes.flatMap((n) => p.eachNode.flatMap((f) => f(ctx, n)))));
  checkPlan(steps);
  return steps;
}

/** The steps of one node (its own plus the cluster-wide ones it runs), in order. */
export function stepsForNode(steps: PlanStep[], node: string): PlanStep[] {
  return steps.filter((s) => s.node === node);
}
