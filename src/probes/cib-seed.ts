// The output of src/plan/sh/cib-seed-state.sh: whether Pacemaker runs, whether the node has a CIB file,
// whether it holds resources, and the start-up properties it sets.
import type { RunResult } from '../exec/runner.js';

export interface CibSeedState {
  active: boolean;
  /** No CIB file on a node where Pacemaker is stopped. */
  absent: boolean;
  resources: boolean;
  properties: Record<string, string>;
}

/** The state script's output, or null when it did not run or printed something else. */
export function parseCibSeedState(r: RunResult): CibSeedState | null {
  if (r.exitCode !== 0 || r.error !== undefined || r.timedOut || r.aborted) return null;
  const lines = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const pm = /^pacemaker: (active|inactive)$/.exec(lines[0] ?? '');
  if (!pm) return null;
  const st: CibSeedState = { active: pm[1] === 'active', absent: false, resources: false, properties: {} };
  for (const l of lines.slice(1)) {
    if (l === 'cib: absent') st.absent = true;
    else if (l === 'resources: yes') st.resources = true;
    else if (l === 'resources: no') continue;
    else {
      const m = /^([A-Za-z0-9_-]+)=(.*)$/.exec(l);
      if (!m) return null;
      st.properties[m[1]!] = m[2]!;
    }
  }
  return st;
}
