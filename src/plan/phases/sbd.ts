// Phase: SBD (issue 26), when the answers choose it: /etc/default/sbd on both nodes, the slots written
// once on the shared disk (`sbd create`: destructive, the disk reviewed and confirmed by typing like the
// RAID members, re-probed right before), the header read back from the other node (the disk is really
// shared), sbd enabled so that it starts with Corosync, and running once the cluster is. The watchdog and
// the disk were checked by the preflight (preflight.ts); the fence device (fence_sbd) and the timeouts
// are the CIB's (cib-model.ts, from sbd.ts's formulas).
import type { NodeAnswers } from '../../answers/schema.js';
import { sbdOf } from '../../answers/schema.js';
import { SBD_DEFAULTS_PATH } from '../../generate/sbd.js';
import { sbdCreateStepParts } from '../../generate/fencing-steps.js';
import type { PlanContext } from '../context.js';
import { fileStep } from '../node-files.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';

/** The file, the slots and the boot enablement: before the cluster starts (sbd starts with Corosync). */
export function sbdSetup(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const sbd = sbdOf(ctx.a.pacemaker.stonith);
  if (!sbd) return [];
  const parts = sbdCreateStepParts(ctx.a);
  const header: ProbeCheck | null = parts && { kind: 'probe', argv: parts.check, describe: parts.describe, judge: parts.done };
  const out: PlanStep[] = [
    fileStep(ctx.a, n.name, SBD_DEFAULTS_PATH, '02-corosync', { why: 'the same on both nodes: the disk, the watchdog and its timeout sbd uses' }),
  ];
  if (parts && header && n === ctx.first) {
    out.push(step({
      id: 'cluster/sbd-create', node: n.name, cluster: true, title: `write SBD's slots on ${parts.wipes[0]}`, parallelGroup: '02-sbd',
      destructive: true, wipes: parts.wipes,
      why: 'each node reads its slot there: a fence is a message in the target\'s slot (sbd(8)); the timeouts go into the header',
      commands: [parts.command],
      // Never over a header that already has our timeouts: a live SBD disk is not re-created.
      check: header,
      verify: header,
    }));
  }
  if (parts && header && n !== ctx.first) {
    out.push(step({
      id: `${n.name}/sbd-header`, node: n.name, title: `read SBD's header on ${parts.wipes[0]}`, parallelGroup: '02-sbd-enable',
      why: `${ctx.first.name} wrote it: seen here, the disk is really shared between the nodes`,
      check: header,
      verify: { ...header, advice: () => `pacemaker.stonith.sbd.device: ${n.name} does not see the header ${ctx.first.name} wrote on ${parts.wipes[0]}: it is not the same shared disk on both nodes.` },
    }));
  }
  out.push(step({
    repeatable: true, id: `${n.name}/sbd-enable`, node: n.name, title: 'enable sbd', parallelGroup: '02-sbd-enable',
    // sbd.service refuses a manual start (RefuseManualStart): enabled, Corosync's start pulls it in
    // (RequiredBy=corosync.service) and a Corosync without its sbd does not start.
    why: 'sbd starts with Corosync, before Pacemaker, and resets the node when it loses quorum or Pacemaker',
    commands: [['env', 'SYSTEMCTL_SKIP_SYSV=1', 'systemctl', 'enable', 'sbd.service']],
    check: { kind: 'probe', argv: ['systemctl', 'is-enabled', 'sbd.service'], describe: 'sbd is enabled', judge: (r) => r.stdout.trim() === 'enabled' },
  }));
  return out;
}

/** After the cluster start: sbd runs (a cluster that ran before sbd was enabled needs a restart). */
export function sbdRunning(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  if (!sbdOf(ctx.a.pacemaker.stonith)) return [];
  const active: ProbeCheck = { kind: 'probe', argv: ['systemctl', 'is-active', 'sbd.service'], describe: `sbd runs on ${n.name}`, judge: (r) => r.stdout.trim() === 'active' };
  return [step({
    id: `${n.name}/sbd-running`, node: n.name, title: 'check that sbd runs', parallelGroup: '02-cluster-start',
    why: 'without sbd, a fence through the SBD disk would wait for a node that never resets itself',
    check: active,
    verify: {
      ...active, waitMs: 30_000,
      advice: () => `sbd starts only with Corosync: if the cluster ran before SBD was configured, restart the cluster stack on ${n.name} (systemctl restart corosync, which stops and starts Pacemaker too) when it may move the service, then run apply again; else journalctl -u sbd says why.`,
    },
  })];
}
