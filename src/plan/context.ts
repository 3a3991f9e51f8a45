// What every phase of the plan reads: the answers, the nodes, and the checks several phases share,
// computed once per plan.
import type { Answers, NodeAnswers } from '../answers/schema.js';
import { lvPath } from '../answers/derived.js';
import type { Argv, RunResult } from '../exec/runner.js';
import { connectedToPeers, peerConnected } from '../probes/drbd-status.js';
import { renderCib, type CibRender, type EarlyCib } from '../generate/cib-xml.js';
import { STARTUP_PROPERTIES, drbdPrimitiveId } from '../generate/cib-model.js';
import { cibHasResources, cibResourceIds } from '../generate/cib-merge.js';
import { CIB_SEED_STATE_SCRIPT, PACEMAKER_CIB_PATH } from './cib-seed.js';
import { CIB_QUERY, CRM_MON, DRBD_STATUS, crm, drbdRes, ok } from './judges.js';
import type { ProbeCheck, Verify } from './types.js';

export interface PlanContext {
  a: Answers;
  /** The node cluster-wide steps run on (and whose background lane loads the early CIB parts). */
  first: NodeAnswers;
  second: NodeAnswers;
  names: string[];
  res: string;
  lv: string;
  /** The whole CIB apply loads (cluster/cib.xml's bytes). */
  cib: string;
  /** The early parts loaded before it on a fresh cluster (cluster/cib-ping, cluster/cib-held). */
  early: Record<EarlyCib, string>;
  /** The properties that act before any configuration is loaded, as the configuration sets them. */
  seedPairs: [string, string][];
  seedState: Argv;
  /** The resources an early configuration may be loaded over: the ping clone and the fence devices. */
  earlyIds: string[];
  checks: SharedChecks;
}

export interface SharedChecks {
  clusterRunning: ProbeCheck;
  /** Both online and our DRBD resource in the configuration: what proves the disk and DRBD steps. */
  clusterOwnsDrbd: ProbeCheck;
  /** Both nodes online and a DC elected: when a configuration may be loaded. */
  onlineWithDc: Verify;
  hasResources: (r: RunResult) => boolean;
  /** Nothing early left to load: the CIB holds more than the ping clone and the fence devices. */
  pastEarly: ProbeCheck;
  connectedBoth: ProbeCheck;
  upToDateBoth: ProbeCheck;
  freshPair: ProbeCheck;
}

/** `cib`: the export's own CIB render, when the plan is part of an export (built once for both). */
export function planContext(a: Answers, cib: CibRender = renderCib(a)): PlanContext {
  const [first, second] = a.nodes;
  const names = [first.name, second.name];
  const res = a.drbd.resource;
  const seedPairs = cib.model.properties.filter(([k]) => (STARTUP_PROPERTIES as readonly string[]).includes(k));
  const earlyIds = cibResourceIds(cib.early.ping);
  return {
    a, first, second, names, res, lv: lvPath(a), cib: cib.xml, early: cib.early, seedPairs, earlyIds,
    seedState: ['sh', '-c', CIB_SEED_STATE_SCRIPT, '--', PACEMAKER_CIB_PATH, ...seedPairs.flat()],
    checks: sharedChecks(a, names, res, earlyIds),
  };
}

function sharedChecks(a: Answers, names: string[], res: string, earlyIds: string[]): SharedChecks {
  const clusterRunning: ProbeCheck = {
    kind: 'probe', argv: CRM_MON, describe: `Pacemaker runs with ${names.join(' and ')} online`,
    judge: (r) => {
      const c = crm(r);
      return c !== null && names.every((n) => c.nodes.some((x) => x.name === n && x.online));
    },
  };
  // "The cluster took over", not "the cluster runs", implies the disk and DRBD steps are done: Pacemaker
  // is started early, before they run, and its configuration is loaded only after DRBD is handed over
  // (the lab caught a plan that skipped create-md because an early-started cluster "proved" it).
  const drbdRsc = drbdPrimitiveId(a);
  const clusterOwnsDrbd: ProbeCheck = {
    kind: 'probe', argv: CRM_MON, describe: `Pacemaker runs with ${names.join(' and ')} online and manages ${drbdRsc}`,
    judge: (r) => clusterRunning.judge(r) && crm(r)!.resources.some((x) => x.id === drbdRsc || x.id.startsWith(`${drbdRsc}:`)),
  };
  // Anyone's resource counts too: an early load would refuse every time, and cluster/cib alone decides.
  const pastEarly: ProbeCheck = {
    kind: 'probe', argv: CIB_QUERY, describe: 'the cluster\'s configuration holds more than the ping clone and the fence devices',
    judge: (r) => ok(r) && cibResourceIds(r.stdout).some((id) => !earlyIds.includes(id)),
  };
  return {
    clusterRunning, clusterOwnsDrbd, pastEarly,
    onlineWithDc: { ...clusterRunning, judge: (r) => clusterRunning.judge(r) && crm(r)?.dc !== null, waitMs: 300_000 },
    hasResources: (r) => ok(r) && cibHasResources(r.stdout),
    ...drbdChecks(res),
  };
}

function drbdChecks(res: string): Pick<SharedChecks, 'connectedBoth' | 'upToDateBoth' | 'freshPair'> {
  return {
    connectedBoth: {
      kind: 'probe', argv: DRBD_STATUS, describe: `${res} is connected to the peer`,
      judge: (r) => { const s = drbdRes(r, res); return s !== null && connectedToPeers(s); },
    },
    upToDateBoth: {
      kind: 'probe', argv: DRBD_STATUS, describe: `${res} is UpToDate on both nodes`,
      judge: (r) => { const s = drbdRes(r, res); return s !== null && s.disk === 'UpToDate' && s.peers.length > 0 && s.peers.every((p) => p.peerDisk === 'UpToDate'); },
    },
    // The skip of the initial sync works only on just-created metadata, both nodes connected, Secondary
    // and Inconsistent (drbdsetup(8) for 8.4, "new-current-uuid"; DRBD 9 user's guide, "Skipping initial
    // resynchronization"); checked right before.
    freshPair: {
      kind: 'probe', argv: DRBD_STATUS, describe: `${res} is connected, Secondary and Inconsistent on both nodes (just-created metadata)`,
      judge: (r) => {
        const s = drbdRes(r, res);
        return s !== null && s.role === 'Secondary' && s.disk === 'Inconsistent' && s.peers.length > 0 &&
          s.peers.every((p) => peerConnected(p) && p.role === 'Secondary' && p.peerDisk === 'Inconsistent');
      },
    },
  };
}
