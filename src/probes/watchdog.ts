// The watchdog SBD needs, probed on each node: `wdctl <device>` says whether the device exists and its
// timeout; `sbd query-watchdog` lists the devices sbd itself can use. Pure parsers of their output
// (with the exit code: wdctl reports a missing device only through stderr and exit 1).
import type { Argv } from '../exec/runner.js';

export function wdctlArgv(device: string): Argv {
  return ['wdctl', device];
}
export const SBD_QUERY_WATCHDOG_ARGV: Argv = ['sbd', 'query-watchdog'];

export type WdctlResult =
  | { ok: true; device: string; identity: string | null; timeoutS: number | null }
  | { ok: false; reason: string };

/**
 * `wdctl DEV`: lines "Device:", "Identity:", "Timeout:" ("30 seconds") then a flags table when the
 * device exists; "wdctl: cannot read information about DEV: ..." on stderr, exit 1, when it does not.
 */
export function parseWdctl(exitCode: number, stdout: string, stderr: string): WdctlResult {
  if (exitCode !== 0) {
    const why = stderr.trim().split('\n').filter(Boolean).pop() ?? `wdctl exited ${exitCode}`;
    return { ok: false, reason: why.replace(/^wdctl:\s*/, '') };
  }
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+?)\\s*$`, 'm').exec(stdout)?.[1] ?? null;
  const device = field('Device');
  if (!device) return { ok: false, reason: 'wdctl printed no device' };
  const t = /^(\d+)\s+seconds?/.exec(field('Timeout') ?? '');
  return { ok: true, device, identity: field('Identity'), timeoutS: t ? Number(t[1]) : null };
}

/** `sbd query-watchdog`: "Discovered N watchdog devices:" then one "[k] /dev/watchdogX" block per device. */
export function parseSbdQueryWatchdog(stdout: string): { count: number; devices: string[] } | null {
  const m = /^Discovered (\d+) watchdog devices?:/m.exec(stdout);
  if (!m) return null;
  const devices = [...stdout.matchAll(/^\[\d+\]\s+(\/dev\/\S+)/gm)].map((x) => x[1]!);
  return { count: Number(m[1]), devices };
}

/**
 * The one error for pacemaker.stonith.sbd.watchdog on a node, or null: the device must exist there
 * (wdctl), which is what sbd opens at start; without it sbd refuses to start and the node cannot be
 * fenced.
 */
export function watchdogProblem(node: string, device: string, wdctl: WdctlResult): string | null {
  if (wdctl.ok) return null;
  return `${device} does not exist on ${node} (${wdctl.reason}): load the watchdog driver of its hardware (or softdog, which cannot reset a hung kernel) or name the device that exists`;
}
