// Phase: the files the cluster and the disks need, and the CIB's start-up options, before the cluster
// starts. Written with Corosync's: the daemons' start-up takes the nodes' CPUs for about 15 s, and the
// lab's mdadm.conf and DRBD resource file writes took 6.5 and 4.5 s beside it (journals of 2026-11-27
// 10:50 and 11:02). mdadm.conf names the array (any:name), not its UUID, so it is complete before the
// array exists; the DRBD resource file needs nothing of the disks (`drbdadm adjust` only where it is up).
import type { NodeAnswers } from '../../answers/schema.js';
import { renderCrmConfigXml } from '../../generate/cib-xml.js';
import type { PlanContext } from '../context.js';
import { CIB_SEED_SCRIPT, PACEMAKER_CIB_PATH, cibSeeded, parseCibSeedState } from '../cib-seed.js';
import { fileStep } from '../node-files.js';
import { oneLine } from '../sh.js';
import corosyncReloadSh from '../sh/corosync-reload.sh';
import drbdAdjustIfUpSh from '../sh/drbd-adjust-if-up.sh';
import { step, type PlanStep } from '../types.js';

export function configFiles(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const { a, res } = ctx;
  return [
    fileStep(a, n.name, '/etc/corosync/authkey', '02-corosync', { why: 'generated once from the CSPRNG, the same on both nodes, 0400' }),
    fileStep(a, n.name, '/etc/mdadm/mdadm.conf', '02-corosync', { why: 'names the array so it assembles as itself at boot' }),
    fileStep(a, n.name, '/etc/corosync/corosync.conf', '02-corosync', {
      reload: ['sh', '-c', oneLine(corosyncReloadSh)],
      why: 'both nodes, the replication link as ring 0; a running cluster reloads it, a package\'s default one is stopped',
    }),
    fileStep(a, n.name, `/etc/drbd.d/${res}.res`, '02-corosync', {
      reload: ['sh', '-c', oneLine(drbdAdjustIfUpSh), '--', res],
      why: 'the DRBD resource, identical on both nodes, with the shared secret; a running resource is adjusted in place',
    }),
    cibSeed(ctx, n),
  ];
}

function cibSeed(ctx: PlanContext, n: NodeAnswers): PlanStep {
  const { seedPairs } = ctx;
  return step({
    repeatable: true, id: `${n.name}/cib-seed`, node: n.name, title: 'set the cluster\'s start-up options before its first start', parallelGroup: '02-corosync',
    why: 'a first start elects its DC after 5 s instead of 20 s, and the first transitions are not throttled by the load average',
    // Before the first start the CIB is empty, so Pacemaker's defaults rule until the first
    // configuration load: both controllers sat 21.6 s in S_PENDING (dc-deadtime, 20 s) and the
    // first transitions ran one action at a time (load-threshold 80%: "High CPU load detected").
    // Seeded (the lab, 2026-11-27): S_PENDING to the DC's integration in 4.8 s, systemctl start to
    // both nodes online in 17 s instead of 35-45 s. Same values as the configuration's properties.
    commands: [['sh', '-c', CIB_SEED_SCRIPT, '--', PACEMAKER_CIB_PATH]],
    stdin: { 0: { kind: 'text', text: renderCrmConfigXml(seedPairs) } },
    check: { kind: 'probe', argv: ctx.seedState, describe: `the CIB sets ${seedPairs.map(([k, v]) => `${k}=${v}`).join(', ')} (or holds resources)`, judge: (r) => cibSeeded(parseCibSeedState(r), seedPairs) },
    // No verify read: cibadmin exits non-zero when libcib did not write the file (set -e), and the
    // read would cost a round trip right before the start. The configuration's first load sets the
    // same properties through the cluster in any case.
  });
}
