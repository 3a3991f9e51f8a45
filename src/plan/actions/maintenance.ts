// `maintenance on|off`: the cluster's maintenance-mode property. On: Pacemaker keeps watching but starts,
// stops, promotes and fails over nothing (the admin works on the stack by hand: an agent update, a
// resource-agents fix, a DRBD reconfiguration) while the service keeps running. Off: Pacemaker takes
// control again and re-checks every resource; whatever differs from the configuration is recovered.
// `crm_attribute --type crm_config --name maintenance-mode --update true|false`, read back from crm_mon's
// cluster_options (what the monitor shows, prominently, while it lasts).
import { succeeded, type RunResult } from '../../exec/runner.js';
import { parseCrmMon } from '../../probes/crm-mon.js';
import { parseCrmMonExtras } from '../../probes/crm-mon-extras.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';
import { FACT_ARGV } from './cluster-facts.js';
import type { ActionDef, ActionPlan } from './types.js';
import { maintenanceMode, serviceNode, serviceShape, type ServiceShape } from './service-facts.js';

export interface MaintenanceArgs {
  on: boolean;
}

/** crm_mon's cluster_options show maintenance-mode as wanted (and, when leaving it, the service running). */
export function maintenanceCheck(on: boolean, shape: ServiceShape | null): ProbeCheck {
  return {
    kind: 'probe',
    argv: FACT_ARGV.crmMon,
    describe: `crm_mon shows maintenance-mode=${on}${!on && shape ? ' and the service running on one node' : ''}`,
    judge: (r: RunResult) => {
      if (!succeeded(r)) return false;
      if (parseCrmMonExtras(r.stdout)?.maintenanceMode !== on) return false;
      if (on || !shape) return true;
      const p = parseCrmMon(r.stdout);
      return p.ok && serviceNode(p, shape) !== null;
    },
  };
}

export const maintenanceAction: ActionDef<MaintenanceArgs> = {
  words: ['maintenance'],
  parse(positionals) {
    const w = positionals[0];
    if (positionals.length !== 1 || (w !== 'on' && w !== 'off')) {
      return { ok: false, error: { field: 'on|off', message: `maintenance takes on or off (got ${positionals.length ? positionals.join(' ') : 'nothing'})` } };
    }
    return { ok: true, args: { on: w === 'on' } };
  },
  plan({ nodes, facts, args }): ActionPlan {
    const words = args.on ? 'maintenance on' : 'maintenance off';
    const none = { action: words, facts: [] as string[], steps: [] as PlanStep[], confirm: { kind: 'none' } as const, done: '', names: { raidDevice: '', drbdResource: '' } };
    const crm = facts.crm;
    if (!crm) return { ...none, summary: 'cannot read the cluster', refusals: [`${facts.crmError}; maintenance mode is set through a running Pacemaker`] };
    const shape = serviceShape(crm, facts.cib);
    const where = shape ? serviceNode(crm, shape) : null;
    const names = { raidDevice: '', drbdResource: shape?.drbdResource ?? '' };
    const now = facts.cib ? maintenanceMode(facts.cib) : null;
    if (now === args.on) return { ...none, names, summary: `nothing to do: maintenance-mode is already ${args.on}`, refusals: [], done: `maintenance-mode is ${args.on}` };
    const on = nodes.find((n) => crm.nodes.find((x) => x.name === n.name)?.online);
    const refusals = on ? [] : ['no reachable node is online in Pacemaker'];
    const check = maintenanceCheck(args.on, shape);
    return {
      action: words,
      summary: args.on ? 'Pacemaker stops acting (no start, stop, promote or failover) until maintenance off' : 'Pacemaker takes control again and re-checks every resource',
      facts: [
        where ? `the service runs on ${where}` : 'the service does not run on one node now',
        args.on
          ? 'while it lasts a failed node or service is NOT taken over: the monitor shows maintenance-mode=true as a warning'
          : 'whatever was changed by hand meanwhile is compared with the configuration and recovered (a stopped resource is started)',
      ],
      refusals,
      steps: [
        step({
          id: 'cluster/maintenance-mode',
          node: on?.name ?? nodes[0]?.name ?? '',
          cluster: true,
          title: `Set maintenance-mode=${args.on}`,
          why: args.on ? 'the admin works on the stack by hand while the service keeps running' : 'failover protection returns',
          commands: [['crm_attribute', '--type', 'crm_config', '--name', 'maintenance-mode', '--update', String(args.on)]],
          check,
          // Leaving maintenance: Pacemaker re-probes and may start what was stopped by hand (minutes under load).
          verify: { ...check, waitMs: args.on ? 30_000 : 300_000, intervalMs: 2_000 },
          parallelGroup: 'a2-act',
        }),
        step({
          id: 'cluster/read-back',
          node: on?.name ?? nodes[0]?.name ?? '',
          cluster: true,
          title: `Read back maintenance-mode=${args.on}`,
          why: 'the promise, read once more',
          verify: { ...check, waitMs: 30_000, intervalMs: 2_000 },
          parallelGroup: 'a7-read-back',
        }),
      ],
      confirm: { kind: 'yes', question: args.on ? 'Put the cluster in maintenance mode? Nothing fails over until maintenance off' : 'End maintenance mode? Pacemaker recovers whatever differs from its configuration' },
      done: args.on ? 'maintenance-mode is true: Pacemaker acts on nothing (hanfs-wizard maintenance off to end it)' : `maintenance-mode is false${where ? `; the service runs under Pacemaker's control` : ''}`,
      names,
    };
  },
};
