// What every action reads before it plans, read-only, on both nodes at once: Pacemaker's view (crm_mon
// XML, from the first node that answers: both print the same cluster), the CIB's configuration (which
// primitives, which location constraints a move or DRBD's fence-peer handler left), and each node's own
// DRBD state (`drbdsetup events2 --now`: what the kernel says, not what Pacemaker believes). The same
// commands as the monitor's, so the demo lab's recordings answer them. A failed read is data: the
// action's plan refuses with the reason, it never guesses.
import type { Argv, Runner, RunResult } from '../../exec/runner.js';
import { succeeded } from '../../exec/runner.js';
import { parseCrmMon, type CrmStatus } from '../../probes/crm-mon.js';
import { parseCibFacts, type CibFacts } from '../../probes/cib-facts.js';
import { parseEvents2 } from '../../probes/drbd-events2.js';

export const FACT_ARGV = {
  crmMon: ['crm_mon', '-1', '--output-as=xml'],
  cib: ['cibadmin', '-Q'],
  events2Now: ['drbdsetup', 'events2', '--now', '--statistics', 'all'],
} as const satisfies Record<string, Argv>;

/** One DRBD resource as one node's kernel reports it. */
export interface DrbdFact {
  name: string;
  role: string | null;
  disk: string | null;
  /** The connection state to the peer (Connected, StandAlone, Connecting...). */
  connection: string | null;
  peerRole: string | null;
  peerDisk: string | null;
  replication: string | null;
  outOfSyncKiB: number | null;
  sizeKiB: number | null;
  minor: number | null;
}

export interface NodeFacts {
  name: string;
  /** Null with `drbdError` set when events2 could not be read (DRBD not loaded, node unreachable). */
  drbd: DrbdFact[] | null;
  drbdError: string | null;
}

export interface ClusterFacts {
  nodes: NodeFacts[];
  /** Null with `crmError` set when no node's Pacemaker answered. */
  crm: CrmStatus | null;
  crmError: string | null;
  cib: CibFacts | null;
  cibError: string | null;
}

const why = (r: RunResult): string => r.error ?? (r.timedOut ? 'timed out' : (r.stderr.trim().split('\n').pop() || `exit ${r.exitCode ?? 'none'}`));

/** The kernel's DRBD state from an `events2 --now` dump: the last value of each key wins. */
export function drbdFactsFrom(stdout: string): DrbdFact[] {
  const byName = new Map<string, DrbdFact>();
  const get = (name: string): DrbdFact => {
    let f = byName.get(name);
    if (!f) {
      f = { name, role: null, disk: null, connection: null, peerRole: null, peerDisk: null, replication: null, outOfSyncKiB: null, sizeKiB: null, minor: null };
      byName.set(name, f);
    }
    return f;
  };
  for (const e of parseEvents2(stdout).events) {
    if (e.object === 'resource') get(e.name).role = e.role ?? get(e.name).role;
    else if (e.object === 'device') {
      const f = get(e.name);
      f.disk = e.disk ?? f.disk;
      f.sizeKiB = e.sizeKiB ?? f.sizeKiB;
      f.minor = e.minor ?? f.minor;
    } else if (e.object === 'connection') {
      const f = get(e.name);
      f.connection = e.connection ?? f.connection;
      f.peerRole = e.role ?? f.peerRole;
    } else if (e.object === 'peer-device') {
      const f = get(e.name);
      f.replication = e.replication ?? f.replication;
      f.peerDisk = e.peerDisk ?? f.peerDisk;
      f.outOfSyncKiB = e.outOfSyncKiB ?? f.outOfSyncKiB;
    }
  }
  return [...byName.values()];
}

/** Pure: the three reads of each node in, the facts out (tests feed real captures). */
export function clusterFactsFrom(reads: { name: string; crmMon: RunResult; cib: RunResult; events2: RunResult }[]): ClusterFacts {
  const nodes: NodeFacts[] = reads.map((r) =>
    succeeded(r.events2) ? { name: r.name, drbd: drbdFactsFrom(r.events2.stdout), drbdError: null } : { name: r.name, drbd: null, drbdError: why(r.events2) },
  );
  let crm: CrmStatus | null = null;
  const crmErrors: string[] = [];
  for (const r of reads) {
    if (!succeeded(r.crmMon)) {
      crmErrors.push(`${r.name}: ${why(r.crmMon)}`);
      continue;
    }
    const p = parseCrmMon(r.crmMon.stdout);
    if (p.ok) {
      crm = p;
      break;
    }
    crmErrors.push(`${r.name}: ${p.message}`);
  }
  let cib: CibFacts | null = null;
  const cibErrors: string[] = [];
  for (const r of reads) {
    if (!succeeded(r.cib)) {
      cibErrors.push(`${r.name}: ${why(r.cib)}`);
      continue;
    }
    const p = parseCibFacts(r.cib.stdout);
    if (p.ok) {
      cib = p.facts;
      break;
    }
    cibErrors.push(`${r.name}: ${p.error}`);
  }
  return {
    nodes,
    crm,
    crmError: crm ? null : `Pacemaker's status could not be read (${crmErrors.join('; ')})`,
    cib,
    cibError: cib ? null : `the CIB could not be read (${cibErrors.join('; ')})`,
  };
}

export async function readClusterFacts(nodes: readonly { name: string; runner: Runner }[], timeoutMs = 30_000): Promise<ClusterFacts> {
  const reads = await Promise.all(
    nodes.map(async (n) => {
      const [crmMon, cib, events2] = await Promise.all([FACT_ARGV.crmMon, FACT_ARGV.cib, FACT_ARGV.events2Now].map((argv) => n.runner.run(argv, { timeoutMs })));
      return { name: n.name, crmMon: crmMon!, cib: cib!, events2: events2! };
    }),
  );
  return clusterFactsFrom(reads);
}
