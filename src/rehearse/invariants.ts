// What must hold in every state the cluster settles in, whatever broke. Pure: a view of one state
// (from crm_mon's XML) in, violations out.
import type { CrmStatus } from '../probes/crm-mon.js';
import type { Expectation } from './scenarios.js';

export type InvariantId =
  | 'drbd-runs-everywhere'
  | 'one-promoted'
  | 'service-together-on-promoted'
  | 'service-where-allowed'
  | 'no-stale-data'
  | 'stack-order'
  | 'fenced-before-takeover'
  | 'failed-fence-freezes'
  | 'split-favours-active'
  | 'expected-outcome';

/** One line each, for the table's legend and the JSON. */
export const INVARIANTS: Record<InvariantId, string> = {
  'drbd-runs-everywhere': 'DRBD runs on every online node that is not in standby (it must run to replicate and to report its data state)',
  'one-promoted': 'at most one DRBD Promoted instance',
  'service-together-on-promoted': 'Filesystem, nfsserver, exportfs and the IP run all together, only on the Promoted node',
  'service-where-allowed': 'the service runs whenever a node is online, UpToDate and allowed by the ping rule, and only on such a node',
  'no-stale-data': 'nothing is promoted or served on a node without UpToDate data',
  'stack-order': 'DRBD is promoted before the service starts there, and demoted only after it stopped',
  'fenced-before-takeover': 'with STONITH, a lost node is fenced, and nothing is promoted or started on its peer before that fence',
  'failed-fence-freezes': 'with STONITH, a fence that fails stops everything from moving: no promote or start without a confirmed fence',
  'split-favours-active': 'when the cluster link splits and both nodes fence, the active node waits less and survives (priority-fencing-delay)',
  'expected-outcome': "the scenario ends where the answers promise (failover, no failback, ping policy)",
};

export interface Violation {
  invariant: InvariantId;
  message: string;
}

export interface StateView {
  nodes: { name: string; online: boolean; standby: boolean }[];
  /** Nodes where the DRBD clone is Promoted. */
  promoted: string[];
  /** Nodes where a DRBD instance runs, in any role. */
  drbdRunning: string[];
  /** For each service resource, the nodes it runs on. */
  running: Record<string, string[]>;
  attributes: Record<string, Record<string, string>>;
}

export interface CheckContext {
  drbdPrimitive: string;
  /** The group's members in start order. */
  service: string[];
  pingAttribute: string;
  whenAllLost: 'stop' | 'stay';
  /** Nodes where a service resource has reached migration-threshold. */
  banned: ReadonlySet<string>;
}

export function viewOf(status: CrmStatus, ctx: Pick<CheckContext, 'drbdPrimitive' | 'service'>): StateView {
  const running: Record<string, string[]> = Object.fromEntries(ctx.service.map((id) => [id, [] as string[]]));
  const promoted: string[] = [];
  const drbdRunning: string[] = [];
  for (const r of status.resources) {
    if (r.id === ctx.drbdPrimitive && r.role === 'Promoted') promoted.push(...r.nodes);
    if (r.id === ctx.drbdPrimitive && r.active && r.role !== 'Stopped') drbdRunning.push(...r.nodes);
    const list = running[r.id];
    if (list && r.active && r.role !== 'Stopped') list.push(...r.nodes);
  }
  const attributes: Record<string, Record<string, string>> = {};
  for (const [node, attrs] of Object.entries(status.attributes)) {
    attributes[node] = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, v.value]));
  }
  return {
    nodes: status.nodes.map((n) => ({ name: n.name, online: n.online, standby: n.standby })),
    promoted,
    drbdRunning,
    running,
    attributes,
  };
}

/** The node the whole service runs on; null when none of it runs; 'split' when it is anywhere else. */
export function serviceNode(view: StateView): string | null | 'split' {
  const all = Object.values(view.running);
  const nodes = new Set(all.flat());
  if (nodes.size === 0) return null;
  if (nodes.size > 1 || all.some((n) => n.length !== 1)) return 'split';
  return [...nodes][0]!;
}

