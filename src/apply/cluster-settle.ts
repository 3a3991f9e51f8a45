// "The service runs" as apply's last wait judges it, from `crm_mon --output-as=xml` (parsed by the probes'
// one parser). Pure: a parsed status in, the reasons it is not settled out (empty = settled).
//
// Why this is stricter than "every resource active": on the lab (test/fixtures/lab/applied-nfsnotify-
// failed/) apply reported success while the last group member was still starting — crm_mon lists a
// starting resource with active="true" role="Starting" — and 1-4 minutes later that start failed and the
// recovery stop of the NFS server failed too. So: a resource counts only in a final role (Started,
// Promoted, Unpromoted) with no start/stop/promote/demote pending, where the constraints put it (the group
// on the node where DRBD is Promoted), and any failed action or fail count stops the wait at once (it
// never clears by itself: Pacemaker keeps it until `crm_resource --cleanup`).
import type { CrmStatus } from '../probes/crm-mon.js';

const FINAL_ROLES = new Set(['Started', 'Promoted', 'Unpromoted']);

/** Why the cluster is not (yet) running the service as configured; [] = settled. */
export function settleProblems(c: CrmStatus, nodes: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    const x = c.nodes.find((y) => y.name === n);
    if (!x) out.push(`${n} is not a cluster member`);
    else if (!x.online) out.push(`${n} is offline`);
    else if (x.standby || x.maintenance || x.pending || x.unclean || x.shutdown) {
      out.push(`${n} is ${[x.standby && 'in standby', x.maintenance && 'in maintenance', x.pending && 'pending', x.unclean && 'unclean', x.shutdown && 'shutting down'].filter(Boolean).join(', ')}`);
    }
  }
  if (c.dc === null) out.push('no designated controller (DC) elected yet');
  if (c.resources.length === 0) out.push('no resources configured or reported yet');
  for (const r of c.resources) {
    const where = r.nodes.length ? ` on ${r.nodes.join(', ')}` : '';
    if (!r.managed) out.push(`${r.id}${where} is unmanaged`);
    if (r.blocked) out.push(`${r.id}${where} is blocked`);
    if (r.failed) out.push(`${r.id}${where} is FAILED`);
    if (!r.active || !FINAL_ROLES.has(r.role)) out.push(`${r.id} is ${r.role}${where}`);
    // A monitor in flight is a check of a running resource, not a change (its failure would show up as
    // a failed action); recurring monitors run all the time and must not reset the stability window.
    else if (r.pending !== null && r.pending !== 'Monitoring') out.push(`${r.id} has a pending ${r.pending}${where}`);
  }
  const promoted = c.resources.filter((r) => r.role === 'Promoted' && r.active);
  if (promoted.length !== 1) out.push(`${promoted.length} promoted DRBD instances (expected exactly one)`);
  const primary = promoted.length === 1 ? promoted[0]!.nodes[0] : undefined;
  if (primary !== undefined) {
    for (const r of c.resources.filter((x) => x.parentKind === 'group' && x.active)) {
      if (!r.nodes.includes(primary)) out.push(`${r.id} runs on ${r.nodes.join(', ')}, not with the DRBD Primary on ${primary}`);
    }
  }
  return [...new Set(out)];
}

export interface FailedActions {
  /** One line per failed operation or fail count: resource, operation, node, exit status and reason. */
  lines: string[];
  /** The resources to clean up once the cause is fixed. */
  resources: string[];
}

