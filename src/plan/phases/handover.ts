// Phase: each node hands DRBD and the NFS server over to Pacemaker; the configuration is loaded once
// both nodes are online (early, with the NFS group held stopped, on a fresh cluster; then whole).
import type { NodeAnswers } from '../../answers/schema.js';
import { CIB_SECTIONS, cibDifferences } from '../../generate/cib-merge.js';
import type { PlanContext } from '../context.js';
import { CIB_QUERY, DRBD_STATUS, drbdRes, ok } from '../judges.js';
import { BACKGROUND_JOIN } from '../order.js';
import { oneLine } from '../sh.js';
import drbdSecondaryIfUpSh from '../sh/drbd-secondary-if-up.sh';
import nfsStopUnlessManagedSh from '../sh/nfs-stop-unless-managed.sh';
import loadCibSectionSh from '../sh/load-cib-section.sh';
import { step, type PlanStep } from '../types.js';

export function handover(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const { res } = ctx;
  return [
    step({
      repeatable: true, id: `${n.name}/nfs-unit`, node: n.name, title: 'keep the NFS server off at boot', parallelGroup: '12-handover',
      why: 'Pacemaker starts it where DRBD is Primary; not masked, because ocf:heartbeat:nfsserver starts it through systemctl',
      // Stopped too (the package started it), unless Pacemaker already runs it: Pacemaker starts before
      // its configuration is loaded, so "Pacemaker runs" does not mean it owns the NFS server yet.
      // Before the hand-over, so before cluster/cib-held: its probes then find no NFS server running.
      commands: [['systemctl', 'disable', 'nfs-server.service'], ['sh', '-c', oneLine(nfsStopUnlessManagedSh)]],
      check: { kind: 'probe', argv: ['systemctl', 'is-enabled', 'nfs-server.service'], describe: 'nfs-server.service is disabled', judge: (r) => /^(disabled|masked)\s*$/.test(r.stdout) },
    }),
    step({
      id: `${n.name}/drbd-handover`, node: n.name, title: `hand ${res} over to Pacemaker`, parallelGroup: '12-handover',
      why: 'Pacemaker promotes and demotes DRBD itself; it must find the resource Secondary (up, or down)',
      // Demoted, not taken down: ocf:linbit:drbd's probe reports an up Secondary as running (its
      // drbd_status: OCF_SUCCESS, "running/slave") and sets its promotion score, so Pacemaker adopts it
      // and promotes at once, where a resource taken down needs a start with its notifications on both
      // nodes first (about 28 s of the lab's settle, bench of 2026-11-26 13:42). Down is as good for
      // Pacemaker (a node that rebooted since): then it starts it.
      commands: [['sh', '-c', oneLine(drbdSecondaryIfUpSh), '--', res]],
      check: {
        kind: 'probe', argv: DRBD_STATUS, describe: `${res} is Secondary or down (Pacemaker promotes it)`,
        judge: (r) => { const s = drbdRes(r, res); return s === null || s.role === 'Secondary'; },
      },
      doneIf: ['cluster/cluster-online'],
    }),
    // The cluster-wide steps run on the first node: its lane carries the early loads.
    ...(n === ctx.first ? [heldEarly(ctx)] : []),
  ];
}

/**
 * The whole configuration next, with the NFS group held stopped (target-role=Stopped), once both nodes
 * handed DRBD over, in the first node's background lane while the NFS files are written: Pacemaker probes
 * every resource on both nodes and promotes DRBD meanwhile, so cluster/cib only lets the group start.
 * Loaded in one go, the lab's settle spent 12-25 s from the load to the promote (apply journals of
 * 2026-11-27 06:47, 07:45 and 08:27). Nothing mounts or serves before cluster/cib: the group is stopped.
 * Only over the ping clone and the fence devices (the merge is refused otherwise).
 */
function heldEarly(ctx: PlanContext): PlanStep {
  return step({
    id: 'cluster/cib-held', node: ctx.first.name, cluster: true, title: 'load the configuration with the NFS group held stopped', parallelGroup: '12-cib-held',
    background: { before: BACKGROUND_JOIN },
    why: 'Pacemaker probes every resource and promotes DRBD while the NFS files are written, so the service starts as soon as the group is let go',
    commands: [['cibadmin', '--replace', '--scope', 'configuration', '--xml-pipe']],
    stdin: { 0: { kind: 'cib-merge', cib: ctx.early.held, over: ctx.earlyIds } },
    script: { commands: [], stdin: {}, note: 'apply loads the configuration early with the NFS group stopped on a fresh cluster, to save time; this script loads the whole configuration at once further down' },
    check: ctx.checks.pastEarly,
    doneIf: ['cluster/cib'],
  });
}

/** Both nodes online, then the whole configuration: what lets the service start. */
export function takeover(ctx: PlanContext): PlanStep[] {
  const { first, checks, cib } = ctx;
  return [
    step({
      id: 'cluster/cluster-online', node: first.name, cluster: true, title: 'wait until both nodes are online', parallelGroup: '16-cluster-online',
      why: 'the configuration is loaded once both nodes are members and a DC is elected',
      check: checks.clusterOwnsDrbd,
      verify: { ...checks.onlineWithDc, intervalMs: 3000 },
    }),
    step({
      id: 'cluster/cib', node: first.name, cluster: true, title: 'load the Pacemaker configuration', parallelGroup: '17-cib',
      why: 'resources (DRBD, filesystem, NFS server, exports, virtual IP, ping) and their constraints; only sections that differ from the live CIB are written',
      // One replace of the whole configuration, computed from the live CIB right before it runs: resources
      // and constraints change together (a constraint naming a removed resource is invalid on its own), and
      // everything Pacemaker keeps there (nodes, its own properties) stays.
      commands: [['cibadmin', '--replace', '--scope', 'configuration', '--xml-pipe']],
      stdin: { 0: { kind: 'cib-merge', cib } },
      script: {
        note: 'a fresh cluster has no resources yet: load the sections of cluster/cib.xml one by one (apply computes one replace from the live CIB instead)',
        // Read from the export tree, not inlined: with STONITH the CIB carries fence credentials, which
        // must stay in the owner-only cluster/cib.xml.
        commands: CIB_SECTIONS.map((x) => ['sh', '-c', oneLine(loadCibSectionSh), 'sh', x.name, 'cluster/cib.xml', x.merge ? '--modify' : '--replace']),
        stdin: {},
      },
      check: { kind: 'probe', argv: CIB_QUERY, describe: 'the live CIB holds exactly these resources and constraints', judge: (r) => ok(r) && cibDifferences(r.stdout, cib).length === 0 },
      interruptsService: 'Pacemaker restarts the resources whose parameters change (a moved virtual IP, a changed export)',
    }),
  ];
}
