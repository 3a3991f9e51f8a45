// `online NODE`: ends a standby (`crm_attribute --node NODE --name standby --update off`). The node takes
// resources again: DRBD starts there as the Unpromoted instance and resyncs what changed meanwhile; the
// service stays where it runs (stickiness: a node coming back moves nothing). The read-back: NODE online
// and not in standby, its DRBD instance started, the service still running on one node.
import { parseCrmMon, type CrmStatus } from '../../probes/crm-mon.js';
import { succeeded, type RunResult } from '../../exec/runner.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';
import { FACT_ARGV } from './cluster-facts.js';
import type { ActionDef, ActionPlan } from './types.js';
import { baseId, serviceNode, serviceShape, type ServiceShape } from './service-facts.js';
import { parseNodeArg, unknownNode, type NodeArg } from './standby.js';

const crmJudge = (f: (crm: CrmStatus) => boolean) => (r: RunResult): boolean => {
  if (!succeeded(r)) return false;
  const p = parseCrmMon(r.stdout);
  return p.ok && f(p);
};

/** NODE online and not in standby; its DRBD instance active there; the service on one node (when it ran). */
export function onlineCheck(node: string, shape: ServiceShape | null, serviceWasUp: boolean): ProbeCheck {
  return {
    kind: 'probe',
    argv: FACT_ARGV.crmMon,
    describe: `crm_mon shows ${node} online, not in standby${shape?.drbdPrimitive ? `, ${shape.drbdPrimitive} active there` : ''}${serviceWasUp ? ', the service running' : ''}`,
    judge: crmJudge((c) => {
      const n = c.nodes.find((x) => x.name === node);
      if (!n || !n.online || n.standby) return false;
      if (shape?.drbdPrimitive && !c.resources.some((r) => baseId(r.id) === shape.drbdPrimitive && r.active && r.nodes.includes(node))) return false;
      return !serviceWasUp || shape === null || serviceNode(c, shape) !== null;
    }),
  };
}

export const onlineAction: ActionDef<NodeArg> = {
  words: ['online'],
  parse: (positionals) => parseNodeArg('online', positionals),
  plan({ nodes, facts, args }): ActionPlan {
    const node = args.node;
    const none = { action: 'online', facts: [] as string[], steps: [] as PlanStep[], confirm: { kind: 'none' } as const, done: '', names: { raidDevice: '', drbdResource: '' } };
    const crm = facts.crm;
    if (!crm) return { ...none, summary: 'cannot read the cluster', refusals: [`${facts.crmError}; online needs a running Pacemaker`] };
    const bad = unknownNode(crm, node);
    if (bad) return { ...none, summary: '', refusals: [], bad };
    const me = crm.nodes.find((n) => n.name === node)!;
    const shape = serviceShape(crm, facts.cib);
    const names = { raidDevice: '', drbdResource: shape?.drbdResource ?? '' };
    if (!me.standby) return { ...none, names, summary: `nothing to do: ${node} is not in standby`, refusals: [], done: `${node} is not in standby` };
    const where = shape ? serviceNode(crm, shape) : null;
    const refusals: string[] = [];
    if (!me.online) refusals.push(`${node} is offline in Pacemaker: start its cluster stack first (systemctl start pacemaker on ${node}), then run this again`);
    const on = nodes.find((n) => crm.nodes.find((x) => x.name === n.name)?.online);
    if (!on) refusals.push('no reachable node is online in Pacemaker');
    const check = onlineCheck(node, shape, where !== null);
    return {
      action: 'online',
      summary: `end the standby of ${node}${where ? `: the service stays on ${where}` : ''}`,
      facts: [
        ...(where ? [`the service (${shape!.group}) runs on ${where} and stays there (stickiness)`] : ['the service does not run on one node now: Pacemaker may start it on either node']),
        `DRBD starts on ${node} and resyncs what changed while it was in standby`,
      ],
      refusals,
      steps: [
        step({
          id: 'cluster/online',
          node: on?.name ?? node,
          cluster: true,
          title: `End the standby of ${node}`,
          why: `${node} may host resources again: DRBD starts there as the passive copy`,
          commands: [['crm_attribute', '--node', node, '--name', 'standby', '--update', 'off']],
          check,
          verify: { ...check, waitMs: 300_000, intervalMs: 3_000 },
          parallelGroup: 'a2-act',
        }),
        step({
          id: 'cluster/read-back',
          node: on?.name ?? node,
          cluster: true,
          title: `Read back ${node} online`,
          why: 'the promise, read once more',
          verify: { ...check, waitMs: 60_000, intervalMs: 3_000 },
          parallelGroup: 'a7-read-back',
        }),
      ],
      confirm: { kind: 'yes', question: `End the standby of ${node}?` },
      done: `${node} is online${shape?.drbdPrimitive ? ' with DRBD started' : ''}${where ? `; the service runs on ${where}` : ''}`,
      names,
    };
  },
};
