// `standby NODE`: the node stops hosting resources (before its maintenance: a kernel update, a reboot,
// a disk swap) and the service leaves it first. Pacemaker does the leaving: the node's `standby` attribute
// (`crm_attribute --node NODE --name standby --update on`, what crm_standby and `pcs node standby` set)
// makes the scheduler stop everything there, so the group moves to the other node and DRBD is promoted
// there, in the CIB's order. The read-back: nothing of ours active on NODE, the service running on the
// other node (Pacemaker's view, the other node's own DRBD, its exports). Refused when the other node could
// not take the service (offline, standby, its DRBD not UpToDate and connected): standby of the only node
// able to run it would stop the service, which is not what this action is for.
import { parseCrmMon, type CrmStatus } from '../../probes/crm-mon.js';
import { succeeded, type RunResult } from '../../exec/runner.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';
import { FACT_ARGV, type ClusterFacts } from './cluster-facts.js';
import type { ActionDef, ActionPlan, ArgError } from './types.js';
import {
  activeOn, drbdNotReady, drbdPrimaryCheck, exportedCheck, failureBlocker, moveBlockers, nodeNotReady, serviceNode, serviceShape, type ServiceShape,
} from './service-facts.js';

export interface NodeArg {
  node: string;
}

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** One NODE positional (standby, online). */
export function parseNodeArg(words: string, positionals: string[]): { ok: true; args: NodeArg } | { ok: false; error: ArgError } {
  if (positionals.length !== 1) return { ok: false, error: { field: 'NODE', message: `${words} takes one node name (got ${positionals.length ? positionals.join(' ') : 'none'}); crm_node -l lists them` } };
  const node = positionals[0]!;
  if (!NODE_NAME.test(node)) return { ok: false, error: { field: 'NODE', message: `"${node}" is not a node name (crm_node -l lists them)` } };
  return { ok: true, args: { node } };
}

/** The NODE argument against the cluster's nodes: a bad-input error naming it, or null. */
export function unknownNode(crm: CrmStatus, node: string): ArgError | null {
  const known = crm.nodes.map((n) => n.name);
  return known.includes(node) ? null : { field: 'NODE', message: `"${node}" is no node of this cluster; its nodes: ${known.join(', ')}` };
}

const crmJudge = (f: (crm: CrmStatus) => boolean) => (r: RunResult): boolean => {
  if (!succeeded(r)) return false;
  const p = parseCrmMon(r.stdout);
  return p.ok && f(p);
};

/** NODE in standby with nothing of ours active on it, and (when `to` is given) the service running there. */
export function standbyCheck(node: string, shape: ServiceShape | null, to: string | null): ProbeCheck {
  return {
    kind: 'probe',
    argv: FACT_ARGV.crmMon,
    describe: `crm_mon shows ${node} in standby with nothing of ours active${to && shape ? `, and the service running on ${to}` : ''}`,
    judge: crmJudge((c) => {
      const n = c.nodes.find((x) => x.name === node);
      if (!n?.standby) return false;
      if (shape && activeOn(c, shape, node).length) return false;
      return to === null || shape === null || serviceNode(c, shape) === to;
    }),
  };
}

