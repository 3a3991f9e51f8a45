// The ids and fixed names of the CIB model, apart from the model so that its parts (cib-resources.ts,
// cib-constraints.ts, cib-stonith.ts) and the plan can name them without importing the whole builder.
import type { Answers } from '../answers/schema.js';

/** Ids are XML NCNames: letters, digits, _ - . and not starting with a digit. Answers' names already are. */
export const idPart = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

export const PING_ATTRIBUTE = 'pingd';
/** The ping clone's monitor interval and ping's reply wait, in seconds (cib-resources.ts explains both). */
export const PING_INTERVAL_S = 10;
export const PING_TIMEOUT_S = 2;

/** The DRBD primitive's id: the drbd agent publishes its promotion score as `master-<this id>`. */
export function drbdPrimitiveId(a: Pick<Answers, 'drbd'>): string {
  return `p_drbd_${idPart(a.drbd.resource)}`;
}

export function drbdCloneId(a: Pick<Answers, 'drbd'>): string {
  return `cl_drbd_${idPart(a.drbd.resource)}`;
}

export const GROUP_ID = 'g_nfs';
/** Failures of one resource on one node before Pacemaker bans it there (rsc_defaults). */
export const MIGRATION_THRESHOLD = 3;
export const PING_CLONE_ID = 'cl_ping';
/**
 * The properties that act before any configuration is loaded: how long a starting controller waits for a
 * DC before it calls an election, and the throttle of the first transitions. apply seeds them into an
 * empty node's CIB before the cluster's first start (plan.ts, "<node>/cib-seed").
 */
export const STARTUP_PROPERTIES = ['dc-deadtime', 'load-threshold', 'node-action-limit'] as const;
