// `switchover [--to NODE]`: moves the service to the peer (before a kernel update, a reboot, hardware
// work) the way Pacemaker is meant to be asked, and leaves nothing behind that pins it.
//
// How: `crm_resource --move --resource <group> --node PEER --lifetime PT30M` puts a cli-prefer location
// constraint (INFINITY, expiring) on the service group. The group is what the CIB places: it is
// colocated with the DRBD clone's Promoted instance, and Pacemaker's scheduler folds the group's
// location preferences into where it promotes DRBD (crm_simulate on the lab's CIB: the move demotes
// DRBD on the old node, promotes it on the peer, and starts the group there; the ping rule moves the
// service the same way). Moving the group rather than the clone (`--promoted`) keeps the group's own
// location rules in charge: a peer that lost its ping targets (loc_nfs_needs_ping, -INFINITY) refuses
// the move and the service stays up where it is, instead of DRBD promoted where the group may not run.
// Once crm_mon, the peer's own DRBD (events2) and the peer's exportfs show the service there, the
// constraint is removed (`crm_resource --clear`) and the CIB read back without any cli-prefer/cli-ban:
// stickiness keeps the service on the peer, nothing forbids the old node. The lifetime is the net for a
// run that dies between the move and the clear: the constraint then lapses by itself (Pacemaker 2.1.5
// and 3.0 take --lifetime as an ISO 8601 duration and write a date_expression into the rule), long after
// the move's own wait ran out.
//
// The service stops on one node and starts on the other: NFS pauses for that time (clients hold their
// requests and retry; with a hard mount nothing fails), so the confirmation is typed.
import { step, type PlanStep } from '../types.js';
import type { ActionDef, ActionPlan } from './types.js';
import {
  cliConstraints, drbdNotReady, drbdPrimaryCheck, exportedCheck, failureBlocker, moveBlockers, nodeNotReady, noCliCheck, serviceNode, serviceOnCheck, serviceShape,
} from './service-facts.js';

export interface SwitchoverArgs {
  /** The node to move to; null: the peer of the node that runs the service. */
  to: string | null;
}

