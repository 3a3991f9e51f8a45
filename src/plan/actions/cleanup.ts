// `cleanup [RESOURCE]`: forgets the failed actions and fail counts of one resource (or all), after
// showing them. Pacemaker keeps a failure until it is cleaned up, and a fail count at the migration
// threshold bans the resource from that node: after the cause is fixed, this is what lets it run there
// again. `crm_resource --cleanup` also re-probes the resource's state on every node, so what the monitor
// shows afterwards is the cluster's fresh reading, not the old failure.
import type { RunResult } from '../../exec/runner.js';
import { succeeded } from '../../exec/runner.js';
import { parseCrmMon, type CrmStatus } from '../../probes/crm-mon.js';
import { step, type ProbeCheck, type PlanStep } from '../types.js';
import { FACT_ARGV } from './cluster-facts.js';
import type { ActionDef, ActionPlan } from './types.js';

export interface CleanupArgs {
  /** A resource id as the CIB names it (a clone instance's ":0" suffix is not part of it); null: all. */
  resource: string | null;
}

const RESOURCE_ID = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

/** A clone instance (`p_drbd:0`) is its primitive's resource for cleanup. */
const baseId = (id: string) => id.replace(/:\d+$/, '');

function mine(resource: string | null) {
  return (id: string) => resource === null || baseId(id) === resource;
}

/** What is left to clean: failed actions and fail counts of the resource (or all). */
export function leftovers(crm: CrmStatus, resource: string | null): { failures: CrmStatus['failures']; failCounts: CrmStatus['failCounts'] } {
  const m = mine(resource);
  return { failures: crm.failures.filter((f) => m(f.resource)), failCounts: crm.failCounts.filter((c) => m(c.resource) && c.failCount > 0) };
}

function cleanJudge(resource: string | null) {
  return (r: RunResult): boolean => {
    if (!succeeded(r)) return false;
    const p = parseCrmMon(r.stdout);
    if (!p.ok) return false;
    const l = leftovers(p, resource);
    return l.failures.length === 0 && l.failCounts.length === 0;
  };
}

export const cleanupAction: ActionDef<CleanupArgs> = {
  words: ['cleanup'],
  parse(positionals) {
    if (positionals.length > 1) return { ok: false, error: { field: 'RESOURCE', message: `one resource at most (got ${positionals.join(' ')}); without one, every resource is cleaned up` } };
    const r = positionals[0] ?? null;
    if (r !== null && !RESOURCE_ID.test(r)) return { ok: false, error: { field: 'RESOURCE', message: `"${r}" is not a resource id (letters, digits, _ . : -); crm_mon -1 lists them` } };
    return { ok: true, args: { resource: r === null ? null : baseId(r) } };
  },
  plan({ nodes, facts, args }): ActionPlan {
    const base = { action: 'cleanup', names: { raidDevice: '', drbdResource: '' } };
    const crm = facts.crm;
    if (!crm) return { ...base, summary: 'cannot read the cluster', facts: [], refusals: [`${facts.crmError}; cleanup needs a running Pacemaker`], steps: [], confirm: { kind: 'none' }, done: '' };
    if (args.resource !== null) {
      const known = new Set([...crm.resources.map((r) => baseId(r.id)), ...crm.resources.map((r) => r.parent).filter((x): x is string => x !== null), ...(facts.cib?.primitives.map((p) => p.id) ?? [])]);
      if (!known.has(args.resource)) {
        return { ...base, summary: '', facts: [], refusals: [], bad: { field: 'RESOURCE', message: `"${args.resource}" is no resource of this cluster; known: ${[...known].sort().join(', ')}` }, steps: [], confirm: { kind: 'none' }, done: '' };
      }
    }
    const what = args.resource ?? 'every resource';
    const l = leftovers(crm, args.resource);
    const shown = [
      ...l.failures.map((f) => `failed: ${f.resource} ${f.task}${f.intervalMs ? ` (every ${f.intervalMs / 1000} s)` : ''} on ${f.node}: ${f.exitStatus}${f.exitReason ? ` (${f.exitReason})` : ''}, at ${f.lastRcChange}`),
      ...l.failCounts.map((c) => `fail count: ${c.resource} on ${c.node}: ${c.failCount}${c.lastFailure ? `, last at ${c.lastFailure}` : ''}`),
    ];
    if (shown.length === 0) {
      return { ...base, summary: `nothing to clean up: ${what} has no failed actions and no fail counts`, facts: [], refusals: [], steps: [], confirm: { kind: 'none' }, done: 'nothing was to clean up' };
    }
    // Any node with a running Pacemaker can clean up for the whole cluster: the first online one.
    const online = crm.nodes.filter((n) => n.online).map((n) => n.name);
    const on = nodes.find((n) => online.includes(n.name));
    if (!on) return { ...base, summary: `clean up ${what}`, facts: shown, refusals: ['no node is online in Pacemaker; start the cluster first'], steps: [], confirm: { kind: 'none' }, done: '' };
    const check: ProbeCheck = { kind: 'probe', argv: FACT_ARGV.crmMon, describe: `crm_mon shows no failed action and no fail count of ${what}`, judge: cleanJudge(args.resource) };
    const steps: PlanStep[] = [
      step({
        id: 'cluster/cleanup',
        node: on.name,
        cluster: true,
        title: `Clean up the failures of ${what}`,
        why: 'forgets the failed actions and fail counts, so Pacemaker may run the resource there again, and re-probes its state on every node',
        commands: [['crm_resource', '--cleanup', ...(args.resource ? ['--resource', args.resource] : [])]],
        check,
        // Pacemaker re-probes after a cleanup: the failures are gone once the probes reported (seconds;
        // a loaded node takes longer). A failure that comes back is the cause still being there.
        verify: { ...check, waitMs: 60_000, intervalMs: 2_000, explain: () => ['a failure is still listed: if it came back, its cause is still there (see crm_mon -1 -f)'] },
        parallelGroup: 'a2-act',
      }),
    ];
    return {
      ...base,
      summary: `clean up ${l.failures.length} failed action(s) and ${l.failCounts.length} fail count(s) of ${what}`,
      facts: shown,
      refusals: [],
      steps,
      confirm: { kind: 'yes', question: `Clean up the failures of ${what}? (fix their cause first, or they come back)` },
      done: `crm_mon shows no failed action and no fail count of ${what}`,
    };
  },
};