function standbyPlan(nodes: { name: string }[], facts: ClusterFacts, node: string): ActionPlan {
  const none = { action: 'standby', facts: [] as string[], steps: [] as PlanStep[], confirm: { kind: 'none' } as const, done: '', names: { raidDevice: '', drbdResource: '' } };
  const crm = facts.crm;
  if (!crm) return { ...none, summary: 'cannot read the cluster', refusals: [`${facts.crmError}; standby needs a running Pacemaker`] };
  const bad = unknownNode(crm, node);
  if (bad) return { ...none, summary: '', refusals: [], bad };
  const shape = serviceShape(crm, facts.cib);
  const names = { raidDevice: '', drbdResource: shape?.drbdResource ?? '' };
  const me = crm.nodes.find((n) => n.name === node)!;
  const other = crm.nodes.find((n) => n.name !== node)?.name ?? null;
  const here = shape ? activeOn(crm, shape, node) : [];
  if (me.standby && here.length === 0) return { ...none, names, summary: `nothing to do: ${node} is already in standby and runs nothing of ours`, refusals: [], done: `${node} is in standby` };
  const where = shape ? serviceNode(crm, shape) : null;
  const leaves = where === node;
  const shown = [
    where ? `the service (${shape!.group}) runs on ${where}` : 'the service does not run on one node now',
    ...(here.length ? [`active on ${node}: ${here.join(', ')}`] : []),
    ...(leaves && other ? [`it moves to ${other} first: ${node}'s resources stop there, DRBD is promoted on ${other}`] : []),
    ...(!leaves && other ? [`DRBD on ${other} runs without its peer until hanfs-wizard online ${node}`] : []),
  ];
  const refusals: string[] = [];
  if (other === null) refusals.push(`${node} is the cluster's only node: standby would stop the service`);
  else {
    const nr = nodeNotReady(crm, other);
    if (leaves || where === null) {
      if (nr) refusals.push(`${nr}: ${node} is the only node able to run the service; standby would stop it`);
      if (shape) {
        const dr = drbdNotReady(facts, other, shape.drbdResource);
        if (dr && leaves) refusals.push(`${dr}: ${node} is the only node with the data the service needs; wait for the resync`);
        if (leaves) refusals.push(...moveBlockers(facts, crm, shape));
      }
    }
  }
  if (!nodes.some((n) => n.name === other) && leaves) refusals.push(`${other} must be reachable for the read-back (give both nodes with --node or --answers)`);
  const on = nodes.find((n) => n.name === other && crm.nodes.find((x) => x.name === n.name)?.online) ?? nodes.find((n) => crm.nodes.find((x) => x.name === n.name)?.online);
  if (!on) refusals.push('no reachable node is online in Pacemaker');
  const runOn = on?.name ?? node;
  const to = leaves || where === null ? other : where;
  const next = `${node} stays in standby; fix the failure, then hanfs-wizard cleanup (or hanfs-wizard online ${node} to undo)`;
  const steps: PlanStep[] = [
    step({
      id: 'cluster/standby',
      node: runOn,
      cluster: true,
      title: `Put ${node} in standby`,
      why: `Pacemaker stops every resource on ${node}${leaves ? ` and starts the service on ${to}` : ''}; the attribute stays until hanfs-wizard online ${node}`,
      commands: [['crm_attribute', '--node', node, '--name', 'standby', '--update', 'on']],
      check: standbyCheck(node, shape, shape && where !== null ? to : null),
      verify: { ...standbyCheck(node, shape, shape && where !== null ? to : null), waitMs: 600_000, intervalMs: 3_000, ...(shape ? { blockers: failureBlocker(shape, next) } : {}) },
      ...(leaves ? { interruptsService: `NFS pauses while the service moves from ${node} to ${to}; clients wait and retry` } : {}),
      parallelGroup: 'a2-act',
    }),
  ];
  if (shape && to && where !== null) {
    steps.push(step({ id: `${to}/drbd-primary`, node: to, title: `Read back DRBD on ${to}`, why: `the kernel's own word that ${to} holds the data as Primary`, verify: { ...drbdPrimaryCheck(shape.drbdResource, to), waitMs: 30_000, intervalMs: 2_000 }, parallelGroup: 'a3-act' }));
    if (shape.exportDirs.length) steps.push(step({ id: `${to}/nfs-exported`, node: to, title: `Read back the exports on ${to}`, why: 'the NFS server there exports what the clients mount', verify: { ...exportedCheck(shape.exportDirs, to), waitMs: 30_000, intervalMs: 2_000 }, parallelGroup: 'a4-act' }));
  }
  steps.push(step({
    id: 'cluster/read-back',
    node: runOn,
    cluster: true,
    title: `Read back ${node} in standby`,
    why: 'the promise, read once more after the other read-backs',
    verify: { ...standbyCheck(node, shape, shape && where !== null ? to : null), waitMs: 60_000, intervalMs: 3_000 },
    parallelGroup: 'a7-read-back',
  }));
  return {
    action: 'standby',
    summary: leaves ? `put ${node} in standby: the service moves to ${to} first` : `put ${node} in standby (it does not run the service)`,
    facts: shown,
    refusals,
    steps,
    confirm: leaves
      ? { kind: 'typed', words: `standby ${node}`, why: `The service moves from ${node} to ${to}: NFS pauses for the move (clients with hard mounts wait).` }
      : { kind: 'yes', question: `Put ${node} in standby? DRBD on ${to ?? 'the other node'} runs without its peer until hanfs-wizard online ${node}` },
    done: `${node} is in standby and runs nothing of ours${to && where !== null ? `; the service runs on ${to}` : ''}`,
    names,
  };
}

export const standbyAction: ActionDef<NodeArg> = {
  words: ['standby'],
  parse: (positionals) => parseNodeArg('standby', positionals),
  plan: ({ nodes, facts, args }) => standbyPlan(nodes, facts, args.node),
};