/** Failed actions and fail counts: problems waiting cannot cure. Null when there are none. */
export function failedActions(c: CrmStatus): FailedActions | null {
  const lines: string[] = [];
  const resources = new Set<string>();
  for (const f of c.failures) {
    resources.add(f.resource);
    const interval = f.intervalMs ? ` (every ${Math.round(f.intervalMs / 1000)} s)` : '';
    const status = f.exitStatus ? `'${f.exitStatus}'` : 'an error';
    const code = f.exitCode !== null ? ` (exit ${f.exitCode})` : '';
    const reason = f.exitReason ? `: ${f.exitReason}` : '';
    lines.push(`${f.resource} ${f.task}${interval} on ${f.node} returned ${status}${code}${reason}${f.lastRcChange ? ` at ${f.lastRcChange}` : ''}`);
  }
  for (const fc of c.failCounts) {
    if (fc.failCount <= 0 || resources.has(fc.resource)) continue;
    resources.add(fc.resource);
    lines.push(`${fc.resource} on ${fc.node} has fail-count ${Number.isFinite(fc.failCount) ? fc.failCount : 'INFINITY'}${fc.lastFailure ? ` (last failure ${fc.lastFailure})` : ''}`);
  }
  // A fail count of a resource that also has a failed action is said once, with the failure.
  for (const fc of c.failCounts) {
    if (fc.failCount > 0 && c.failures.some((f) => f.resource === fc.resource && f.node === fc.node)) {
      const i = lines.findIndex((l) => l.startsWith(`${fc.resource} `) && l.includes(` on ${fc.node} `));
      if (i >= 0 && !lines[i]!.includes('fail-count')) lines[i] = `${lines[i]} [fail-count ${Number.isFinite(fc.failCount) ? fc.failCount : 'INFINITY'}]`;
    }
  }
  return lines.length ? { lines, resources: [...resources] } : null;
}

/** What to do about failed actions: fix the cause first, then clear them, then run apply again. */
export function failedActionsAdvice(f: FailedActions): string {
  const cleanup = f.resources.map((r) => `crm_resource --cleanup --resource ${r}`).join('; ');
  return (
    'Pacemaker recorded failed actions (above): it will not retry them by itself. Fix the cause first ' +
    '(the exit reason; the node\'s log: journalctl -u pacemaker), then clear them on either node with ' +
    `\`${cleanup}\` and run apply again.`
  );
}

/** Parses a Pacemaker interval ("31s", "1min", "500ms", "2h", plain seconds) into ms; null if unknown. */
export function intervalMs(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const f = unit.startsWith('ms') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : 3_600_000;
  return n * f;
}

/** The floor of the stability window. */
export const MIN_STABLE_MS = 30_000;
/** Time for the first recurring monitor to finish once it is due (the lab's took up to 5 s under TCG). */
export const MONITOR_MARGIN_MS = 15_000;

/**
 * How long the cluster must look settled, poll after poll, before apply says it runs: the longest
 * recurring monitor interval in our CIB plus a margin, at least 30 s. Why that and not the longest start
 * timeout (240 s for DRBD): a start still in flight is already visible (role Starting, a pending op) and
 * does not count as settled; what the window must catch is a resource that started and then fails —
 * its first recurring monitor, or a later member's start failing and the recovery stop of an earlier
 * one (the lab's p_nfsnotify/p_nfsserver failure) — and every resource's first monitor has run once
 * the longest interval has passed. Waiting 240 s on every run, a finished cluster's included, would
 * buy nothing more.
 */
export function stableWindowMs(cibXml: string): number {
  let longest = 0;
  for (const m of cibXml.matchAll(/<op\b[^>]*>/g)) {
    const tag = m[0];
    if (!/\bname="monitor"/.test(tag)) continue;
    const iv = /\binterval="([^"]*)"/.exec(tag)?.[1];
    const ms = iv !== undefined ? intervalMs(iv) : null;
    if (ms !== null && ms > longest) longest = ms;
  }
  return Math.max(MIN_STABLE_MS, longest + MONITOR_MARGIN_MS);
}

/** The resource whose type is `type` (e.g. nfsserver) in a CIB text, or null. */
export function primitiveIdOfType(cibXml: string, type: string): string | null {
  for (const m of cibXml.matchAll(/<primitive\b[^>]*>/g)) {
    if (new RegExp(`\\btype="${type}"`).test(m[0])) return /\bid="([^"]*)"/.exec(m[0])?.[1] ?? null;
  }
  return null;
}

