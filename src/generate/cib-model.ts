// The Pacemaker configuration as data, built once from the answers. cib.xml, setup.crm and setup-pcs.sh
// are three renderings of this one model, so they cannot drift apart (the tests load the crmsh and pcs
// renderings with the real tools and compare the result with cib.xml).
//
// Choices that hold for Pacemaker 2.1 (Debian 12, RHEL 9) and 3.0 (Debian 13, RHEL 10) alike:
// - a promotable clone (no `master` element, removed in 3.0) with promoted-max/promoted-node-max (the
//   master-max names are deprecated) and Promoted/Unpromoted roles (Master/Slave are deprecated);
// - stickiness and migration-threshold in rsc_defaults, not repeated on each resource;
// - one rule per location constraint (several top-level rules are deprecated since 2.1.8);
// - no concurrent-fencing, record-pending or other options 3.0 deprecated or dropped.
// Its parts: the types (cib-types.ts), the ids (cib-ids.ts), the resources (cib-resources.ts), the
// stack's constraints (cib-constraints.ts) and the fence devices (cib-stonith.ts).
import { sbdOf, type Answers } from '../answers/schema.js';
import { sbdTimeouts } from './sbd.js';
import { agentStonithTimeoutS, fencingProperties, priorityFencingDelayS } from './fencing.js';
import { MIGRATION_THRESHOLD } from './cib-ids.js';
import { drbdClone, pingClone, serviceGroup } from './cib-resources.js';
import { stackConstraints } from './cib-constraints.js';
import { stonithDevices } from './cib-stonith.js';
import type { CibModel, Primitive } from './cib-types.js';

export type { CibModel, Clone, Constraint, Expression, Group, Op, Primitive, Role } from './cib-types.js';
export { GROUP_ID, MIGRATION_THRESHOLD, PING_ATTRIBUTE, PING_CLONE_ID, PING_INTERVAL_S, PING_TIMEOUT_S, STARTUP_PROPERTIES, drbdCloneId, drbdPrimitiveId } from './cib-ids.js';
export { pingMultiplier } from './cib-resources.js';

/** crm_config's properties: fencing, quorum, and the controller's throttle and start-up wait. */
function clusterProperties(a: Answers): [string, string][] {
  const sbd = sbdOf(a.pacemaker.stonith);
  const priority = priorityFencingDelayS(a);
  const t = sbd ? sbdTimeouts(sbd, priority) : null;
  return [
    // stonith-enabled, and with a device stonith-timeout and priority-fencing-delay (fencing.ts).
    ...fencingProperties(a, t ? t.stonithTimeout : agentStonithTimeoutS(priority)),
    // Diskless SBD: a lost node counts as reset once this much time has passed (its watchdog fired).
    ...(t && t.stonithWatchdogTimeout !== null ? [['stonith-watchdog-timeout', `${t.stonithWatchdogTimeout}s`] as [string, string]] : []),
    // Corosync's two_node mode keeps quorum for the survivor of a two-node cluster (and wait_for_all
    // keeps a lone booting node from starting alone), so the default "stop" is right: never "ignore".
    ['no-quorum-policy', 'stop'],
    // The controller's throttle and start-up wait: Pacemaker's defaults on real servers, the answers'
    // pacemaker.tuning where the hardware needs others (the emulated lab: 800%, 4, 5s). Always written
    // out, so a re-apply after a tuning change converges and the CIB says what the cluster runs with.
    // docs/ha-tuning.md, "Defaults for real servers".
    ['load-threshold', a.pacemaker.tuning.loadThreshold],
    ['node-action-limit', String(a.pacemaker.tuning.nodeActionLimit)],
    ['dc-deadtime', a.pacemaker.tuning.dcDeadtime],
  ];
}

export function buildCibModel(a: Answers): CibModel {
  const drbd = drbdClone(a);
  const group = serviceGroup(a);
  const fence = stonithDevices(a);
  return {
    properties: clusterProperties(a),
    rscDefaults: [
      ['resource-stickiness', String(a.pacemaker.stickiness)],
      // Three failures of a resource on a node ban it there, so the service moves to the peer instead
      // of restarting forever on a node that cannot hold it (the default is INFINITY failures).
      ['migration-threshold', String(MIGRATION_THRESHOLD)],
    ],
    drbd,
    ping: pingClone(a, group),
    group,
    stonith: fence.stonith,
    constraints: [...stackConstraints(a, drbd), ...fence.constraints],
  };
}

/** The ocf:provider:type (or stonith:type) name crm_resource --show-metadata takes. */
export function agentName(p: Primitive): string {
  return p.class === 'stonith' ? `stonith:${p.type}` : `${p.class}:${p.provider}:${p.type}`;
}

/** Every primitive of the model, in configuration order. */
export function allPrimitives(m: CibModel): Primitive[] {
  return [m.drbd.primitive, ...m.group.members, m.ping.primitive, ...m.stonith];
}
