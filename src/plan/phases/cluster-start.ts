// Phase: Corosync and Pacemaker started early, with no resources yet (the configuration is loaded once
// DRBD is handed over): the nodes find each other and elect a DC while the disks are prepared. On the
// first node's background lane, the ping clone is loaded as soon as both nodes are online.
import type { NodeAnswers } from '../../answers/schema.js';
import type { PlanContext } from '../context.js';
import { CIB_QUERY, CRM_MON, crm } from '../judges.js';
import { BACKGROUND_JOIN } from '../order.js';
import { step, type PlanStep } from '../types.js';

export function clusterStart(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  return [
    step({
      // Repeatable: starting running units changes nothing, and the crm_mon read it saves took 0.4-3.6 s
      // right before the start on the lab.
      repeatable: true, id: `${n.name}/cluster-start`, node: n.name, title: 'start Corosync and Pacemaker', parallelGroup: '02-cluster-start',
      why: 'the cluster stack decides from now on where DRBD is Primary and NFS runs',
      commands: [['systemctl', 'start', 'corosync', 'pacemaker']],
      check: { kind: 'probe', argv: CRM_MON, describe: `Pacemaker runs with ${n.name} online`, judge: (r) => crm(r)?.nodes.some((x) => x.name === n.name && x.online) === true },
    }),
    step({
      repeatable: true, id: `${n.name}/cluster-enable`, node: n.name, title: 'enable Corosync and Pacemaker at boot', parallelGroup: '02-cluster-enable',
      background: { before: BACKGROUND_JOIN },
      // A node that was down (a crash, a reboot) must rejoin and resync by itself. Safe for two nodes:
      // corosync's two_node implies wait_for_all, so a node booting alone gets no quorum and starts
      // nothing until it has seen its peer once.
      why: 'a node that returns rejoins the cluster and resyncs DRBD by itself',
      // Only the boot symlinks of the two native units. SYSTEMCTL_SKIP_SYSV=1 (systemd's documented switch,
      // its ENVIRONMENT.md) skips syncing the packages' /etc/init.d scripts with update-rc.d: on systemd
      // the rc links decide nothing for a service that has its own unit, and that sync took 27-60 s per
      // node in the emulated lab. In the background, done before the configuration is loaded (nothing
      // CPU-heavy runs beside the cluster's first resource starts). --no-reload: the unit files did not change.
      commands: [['env', 'SYSTEMCTL_SKIP_SYSV=1', 'systemctl', 'enable', '--no-reload', 'corosync.service', 'pacemaker.service']],
      check: {
        kind: 'probe', argv: ['systemctl', 'is-enabled', 'corosync.service', 'pacemaker.service'], describe: 'corosync and pacemaker are enabled',
        judge: (r) => r.stdout.trim() !== '' && r.stdout.trim().split('\n').every((l) => l.trim() === 'enabled'),
      },
    }),
    // The cluster-wide steps run on the first node: its lane carries the early loads.
    ...(n === ctx.first ? pingFirst(ctx) : []),
  ];
}

/**
 * The ping clone first, on a fresh cluster, once both nodes are online: its probes, its start and its
 * first attribute (dampened) are done while the disks are prepared. The NFS group may run only where the
 * ping attribute is set (loc_nfs_needs_ping), so loaded with everything else it held the filesystem's
 * start back 13 s of the lab's settle (controller log, 2026-11-27 04:39). Never on a cluster that has
 * resources (the check, and the engine refuses the merge then).
 */
function pingFirst(ctx: PlanContext): PlanStep[] {
  const { a, first, checks } = ctx;
  return [
    step({
      id: 'cluster/early-online', node: first.name, cluster: true, title: 'wait until both nodes are online (for the early configuration)', parallelGroup: '02-cluster-enable',
      background: { before: BACKGROUND_JOIN },
      why: 'the ping clone, then the configuration with the NFS group held stopped, are loaded once both nodes are members and a DC is elected',
      script: { commands: [], stdin: {}, note: 'apply waits here only to load parts of the configuration early; this script waits for both nodes further down, before it loads the whole configuration' },
      // Done once nothing early is left to load: the wait also serves cluster/cib-held, which comes after
      // cluster/cib-ping in this lane (a run resumed after the ping clone was loaded still waits).
      check: checks.pastEarly,
      // Every 5 s, not 3: nothing but the ping clone waits for it, and each read takes CPU the disk steps
      // beside it need (on the lab the nodes took 36 s to come online after the cluster started).
      verify: { ...checks.onlineWithDc, intervalMs: 5000 },
    }),
    step({
      id: 'cluster/cib-ping', node: first.name, cluster: true, title: 'load the ping clone first', parallelGroup: '02-cluster-enable',
      background: { before: BACKGROUND_JOIN },
      why: 'the service-network check runs and publishes its attribute while the disks are prepared, so the service starts as soon as DRBD is promoted',
      commands: [['cibadmin', '--replace', '--scope', 'configuration', '--xml-pipe']],
      stdin: { 0: { kind: 'cib-merge', cib: ctx.early.ping, over: ctx.earlyIds } },
      script: { commands: [], stdin: {}, note: 'apply loads the ping clone first on a fresh cluster, to save time; this script loads the whole configuration at once further down' },
      check: { kind: 'probe', argv: CIB_QUERY, describe: 'the cluster has resources (the ping clone, or the whole configuration)', judge: checks.hasResources },
      doneIf: ['cluster/cib'],
    }),
  ];
}
