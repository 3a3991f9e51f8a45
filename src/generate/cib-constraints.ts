// The constraints that tie the stack together: the NFS group with the promoted DRBD instance and after
// its promotion, the ping policy, and no promotion on data that is not UpToDate. The fence devices' own
// constraints are cib-stonith.ts's.
import type { Answers } from '../answers/schema.js';
import { GROUP_ID, PING_ATTRIBUTE } from './cib-ids.js';
import type { Clone, Constraint } from './cib-types.js';

function pingRule(a: Answers): Constraint {
  if (a.ping.whenAllLost === 'stop') {
    // No ping (or no ping attribute yet): the service may not run there, even if that means nowhere.
    return {
      kind: 'location-rule',
      id: 'loc_nfs_needs_ping',
      rsc: GROUP_ID,
      ruleId: 'loc_nfs_needs_ping-rule',
      score: { score: '-INFINITY' },
      booleanOp: 'or',
      expressions: [
        { attribute: PING_ATTRIBUTE, operation: 'not_defined' },
        { attribute: PING_ATTRIBUTE, operation: 'lte', value: '0', type: 'number' },
      ],
    };
  }
  // stay: each node scores its pingd value, so the node reaching more targets wins; when neither
  // reaches any, both score 0 and stickiness keeps the service where it is.
  return {
    kind: 'location-rule',
    id: 'loc_nfs_prefers_ping',
    rsc: GROUP_ID,
    ruleId: 'loc_nfs_prefers_ping-rule',
    score: { scoreAttribute: PING_ATTRIBUTE },
    booleanOp: 'and',
    expressions: [{ attribute: PING_ATTRIBUTE, operation: 'defined' }],
  };
}

/**
 * Never promote where DRBD's data is not good. The drbd agent publishes its promotion score as
 * master-<primitive>: 0 means no access to UpToDate data (Outdated, Inconsistent, Diskless), absent
 * means it has not reported yet. Pacemaker alone would still promote a score of 0 when nothing better
 * exists (the rehearsal showed it: passive node stale, active node fails -> stale node promoted), and
 * only DRBD's own refusal would then stop it. This rule makes "no service on stale data" the
 * scheduler's decision, visible in crm_simulate, instead of a failed promote.
 */
function promoteOnlyUpToDate(drbd: Clone): Constraint {
  const masterAttr = `master-${drbd.primitive.id}`;
  return {
    kind: 'location-rule',
    id: 'loc_drbd_promote_only_uptodate',
    rsc: drbd.id,
    role: 'Promoted',
    ruleId: 'loc_drbd_promote_only_uptodate-rule',
    score: { score: '-INFINITY' },
    booleanOp: 'or',
    expressions: [
      { attribute: masterAttr, operation: 'not_defined' },
      { attribute: masterAttr, operation: 'lte', value: '0', type: 'number' },
    ],
  };
}

/** The stack's constraints, in configuration order. */
export function stackConstraints(a: Answers, drbd: Clone): Constraint[] {
  return [
    { kind: 'colocation', id: 'col_nfs_with_drbd_promoted', rsc: GROUP_ID, withRsc: drbd.id, withRscRole: 'Promoted', score: 'INFINITY' },
    { kind: 'order', id: 'ord_drbd_promote_before_nfs', first: drbd.id, firstAction: 'promote', then: GROUP_ID, thenAction: 'start', type: 'Mandatory' },
    pingRule(a),
    promoteOnlyUpToDate(drbd),
  ];
}