const num = (v: string | undefined): number => (v === undefined ? Number.NaN : v === 'INFINITY' || v === '+INFINITY' ? 1_000_000 : Number(v));

function upToDate(view: StateView, node: string, ctx: CheckContext): boolean {
  return num(view.attributes[node]?.[`master-${ctx.drbdPrimitive}`]) > 0;
}

/** Nodes that may hold the service in this state: online, not standby, UpToDate, allowed by ping, not banned. */
export function eligibleNodes(view: StateView, ctx: CheckContext): string[] {
  const up = view.nodes.filter((n) => n.online && !n.standby).map((n) => n.name);
  const ping = (n: string) => num(view.attributes[n]?.[ctx.pingAttribute]) > 0;
  const anyPing = up.some(ping);
  // stop: a node without ping may never serve. stay: it may, when no node has ping.
  const pingAllowed = (n: string) => ping(n) || (ctx.whenAllLost === 'stay' && !anyPing);
  return up.filter((n) => upToDate(view, n, ctx) && pingAllowed(n) && !ctx.banned.has(n));
}

export function checkState(view: StateView, ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const missing = view.nodes.filter((n) => n.online && !n.standby && !view.drbdRunning.includes(n.name)).map((n) => n.name);
  if (missing.length) {
    out.push({ invariant: 'drbd-runs-everywhere', message: `DRBD does not run on ${missing.join(' and ')}, which is online: it cannot replicate there nor report its data state` });
  }
  if (view.promoted.length > 1) {
    out.push({ invariant: 'one-promoted', message: `DRBD is Promoted on ${view.promoted.join(' and ')}` });
  }
  const where = serviceNode(view);
  if (where === 'split') {
    const parts = Object.entries(view.running).map(([id, n]) => `${id}@${n.length ? n.join('+') : 'stopped'}`);
    out.push({ invariant: 'service-together-on-promoted', message: `the service is split: ${parts.join(', ')}` });
  } else if (where !== null && !view.promoted.includes(where)) {
    out.push({
      invariant: 'service-together-on-promoted',
      message: `the service runs on ${where} but DRBD is Promoted on ${view.promoted.length ? view.promoted.join(', ') : 'no node'}`,
    });
  }
  const eligible = eligibleNodes(view, ctx);
  if (where !== 'split') {
    if (eligible.length > 0 && where === null) {
      out.push({ invariant: 'service-where-allowed', message: `the service is stopped although ${eligible.join(' and ')} could run it` });
    } else if (where !== null && !eligible.includes(where)) {
      out.push({
        invariant: 'service-where-allowed',
        message: `the service runs on ${where}, which is not allowed (${eligible.length ? `${eligible.join(', ')} is` : 'no node is'} online, UpToDate and allowed by ping)`,
      });
    }
  }
  for (const n of new Set([...view.promoted, ...Object.values(view.running).flat()])) {
    if (!upToDate(view, n, ctx)) {
      out.push({ invariant: 'no-stale-data', message: `${n} is Promoted or serving without UpToDate data (promotion score ${view.attributes[n]?.[`master-${ctx.drbdPrimitive}`] ?? 'absent'})` });
    }
  }
  return out;
}

export function checkExpectation(expect: Expectation, because: string, start: string | null, end: string | null | 'split'): Violation[] {
  const fail = (what: string): Violation[] => [{ invariant: 'expected-outcome', message: `expected the service to ${what} (${because}); it ${end === null ? 'stopped' : end === 'split' ? 'is split' : `ended on ${end}`}` }];
  switch (expect) {
    case 'stays':
      return end === start ? [] : fail(`stay on ${start}`);
    case 'moves':
      return end !== null && end !== 'split' && end !== start ? [] : fail(`move away from ${start}`);
    case 'stopped':
      return end === null ? [] : fail('stop');
    case 'runs':
      return end !== null && end !== 'split' ? [] : fail('run');
  }
}
