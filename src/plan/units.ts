// The systemd units apply installs or changes, and whether systemd has read them all
// (src/plan/phases/nfs.ts, "<node>/systemd-reload").
import type { Argv, RunResult } from '../exec/runner.js';
import { NFS_SCOPE_DROPIN_PATH, NFSDCLD_DROPIN_PATH } from '../generate/nfs-conf.js';
import { ok } from './judges.js';

/** Unit files apply installs or changes (drop-ins included): systemd must have read them all. */
export const OUR_UNITS = ['nfs-server.service', 'nfsdcld.service', 'hanfs-snapshot.service', 'hanfs-snapshot.timer'];
/** The drop-ins apply adds to the distribution's units: systemd must list each among the unit's loaded ones. */
const OUR_DROPINS: Record<string, string> = { 'nfs-server.service': NFS_SCOPE_DROPIN_PATH, 'nfsdcld.service': NFSDCLD_DROPIN_PATH };
export const UNITS_STATE_ARGV: Argv = ['systemctl', 'show', '-p', 'LoadState', '-p', 'NeedDaemonReload', '-p', 'DropInPaths', ...OUR_UNITS];

/**
 * From `systemctl show -p LoadState -p NeedDaemonReload -p DropInPaths` of OUR_UNITS (one block per unit,
 * in that order, blank lines between): every unit loaded, none with files changed since systemd read them,
 * and our drop-ins among the ones it loaded. NeedDaemonReload alone is not enough: a drop-in directory
 * that did not exist when systemd loaded the unit is not watched, so a new drop-in leaves it at "no"
 * (the lab: nfs-server then started without the server-scope drop-in; test/fixtures/apply/unit-reload).
 */
export function unitsLoaded(r: RunResult): boolean {
  if (!ok(r)) return false;
  const blocks = r.stdout.trim().split(/\n\s*\n/);
  if (blocks.length !== OUR_UNITS.length) return false;
  return blocks.every((b, i) => {
    const prop = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(b)?.[1]?.trim();
    const dropin = OUR_DROPINS[OUR_UNITS[i]!];
    return prop('LoadState') === 'loaded' && prop('NeedDaemonReload') === 'no' && (dropin === undefined || (prop('DropInPaths') ?? '').split(/\s+/).includes(dropin));
  });
}
