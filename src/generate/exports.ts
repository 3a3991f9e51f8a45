// The NFS exports, in one place: the exports(5) lines checked by `exportfs` in the tests and the
// Pacemaker exportfs resources (clientspec, options, fsid) both come from exportEntries(), so what was
// validated is what the cluster exports.
import type { Answers } from '../answers/schema.js';
import { exportFsid } from '../answers/derived.js';

export interface ExportEntry {
  path: string;
  /** One host, CIDR or wildcard (exports(5) clientspec). */
  clients: string;
  /** The admin's options, without fsid. */
  options: string;
  /**
   * Stable per export: the file handles clients hold encode it, so after a failover the other node serves
   * the same handles (without it the fsid would derive from the device number, which can differ).
   */
  fsid: number;
}

export function exportEntries(a: Pick<Answers, 'nfs'>): ExportEntry[] {
  return a.nfs.exports.map((e, i) => ({ path: e.path, clients: e.clients, options: e.options, fsid: exportFsid(i) }));
}

/** options plus fsid, as exportfs wants them: "rw,sync,no_subtree_check,fsid=1". */
export function exportOptions(e: ExportEntry): string {
  return `${e.options},fsid=${e.fsid}`;
}

/**
 * /etc/exports-style lines. On the cluster, Pacemaker's exportfs resources export these (never
 * /etc/exports, which would export on the passive node too); the lines are for review and validation.
 * No space between clients and "(": with one, exports(5) exports to the world.
 */
export function renderExportsLines(a: Pick<Answers, 'nfs'>): string {
  return exportEntries(a)
    .map((e) => `${e.path} ${e.clients}(${exportOptions(e)})\n`)
    .join('');
}
