// The watchdog SBD needs, probed on each node: `wdctl <device>` says whether the device exists and its
// timeout; /sys/class/watchdog lists the watchdogs the kernel registered (SYSFS_WATCHDOG_ARGV; the
// `sbd query-watchdog` parser stays for the captures, apply no longer runs it: it arms the watchdogs). Pure parsers of their output
// (with the exit code: wdctl reports a missing device only through stderr and exit 1).
// The wizard's probe (probe-node.ts) only lists the /dev/watchdog* nodes: listing opens nothing, while
// wdctl (when sysfs lacks an attribute) and sbd query-watchdog (to read the identity) may open the
// device, and opening a watchdog arms it; a driver with nowayout then resets the node unless something
// feeds it. That is acceptable in apply's preflight, after consent and with sbd about to feed it, not in
// a probe of servers nobody has agreed to touch yet.
import type { Argv } from '../exec/runner.js';

export function wdctlArgv(device: string): Argv {
  return ['wdctl', device];
}
export const SBD_QUERY_WATCHDOG_ARGV: Argv = ['sbd', 'query-watchdog'];
/**
 * The watchdogs the kernel registered: one /sys/class/watchdog/watchdogN entry each (the watchdog core
 * creates it with the character device, whatever CONFIG_WATCHDOG_SYSFS says about its attributes).
 * Listing sysfs opens no device. apply's preflight uses it instead of `sbd query-watchdog`, which opens
 * every watchdog to read its identity (ClusterLabs/sbd at 2c43532, its sbd-watchdog.c: watchdog_info
 * (l. 517) -> watchdog_populate_list -> watchdog_init_fd (l. 364) -> `open(wddev, O_WRONLY)` (l. 158)
 * and one tickle, then watchdog_close_fd (l. 370) disarms with WDIOS_DISABLECARD (l. 210) and the magic
 * "V"). Opening arms the watchdog; a driver with nowayout ignores the disarm and resets the node when
 * its timeout runs out, in the middle of apply. sbd's own test for "is a watchdog" (is_watchdog, l. 48)
 * reads /sys/class/watchdog/<name>/dev, the same registry this lists.
 */
export const SYSFS_WATCHDOG_ARGV: Argv = ['find', '/sys/class/watchdog/', '-mindepth', '1', '-maxdepth', '1', '-name', 'watchdog*'];

/** SYSFS_WATCHDOG_ARGV's output: the registered watchdogs' names (watchdog0, watchdog1...), sorted. */
export function parseSysfsWatchdogs(stdout: string): string[] {
  const names = stdout.split('\n').map((l) => /\/(watchdog\d+)\/?$/.exec(l.trim())?.[1]).filter((n): n is string => n !== undefined);
  return [...new Set(names)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Whether the kernel registered the watchdog `device` names: /dev/watchdogN is watchdogN's node; the
 * legacy /dev/watchdog belongs to the first registered one, so any will do for it.
 */
export function sysfsHasWatchdog(device: string, registered: string[]): boolean {
  const n = /^\/dev\/(watchdog\d+)$/.exec(device)?.[1];
  return n === undefined ? registered.length > 0 : registered.includes(n);
}
/** The watchdog device nodes: find matches the pattern itself (an argv word, no shell glob). */
export const FIND_WATCHDOG_ARGV: Argv = ['find', '/dev', '-maxdepth', '1', '-name', 'watchdog*'];

/** What the probe learned of a node's watchdog: the device nodes present, sorted (empty: none at all). */
export interface WatchdogFacts {
  devices: string[];
}

/** `find /dev -maxdepth 1 -name 'watchdog*'`: one path a line, in directory order; nothing when none. */
export function parseWatchdogDevices(stdout: string): WatchdogFacts {
  const devices = stdout.split('\n').map((l) => l.trim()).filter((l) => /^\/dev\/watchdog\d*$/.test(l));
  return { devices: [...new Set(devices)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) };
}

/** What to do about a node without a usable watchdog: said by the wizard and by apply's preflight. */
export const WATCHDOG_ADVICE =
  'enable the hardware watchdog (in the firmware or the BMC) and load its driver (iTCO_wdt, ipmi_watchdog, i6300esb...), or load softdog (modprobe softdog, and list it in /etc/modules-load.d; it cannot reset a hung kernel)';

/**
 * The one error for pacemaker.stonith.sbd.watchdog from the probe's facts, or null: null also when the
 * node was not probed for it (an older capture, a probe that did not answer): apply's preflight checks
 * the device again with wdctl and the sysfs listing in any case.
 */
export function watchdogFactsProblem(node: string, device: string, facts: WatchdogFacts | null | undefined): string | null {
  if (!facts) return null;
  if (facts.devices.includes(device)) return null;
  if (facts.devices.length === 0) return `${node} has no watchdog device (no /dev/watchdog*), so SBD cannot reset it: ${WATCHDOG_ADVICE}; then probe again`;
  return `${device} does not exist on ${node}, which has ${facts.devices.join(', ')}: name one of those`;
}

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
  return `${device} does not exist on ${node} (${wdctl.reason}): ${WATCHDOG_ADVICE}, or name the device that exists`;
}
