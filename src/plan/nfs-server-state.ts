// Whether the NFS server must restart for its configuration (src/plan/phases/nfs.ts, "<node>/nfs-restart").
import type { RunResult } from '../exec/runner.js';
import { parseNfsServerState } from '../probes/nfs-server-state.js';
import { escapeRegExp } from './judges.js';
import { oneLine } from './sh.js';
import nfsServerStateSh from './sh/nfs-server-state.sh';

/**
 * Prints what decides whether the NFS server must restart ($1 the Pacemaker resource, $2 this node's
 * name, then the configuration files): where Pacemaker runs the resource, whether nfs-server.service is
 * active here, when it became active and the newest configuration file's mtime. Read-only.
 */
export const NFS_SERVER_STATE_SCRIPT = oneLine(nfsServerStateSh);

/**
 * A restart is needed when Pacemaker runs the NFS server on this node, the unit is active and it became
 * active before the configuration was last written. Same second counts as "after" (timestamps are whole
 * seconds): a restart right after the write must not be asked again by the next run.
 */
export function nfsRestartNeeded(r: RunResult): boolean {
  const f = parseNfsServerState(r);
  if (f === null || !nfsServerRunsHere(r)) return false;
  const started = Number(f.started);
  const config = Number(f.config);
  return Number.isFinite(started) && Number.isFinite(config) && started < config;
}

/** Pacemaker runs the NFS server on this node and its unit is active. */
export function nfsServerRunsHere(r: RunResult): boolean {
  const f = parseNfsServerState(r);
  if (f === null) return false;
  const node = f.node ?? '';
  const here = node !== '' && new RegExp(`is running on: ${escapeRegExp(node)}(\\s|$)`).test(f.locate ?? '');
  return here && f.active === 'active';
}