/** How long the move may take: the old node's stops plus the peer's starts (nfsserver's stop timeout alone is 180 s). */
export const SWITCHOVER_WAIT_MS = 600_000;
/** The move constraint's lifetime: longer than the wait, so it never lapses during the move itself. */
export const MOVE_LIFETIME = 'PT30M';

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const switchoverAction: ActionDef<SwitchoverArgs> = {
  words: ['switchover'],
  parse(positionals, flags) {
    if (positionals.length > 0) return { ok: false, error: { field: 'switchover', message: `takes no arguments (got ${positionals.join(' ')}); the target node is --to NODE` } };
    const to = flags['to'];
    if (to === undefined) return { ok: true, args: { to: null } };
    if (typeof to !== 'string' || !NODE_NAME.test(to)) return { ok: false, error: { field: '--to', message: `"${String(to)}" is not a node name (crm_node -l lists them)` } };
    return { ok: true, args: { to } };
  },
  plan({ nodes, facts, args }): ActionPlan {
    const none = { action: 'switchover', facts: [] as string[], steps: [] as PlanStep[], confirm: { kind: 'none' } as const, done: '', names: { raidDevice: '', drbdResource: '' } };
    const crm = facts.crm;
    if (!crm) return { ...none, summary: 'cannot read the cluster', refusals: [`${facts.crmError}; a switchover needs a running Pacemaker`] };
    const known = crm.nodes.map((n) => n.name);
    if (args.to !== null && !known.includes(args.to)) {
      return { ...none, summary: '', refusals: [], bad: { field: '--to', message: `"${args.to}" is no node of this cluster; its nodes: ${known.join(', ')}` } };
    }
    const shape = serviceShape(crm, facts.cib);
    if (!shape) return { ...none, summary: 'no NFS service in this cluster', refusals: ['crm_mon shows no group with the NFS server, the exports and the virtual IP: nothing to move'] };
    const names = { raidDevice: '', drbdResource: shape.drbdResource ?? '' };
    const from = serviceNode(crm, shape);
    if (from === null) {
      return { ...none, names, summary: `move ${shape.group}`, refusals: [`the service does not run on one node now (DRBD Promoted and ${shape.group} started together): see hanfs-wizard monitor; a switchover moves a running service`, ...moveBlockers(facts, crm, shape)] };
    }
    const to = args.to ?? known.find((n) => n !== from) ?? null;
    if (to === null) return { ...none, names, summary: `move ${shape.group} from ${from}`, refusals: ['the cluster has no second node to move to'] };
    if (to === from) return { ...none, names, summary: `nothing to do: the service already runs on ${to}`, refusals: [], done: `the service runs on ${to}` };
    if (!nodes.some((n) => n.name === to) || !nodes.some((n) => n.name === from)) {
      return { ...none, names, summary: `move the service from ${from} to ${to}`, refusals: [`both ${from} and ${to} must be reachable for the read-back (give both with --node or --answers)`] };
    }
    const shown = [
      `the service (${shape.group}: ${shape.members.join(', ')}) runs on ${from}, DRBD ${shape.drbdResource ?? ''} Promoted there`.replace('  ', ' '),
      ...(shape.drbdClone ? [`${shape.drbdClone} follows the group: demoted on ${from}, promoted on ${to}`] : []),
    ];
    const cib = facts.cib;
    const pinned = cib ? cliConstraints(cib, new Set([shape.group])) : [];
    for (const l of pinned) shown.push(`an earlier move left ${l.id} (${l.kind} ${l.node ?? ''}): replaced by this move, and cleared at its end`);
    const refusals = [...moveBlockers(facts, crm, shape)];
    const nr = nodeNotReady(crm, to);
    if (nr) refusals.push(`${nr}: it cannot take the service`);
    const dr = drbdNotReady(facts, to, shape.drbdResource);
    if (dr) refusals.push(`${dr}: the service cannot move there without risking stale data or a failed promote (see hanfs-wizard monitor)`);
    if (!cib) refusals.push(`${facts.cibError}; the switchover reads its constraints back from it`);
    // Other constraints of ours from a move or a ban (on the clone, on a member): they decide placement
    // against this move. The admin clears them knowingly, not this action behind their back.
    const foreign = cib ? cliConstraints(cib, new Set([...shape.members, ...(shape.drbdClone ? [shape.drbdClone] : []), ...(shape.drbdPrimitive ? [shape.drbdPrimitive] : [])])) : [];
    for (const l of foreign) refusals.push(`${l.id} (${l.kind} on ${l.node ?? 'a node'}) constrains ${l.rsc}: remove it first (crm_resource --clear --resource ${l.rsc})`);
    for (const l of pinned.filter((x) => x.kind === 'cli-ban' && x.node === to)) refusals.push(`${l.id} bans ${shape.group} from ${to}: remove it first (crm_resource --clear --resource ${shape.group})`);

    const ids = new Set([shape.group, ...(shape.drbdClone ? [shape.drbdClone] : [])]);
    const next = `the move constraint is still in place; fix the failure's cause, then hanfs-wizard cleanup and crm_resource --clear --resource ${shape.group}`;
    const steps: PlanStep[] = [
      step({
        id: 'cluster/move',
        node: from,
        cluster: true,
        title: `Move ${shape.group} to ${to}`,
        why: `a location constraint (cli-prefer, expiring after ${MOVE_LIFETIME}) makes Pacemaker stop the group on ${from}, demote DRBD there, promote it on ${to} and start the group there`,
        commands: [['crm_resource', '--move', '--resource', shape.group, '--node', to, '--lifetime', MOVE_LIFETIME]],
        check: serviceOnCheck(shape, to),
        verify: {
          ...serviceOnCheck(shape, to),
          waitMs: SWITCHOVER_WAIT_MS,
          intervalMs: 3_000,
          blockers: failureBlocker(shape, next),
          explain: () => [`the service is not (yet) running on ${to}: see crm_mon -1 -f`, next],
        },
        interruptsService: `NFS pauses while ${shape.group} stops on ${from} and starts on ${to}; clients wait and retry`,
        parallelGroup: 'a2-act',
      }),
      step({
        id: `${to}/drbd-primary`,
        node: to,
        title: `Read back DRBD on ${to}`,
        why: `the kernel's own word that ${to} holds the data as Primary, not only Pacemaker's`,
        verify: { ...drbdPrimaryCheck(shape.drbdResource, to), waitMs: 30_000, intervalMs: 2_000 },
        parallelGroup: 'a3-act',
      }),
      ...(shape.exportDirs.length
        ? [step({
            id: `${to}/nfs-exported`,
            node: to,
            title: `Read back the exports on ${to}`,
            why: 'the NFS server on the new node exports what the clients mount',
            verify: { ...exportedCheck(shape.exportDirs, to), waitMs: 30_000, intervalMs: 2_000 },
            parallelGroup: 'a4-act',
          })]
        : []),
      step({
        id: 'cluster/clear',
        node: to,
        cluster: true,
        title: `Remove the move constraint of ${shape.group}`,
        why: 'nothing pins the service afterwards: stickiness keeps it where it is, and either node may take it over again',
        commands: [['crm_resource', '--clear', '--resource', shape.group]],
        verify: { ...noCliCheck(ids), waitMs: 30_000, intervalMs: 2_000 },
        parallelGroup: 'a5-act',
      }),
      step({
        id: 'cluster/read-back',
        node: to,
        cluster: true,
        title: `Read back the service on ${to}`,
        why: `the promise: the service runs on ${to} without the constraint`,
        verify: { ...serviceOnCheck(shape, to), waitMs: 60_000, intervalMs: 3_000, blockers: failureBlocker(shape, 'see crm_mon -1 -f') },
        parallelGroup: 'a7-read-back',
      }),
    ];
    return {
      action: 'switchover',
      summary: `move the service from ${from} to ${to}`,
      facts: shown,
      refusals,
      steps,
      confirm: { kind: 'typed', words: `switchover to ${to}`, why: `NFS pauses while the service moves from ${from} to ${to} (the stops there and the starts here; clients with hard mounts wait, none should see an error).` },
      done: `the service runs on ${to} (DRBD Primary, ${shape.exportDirs.length ? 'exports served, ' : ''}no move constraint left)`,
      names,
    };
  },
};
