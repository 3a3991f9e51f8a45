// "The service runs" as apply's last wait judges it, from `crm_mon --output-as=xml` (parsed by the probes'
// one parser). Pure: a parsed status in, the reasons it is not settled out (empty = settled).
//
// Why this is stricter than "every resource active": on the lab
// (test/fixtures/lab/applied-nfsnotify-failed/) apply reported success while the last group member was still starting — crm_mon lists a
// starting resource with active="true" role="Starting" — and 1-4 minutes later that start failed and the
// recovery stop of the NFS server failed too. So: a resource counts only in a final role (Started,
// Promoted, Unpromoted) with no start/stop/promote/demote pending, where the constraints put it (the group
// on the node where DRBD is Promoted), and any failed action or fail count stops the wait at once (it
// never clears by itself: Pacemaker keeps it until `crm_resource --cleanup`).
//
// That still lets through a resource whose start succeeded and which then fails: its failure shows up only
// at its first recurring monitor. Pacemaker runs that monitor right after the start (and after a promote or
// demote, which swap the role's monitor), so instead of watching the cluster stay quiet for a time window
// (as apply did before: the longest monitor interval plus a margin, 46 s on every run), unconfirmedMonitors reads
// crm_mon's operation history: an instance is confirmed on its node once a recurring monitor there has
// returned ok (rc 0, or 8 for promoted) with a call id above that of the last start/promote/demote/
// migrate_from (the executor numbers calls per node in the order it starts them). A start still in flight
// is already visible (role Starting, a pending op), so with no fixed window a settled cluster is confirmed
// in seconds, and one whose first monitor fails never is.
// Pacemaker's interval syntax is read by the probes' parser (crm_mon prints it too): one reader for both.
import { intervalMs, type CrmStatus } from './crm-mon.js';

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
    // a failed action); recurring monitors run all the time.
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

/** The resource whose type is `type` (e.g. nfsserver) in a CIB text, or null. */
export function primitiveIdOfType(cibXml: string, type: string): string | null {
  for (const m of cibXml.matchAll(/<primitive\b[^>]*>/g)) {
    if (new RegExp(`\\btype="${type}"`).test(m[0])) return /\bid="([^"]*)"/.exec(m[0])?.[1] ?? null;
  }
  return null;
}


/** The operations that (re)start a role on a node: the first recurring monitor after the last of them is the proof. */
const ROLE_CHANGES = new Set(['start', 'promote', 'demote', 'migrate_from']);
/** 0 ok; 8 "promoted": what a Promoted instance's monitor returns when all is well. */
const MONITOR_OK = new Set([0, 8]);

/** A primitive id without its clone instance number ("p_drbd:1" -> "p_drbd"). */
function primitiveOf(id: string): string {
  return id.replace(/:\d+$/, '');
}

/**
 * Resource instances that run in a final role but whose first recurring monitor since their last
 * start/promote/demote/migrate_from on that node has not returned ok yet; [] = all confirmed. Only
 * primitives in `monitored` (monitoredPrimitives of our CIB) are required: one without a recurring monitor
 * never gets one, and waiting for it would never end.
 */
export function unconfirmedMonitors(c: CrmStatus, monitored: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const r of c.resources) {
    const prim = primitiveOf(r.id);
    if (!r.active || !FINAL_ROLES.has(r.role) || !monitored.has(prim)) continue;
    for (const node of r.nodes) {
      // crm_mon may print an anonymous clone's history under "p_x:0" while the instance is "p_x" (or the
      // other way round): all entries of the primitive on that node are one history.
      const ops = Object.entries(c.history[node] ?? {})
        .filter(([id]) => primitiveOf(id) === prim)
        .flatMap(([, o]) => o);
      let change: { call: number; task: string } | null = null;
      for (const o of ops) if (ROLE_CHANGES.has(o.task) && (change === null || o.call > change.call)) change = o;
      const after = change?.call ?? Number.NEGATIVE_INFINITY;
      const monitors = ops.filter((o) => o.task === 'monitor' && o.intervalMs > 0 && o.call > after);
      if (monitors.some((o) => o.rc !== null && MONITOR_OK.has(o.rc))) continue;
      const since = change ? ` after its ${change.task}` : '';
      // rc 193 is a monitor recorded while in flight; any other rc is a failure that failedActions names too.
      const bad = monitors.find((o) => o.rc !== null && o.rc !== 193);
      out.push(bad ? `${r.id} on ${node}: first monitor${since} returned rc ${bad.rc}` : `${r.id} on ${node}: first monitor${since} not reported yet`);
    }
  }
  return [...new Set(out)];
}

/**
 * Ids of the primitives in a CIB text that have an enabled recurring monitor (an <op name="monitor"> with
 * a non-zero interval): the ones whose first monitor unconfirmedMonitors waits for. A disabled monitor
 * (enabled="false") never runs, so it does not count.
 */
export function monitoredPrimitives(cibXml: string): Set<string> {
  const out = new Set<string>();
  for (const m of cibXml.matchAll(/<primitive\b([^>]*?)(?:\/>|>([\s\S]*?)<\/primitive>)/g)) {
    const id = /\bid="([^"]*)"/.exec(m[1] ?? '')?.[1];
    const ops = /<operations\b[^>]*>([\s\S]*?)<\/operations>/.exec(m[2] ?? '')?.[1];
    if (id === undefined || ops === undefined) continue;
    for (const op of ops.matchAll(/<op\b[^>]*>/g)) {
      const tag = op[0];
      if (!/\bname="monitor"/.test(tag) || /\benabled="false"/.test(tag)) continue;
      const iv = /\binterval="([^"]*)"/.exec(tag)?.[1];
      const ms = iv !== undefined ? intervalMs(iv) : null;
      if (ms !== null && ms > 0) {
        out.add(id);
        break;
      }
    }
  }
  return out;
}
