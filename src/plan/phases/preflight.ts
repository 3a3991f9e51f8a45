// Phase: check that each node is the node the answers name, before anything changes.
import type { NodeAnswers } from '../../answers/schema.js';
import type { PlanContext } from '../context.js';
import { ok } from '../judges.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';

export function preflight(_ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const named: ProbeCheck = { kind: 'probe', argv: ['uname', '-n'], describe: `uname -n is ${n.name}`, judge: (r) => ok(r) && r.stdout.trim() === n.name };
  return [
    step({
      id: `${n.name}/node-name`, node: n.name, title: `check that this node is ${n.name}`, parallelGroup: '00-preflight',
      why: 'DRBD and Corosync find their own section by the host name: a mismatch fails later and obscurely',
      check: named,
      verify: { ...named, describe: `uname -n is ${n.name} (else: fix nodes[].name or the host name, nothing was changed)` },
    }),
  ];
}
