// The Pacemaker configuration as data: the types of the CIB model (cib-model.ts builds it; cib-xml.ts,
// setup-crm.ts and setup-pcs.ts render it).

export type Role = 'Promoted' | 'Unpromoted';

export interface Op {
  name: 'monitor' | 'start' | 'stop' | 'promote' | 'demote' | 'notify';
  interval: string;
  timeout: string;
  role?: Role;
}

export interface Primitive {
  id: string;
  class: 'ocf' | 'stonith';
  /** ocf provider (heartbeat, linbit, pacemaker); absent for stonith. */
  provider?: string;
  type: string;
  params: [string, string][];
  ops: Op[];
}

export interface Clone {
  id: string;
  primitive: Primitive;
  meta: [string, string][];
}

export interface Group {
  id: string;
  members: Primitive[];
}

/**
 * Numeric comparisons use type "number": valid in Pacemaker 2.1 and 3.0 and the one numeric type crmsh
 * 4.4 (Debian 12) can write; "integer" (Pacemaker >= 2.0.5) would not survive a crmsh round trip.
 */
export type Expression =
  | { attribute: string; operation: 'defined' | 'not_defined' }
  | { attribute: string; operation: 'lte' | 'gt'; value: string; type: 'number' };

export type Constraint =
  | { kind: 'colocation'; id: string; rsc: string; withRsc: string; withRscRole: Role; score: string }
  | { kind: 'order'; id: string; first: string; firstAction: 'promote' | 'start'; then: string; thenAction: 'start'; type: 'Mandatory' }
  | { kind: 'location'; id: string; rsc: string; node: string; score: string }
  | {
      kind: 'location-rule';
      id: string;
      rsc: string;
      /** Limits the constraint to the instances in this role (promotable clones). */
      role?: Role;
      ruleId: string;
      /** A fixed score, or the node attribute whose value is the score. */
      score: { score: string } | { scoreAttribute: string };
      booleanOp: 'and' | 'or';
      expressions: Expression[];
    };

export interface CibModel {
  /** crm_config's cluster_property_set cib-bootstrap-options. */
  properties: [string, string][];
  /** rsc_defaults' meta_attributes rsc-options. */
  rscDefaults: [string, string][];
  drbd: Clone;
  ping: Clone;
  group: Group;
  stonith: Primitive[];
  constraints: Constraint[];
}
