// Reads what each node's own configuration says should exist (node-config.ts): corosync.conf, the DRBD
// resource files, mdadm.conf. Files that change when an admin edits them, not every 2 s: read once at
// start, then every CONFIG_EVERY_MS, or sooner when the CIB's epoch moves (someone reconfigured the
// cluster). Three small reads, in the same batch as the round's state (collect.ts): no session of their own.
import type { Argv, RunResult } from '../exec/runner.js';
import type { ConfigFile, ConfigRead } from './node-config.js';
import type { MonitorEvent } from './reducer.js';

export const CONFIG_ARGV: Record<ConfigFile, Argv> = {
  corosync: ['cat', '/etc/corosync/corosync.conf'],
  // Every *.res file of /etc/drbd.d, as drbd.conf includes them, without a shell to expand the glob.
  drbd: ['find', '/etc/drbd.d', '-maxdepth', '1', '-type', 'f', '-name', '*.res', '-exec', 'cat', '{}', '+'],
  mdadm: ['cat', '/etc/mdadm/mdadm.conf'],
};

/** How often the live loop reads the configuration files again, CIB epoch changes aside. */
export const CONFIG_EVERY_MS = 10 * 60_000;

function readOf(r: RunResult | undefined): ConfigRead {
  if (r === undefined) return { error: 'not run' };
  if (r.exitCode === 0) return { text: r.stdout };
  const why = r.error ?? (r.timedOut ? 'timed out' : r.stderr.trim() || `exit ${r.exitCode}`);
  return { error: why.split('\n')[0]!.replace(/^cat: [^:]+: /, '').trim() };
}

/** The files in the order they are asked for. */
export const CONFIG_KEYS = Object.keys(CONFIG_ARGV) as ConfigFile[];

/**
 * Dispatches one node-config event from the results of CONFIG_KEYS' commands (in that order); false, and
 * nothing dispatched, when the node answered none of them (unreachable: the state polls say so).
 */
export function dispatchNodeConfig(node: string, results: readonly RunResult[], dispatch: (e: MonitorEvent) => void, now: () => number): boolean {
  if (results.every((r) => r.error !== undefined || r.timedOut)) return false;
  const files = Object.fromEntries(CONFIG_KEYS.map((k, i) => [k, readOf(results[i])])) as Record<ConfigFile, ConfigRead>;
  dispatch({ type: 'node-config', node, at: now(), files });
  return true;
}

/** The CIB's configuration version (admin_epoch.epoch), to notice a reconfiguration; null when absent. */
export function cibEpoch(xml: string): string | null {
  const root = /<cib\s[^>]*>/.exec(xml)?.[0];
  if (root === undefined) return null;
  const attr = (k: string) => new RegExp(`\\s${k}="(\\d+)"`).exec(root)?.[1] ?? '?';
  return `${attr('admin_epoch')}.${attr('epoch')}`;
}
