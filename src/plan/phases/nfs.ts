// Phase: what the NFS service needs on each node (mount point, configuration, snapshot units), and the
// restart of a running NFS server whose configuration changed.
import type { NodeAnswers } from '../../answers/schema.js';
import { FSIDD_DROPIN_PATH, NFS_SCOPE_DROPIN_PATH, NFSDCLD_DROPIN_PATH, STATD_DIR } from '../../generate/nfs-conf.js';
import { SNAPSHOT_SCRIPT_PATH } from '../../generate/node-files.js';
import { primitiveIdOfType } from '../../probes/cluster-settle.js';
import type { PlanContext } from '../context.js';
import { ok } from '../judges.js';
import { NFS_SERVER_STATE_SCRIPT, nfsRestartNeeded, nfsServerRunsHere } from '../nfs-server-state.js';
import { fileStep } from '../node-files.js';
import { OUR_UNITS, UNITS_STATE_ARGV, unitsLoaded } from '../units.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';

export function nfs(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const { a } = ctx;
  return [
    step({
      repeatable: true, id: `${n.name}/mountpoint`, node: n.name, title: `create the mount point ${a.filesystem.mount}`, parallelGroup: '13-nfs',
      why: 'the Filesystem resource mounts the replicated filesystem there on whichever node is Primary',
      commands: [['mkdir', '-p', a.filesystem.mount]],
      check: { kind: 'probe', argv: ['test', '-d', a.filesystem.mount], describe: `${a.filesystem.mount} is a directory`, judge: ok },
    }),
    fileStep(a, n.name, '/etc/nfs.conf.d/hanfs.conf', '13-nfs'),
    fileStep(a, n.name, NFSDCLD_DROPIN_PATH, '13-nfs', { why: 'nfsdcld stops with the NFS server, so the cluster can unmount the NFS state directory when the service moves' }),
    fileStep(a, n.name, NFS_SCOPE_DROPIN_PATH, '13-nfs', { why: 'the NFS server has the virtual IP as its server scope on both nodes, so clients reclaim their state after a failover' }),
    fileStep(a, n.name, SNAPSHOT_SCRIPT_PATH, '13-nfs'),
    fileStep(a, n.name, '/etc/systemd/system/hanfs-snapshot.service', '13-nfs'),
    fileStep(a, n.name, '/etc/systemd/system/hanfs-snapshot.timer', '13-nfs'),
    // Last of the files, with its own reload: systemd reads every file above at once, and the check of the
    // next step (the units OUR_UNITS names) then finds nothing to reload. fsidd is not among OUR_UNITS:
    // Debian 12 has no such unit, and a re-apply that only adds this drop-in still gets it read here.
    fileStep(a, n.name, FSIDD_DROPIN_PATH, '13-nfs', { reload: ['systemctl', 'daemon-reload'], why: 'fsidd (Debian 13) stops with the NFS server, so the cluster can unmount the NFS state directory when the service moves' }),
    step({
      repeatable: true, id: `${n.name}/systemd-reload`, node: n.name, title: 'make systemd read the new unit files', parallelGroup: '13-nfs',
      why: 'the snapshot units and the NFS drop-ins take effect once systemd has read them',
      // One reload for all of them (each costs 5-10 s under emulation), and only when systemd's own
      // state says it has not read them all (unitsLoaded: loaded, not changed since, our drop-ins in).
      commands: [['systemctl', 'daemon-reload']],
      check: { kind: 'probe', argv: UNITS_STATE_ARGV, describe: `systemd has read the current ${OUR_UNITS.join(', ')}`, judge: unitsLoaded },
    }),
    step({
      repeatable: true, id: `${n.name}/snapshot-timer`, node: n.name, title: 'enable the snapshot timer', parallelGroup: '13-nfs',
      why: `LVM snapshots (${a.backups.snapshots.schedule}, keep ${a.backups.snapshots.keep}); the script acts only where DRBD is Primary`,
      commands: [['systemctl', 'enable', '--no-reload', '--now', 'hanfs-snapshot.timer']],
      check: { kind: 'probe', argv: ['systemctl', 'is-enabled', 'hanfs-snapshot.timer'], describe: 'hanfs-snapshot.timer is enabled', judge: (r) => /^enabled\s*$/.test(r.stdout) },
    }),
    // NFSv3: statd's directory where the cluster's agents look for it (STATD_DIR, nfs-conf.ts). Local on
    // each node, and it must exist before ocf:heartbeat:nfsserver starts there: the agent checks for it
    // before it bind-mounts the replicated state directory, and only then creates sm/ and sm.bak/ in that
    // one. Owned by statd like Debian's own /var/lib/nfs/sm (statd drops to the owner of sm/). After the
    // files, not between them: the engine writes consecutive plain files to a node in one command.
    ...(a.nfs.versions.includes(3) ? [step({
      repeatable: true, id: `${n.name}/statd-dir`, node: n.name, title: `create statd's directory ${STATD_DIR}`, parallelGroup: '13-nfs',
      why: 'statd keeps the NFSv3 clients to notify after a failover there, where the nfsserver and nfsnotify resources look for them',
      commands: [['mkdir', '-p', STATD_DIR, `${STATD_DIR}/sm`, `${STATD_DIR}/sm.bak`], ['chown', 'statd:nogroup', STATD_DIR, `${STATD_DIR}/sm`, `${STATD_DIR}/sm.bak`]],
      check: { kind: 'probe', argv: ['test', '-d', `${STATD_DIR}/sm.bak`], describe: `${STATD_DIR}/sm.bak is a directory`, judge: ok },
    })] : []),
  ];
}

