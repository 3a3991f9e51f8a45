// The output of src/plan/sh/nfs-server-state.sh: "<key>: <value>" lines (locate, node, active, started,
// config), or null when the script did not run.
import type { RunResult } from '../exec/runner.js';

export function parseNfsServerState(r: RunResult): Record<string, string> | null {
  if (r.exitCode !== 0 || r.error !== undefined || r.timedOut || r.aborted) return null;
  const f: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^(\w+): ?(.*)$/.exec(line);
    if (m) f[m[1]!] = m[2]!.trim();
  }
  return f;
}
