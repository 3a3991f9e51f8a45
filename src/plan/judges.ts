// The read-only commands the plan's checks share, and the pure judges of their output.
import type { Argv, RunResult } from '../exec/runner.js';
import { parseDrbdadmStatus, type DrbdResourceStatus } from '../probes/drbd-status.js';
import { parseCrmMon, type CrmStatus } from '../probes/crm-mon.js';

export const MDSTAT: Argv = ['cat', '/proc/mdstat'];
export const PROC_DRBD: Argv = ['cat', '/proc/drbd'];
export const DRBD_STATUS: Argv = ['drbdadm', 'status'];
export const CRM_MON: Argv = ['crm_mon', '-1', '--output-as=xml'];
export const LVS: Argv = ['lvs', '--reportformat', 'json'];
export const CIB_QUERY: Argv = ['cibadmin', '-Q'];

/** The command ran and exited 0. */
export const ok = (r: RunResult): boolean => r.exitCode === 0 && r.error === undefined && !r.timedOut && !r.aborted;

/** The resource's `drbdadm status`, or null when it is down or the command failed. */
export function drbdRes(r: RunResult, res: string): DrbdResourceStatus | null {
  if (!ok(r)) return null;
  return parseDrbdadmStatus(r.stdout).find((x) => x.name === res) ?? null;
}

/** crm_mon's status, or null when it did not answer with one. */
export function crm(r: RunResult): CrmStatus | null {
  if (r.error !== undefined) return null;
  const c = parseCrmMon(r.stdout);
  return c.ok ? c : null;
}

export function lvExists(r: RunResult, vg: string, lv: string): boolean {
  if (!ok(r)) return false;
  try {
    const doc = JSON.parse(r.stdout) as { report?: { lv?: { lv_name?: string; vg_name?: string }[] }[] };
    return (doc.report ?? []).some((rep) => (rep.lv ?? []).some((l) => l.lv_name === lv && l.vg_name === vg));
  } catch {
    return false;
  }
}

export function mdActive(r: RunResult, device: string): boolean {
  if (!ok(r)) return false;
  const name = device.replace(/^\/dev\//, '');
  return new RegExp(`^${escapeRegExp(name)} : active (\\([^)]*\\) )?raid1 `, 'm').test(r.stdout);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