/**
 * A changed NFS server configuration takes effect only when the server starts again: restarted through
 * Pacemaker where it runs (never systemctl behind its back), only when the running server is older than
 * the configuration (state, not memory: a run interrupted between writing and restarting still restarts
 * it the next time). The scope drop-in too: a changed virtual IP changes the server's scope, which
 * rpc.nfsd takes only at its start.
 */
export function nfsRestart(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const nfsRsc = primitiveIdOfType(ctx.cib, 'nfsserver');
  if (nfsRsc === null) return [];
  const nfsConfigs = ['/etc/nfs.conf.d/hanfs.conf', NFS_SCOPE_DROPIN_PATH];
  const fresh: ProbeCheck = {
    kind: 'probe', argv: ['sh', '-c', NFS_SERVER_STATE_SCRIPT, '--', nfsRsc, n.name, ...nfsConfigs],
    describe: `no NFS server running on ${n.name} predates ${nfsConfigs.join(', ')}`,
    judge: (r) => !nfsRestartNeeded(r),
  };
  return [
    step({
      id: `${n.name}/nfs-restart`, node: n.name, title: `restart the NFS server on ${n.name} if its configuration changed`, parallelGroup: '17-nfs-restart',
      why: `${nfsConfigs.join(', ')} changed after the running NFS server started: it reads it only when it starts`,
      // crm_resource(8), Pacemaker 2.1: "--restart: Tell the cluster to restart this resource and
      // anything that depends on it" (it stops and starts it where it runs and waits for both, with the
      // resource's own operation timeouts); `pcs resource restart` is the same call.
      commands: [['crm_resource', '--restart', '--resource', nfsRsc]],
      script: {
        commands: [], stdin: {},
        note: `on a running cluster whose ${nfsConfigs.join(', ')} changed, and only on the node where ${nfsRsc} runs: crm_resource --restart --resource ${nfsRsc} (apply decides from the node's state)`,
      },
      check: fresh,
      alsoAfter: { steps: nfsConfigs.map((t) => `${n.name}/file:${t}`), judge: nfsServerRunsHere, describe: `the NFS server runs on ${n.name}` },
      verify: { ...fresh, waitMs: 300_000, intervalMs: 3000 },
      interruptsService: `restarts ${nfsRsc} through Pacemaker on ${n.name}, where it runs (with the exports and the virtual IP after it): NFS clients stall briefly and then carry on (up to the NFSv4 grace period)`,
    }),
  ];
}
