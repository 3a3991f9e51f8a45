// The files apply installs on each node, as one list: the export tree (export-layout.ts) renders each
// into <node>/<target>, and the plan (src/plan/node-files.ts) writes each from there. One list, so the
// plan and the export tree cannot disagree about a target, a mode or a secret.
import { sbdOf, type Answers, type NodeAnswers } from '../answers/schema.js';
import type { Secrets } from './secrets.js';
import { renderMdadmConf } from './mdadm-conf.js';
import { renderDrbdRes } from './drbd-res.js';
import { renderCorosyncConf } from './corosync-conf.js';
import { FSIDD_DROPIN_PATH, NFS_SCOPE_DROPIN_PATH, NFSDCLD_DROPIN_PATH, renderFsiddDropin, renderNfsConf, renderNfsdcldDropin, renderNfsScopeDropin } from './nfs-conf.js';
import { renderSnapshotService, renderSnapshotTimer } from './snapshot-units.js';
import { renderSnapshotScript } from './snapshot-script.js';
import { SBD_DEFAULTS_PATH, renderSbdDefaults } from './sbd.js';

export const SNAPSHOT_SCRIPT_PATH = '/usr/local/sbin/hanfs-snapshot';

export interface NodeFile {
  /** Absolute path on the node. */
  target: string;
  mode: number;
  /** The bytes carry a secret: never shown, never logged. */
  secret: boolean;
  render: (a: Answers, node: NodeAnswers, secrets: Secrets) => string | Buffer;
}

/** Every node file, in the export tree's order. */
export function nodeFiles(a: Answers): NodeFile[] {
  const file = (target: string, mode: number, render: NodeFile['render'], secret = false): NodeFile => ({ target, mode, secret, render });
  return [
    file('/etc/mdadm/mdadm.conf', 0o644, (x, n) => renderMdadmConf(x, n)),
    file(`/etc/drbd.d/${a.drbd.resource}.res`, 0o600, (x, _n, s) => renderDrbdRes(x, s.drbdSecret), true),
    file('/etc/corosync/corosync.conf', 0o644, (x) => renderCorosyncConf(x)),
    file('/etc/corosync/authkey', 0o400, (_x, _n, s) => s.corosyncAuthkey, true),
    file('/etc/nfs.conf.d/hanfs.conf', 0o644, (x) => renderNfsConf(x)),
    file(NFSDCLD_DROPIN_PATH, 0o644, (x) => renderNfsdcldDropin(x)),
    file(FSIDD_DROPIN_PATH, 0o644, (x) => renderFsiddDropin(x)),
    file(NFS_SCOPE_DROPIN_PATH, 0o644, (x) => renderNfsScopeDropin(x)),
    file('/etc/systemd/system/hanfs-snapshot.service', 0o644, (x) => renderSnapshotService(x)),
    file('/etc/systemd/system/hanfs-snapshot.timer', 0o644, (x) => renderSnapshotTimer(x)),
    file(SNAPSHOT_SCRIPT_PATH, 0o755, (x) => renderSnapshotScript(x)),
    // Only with SBD: the other answers' trees stay as they were.
    ...(sbdOf(a.pacemaker.stonith) ? [file(SBD_DEFAULTS_PATH, 0o644, (x) => renderSbdDefaults(x))] : []),
  ];
}
