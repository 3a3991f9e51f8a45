// The start-up properties seeded into a stopped node's CIB before the cluster's first start
// (src/plan/phases/config-files.ts, "<node>/cib-seed"): the programs and the judge of their state.
import { parseCibSeedState, type CibSeedState } from '../probes/cib-seed.js';
import { oneLine } from './sh.js';
import cibSeedStateSh from './sh/cib-seed-state.sh';
import cibSeedSh from './sh/cib-seed.sh';

export { parseCibSeedState, type CibSeedState };

/** Pacemaker's on-disk CIB (pacemaker-based reads it at start; libcib writes it with its digest under CIB_file). */
export const PACEMAKER_CIB_PATH = '/var/lib/pacemaker/cib/cib.xml';

/**
 * Read-only state ($1 the CIB file, then name/value pairs): "pacemaker: active" or "inactive"; with
 * Pacemaker stopped, "cib: absent" when there is no CIB file, else the file is read (CIB_file);
 * "resources: yes" or "no", then "<name>=<value>" per property. The values arrive as arguments.
 */
export const CIB_SEED_STATE_SCRIPT = oneLine(cibSeedStateSh);

/**
 * Merges the start-up properties (stdin: a crm_config section) into a stopped node's CIB ($1) that holds
 * no resource, through libcib's offline mode (CIB_file), in one `cibadmin --modify` (three crm_attribute
 * writes took 2.6-4 s on the lab, right before the cluster starts). Leaves alone a node where Pacemaker
 * runs and a CIB with resources (someone's configuration).
 */
export const CIB_SEED_SCRIPT = oneLine(cibSeedSh);

/**
 * Nothing to seed: the CIB holds resources (a configured cluster: the properties come with the
 * configuration, someone's own CIB is not ours to touch) or already has every property at its value.
 */
export function cibSeeded(st: CibSeedState | null, props: readonly (readonly [string, string])[]): boolean {
  if (!st) return false;
  if (st.resources) return true;
  return !st.absent && props.every(([k, v]) => st.properties[k] === v);
}
