// What each node lacks before the cluster can be built: missing packages with the exact install command
// for its distribution, and the DRBD module, which must be the same major version on both nodes.
import { quoteArgv } from '../exec/shell-quote.js';
import { getPath, setDefault } from './draft.js';
import { drbdVersionOf } from './defaults.js';
import type { NodeFacts } from '../probes/types.js';
import type { Draft, FieldErrors, Step, StepContext } from './types.js';

export interface NodePrereqs {
  node: string;
  missing: string[];
  /** The command line to run on that node, or null when nothing is missing. */
  install: string | null;
  drbd: string;
}

export function prereqsOf(f: NodeFacts): NodePrereqs {
  return {
    node: f.hostname,
    missing: f.packages.filter((p) => !p.installed).map((p) => p.name),
    install: f.installCommand ? quoteArgv(f.installCommand) : null,
    drbd: f.drbdModuleVersion ? `DRBD module ${f.drbdModuleVersion}${f.drbdModuleLoaded ? ' (loaded)' : ''}` : 'no DRBD kernel module found',
  };
}

export function prereqErrors(d: Draft, ctx: StepContext): FieldErrors {
  const facts = ctx.facts;
  if (!facts || facts.length < 2) return {};
  const errors: FieldErrors = {};
  const [f0, f1] = facts as [NodeFacts, NodeFacts];
  const v0 = drbdVersionOf(f0.drbdModuleVersion);
  const v1 = drbdVersionOf(f1.drbdModuleVersion);
  facts.forEach((f, i) => {
    if (!f.drbdModuleVersion) errors[`nodes[${i}].drbd`] = `${f.hostname}: no DRBD kernel module: install drbd-dkms (or a kernel with drbd) first`;
    const name = getPath(d, `nodes[${i}].name`);
    if (name !== undefined && name !== f.hostname) {
      errors[`nodes[${i}].name`] = `${String(name)} is not this node's name: uname -n says ${f.hostname}, and DRBD and Corosync need exactly that`;
    }
  });
  if (v0 && v1 && v0 !== v1) {
    errors['drbd.version'] = `DRBD module versions differ: ${f0.hostname} has ${f0.drbdModuleVersion}, ${f1.hostname} has ${f1.drbdModuleVersion}; both nodes need the same major version (8.4 or 9)`;
  }
  return errors;
}

export const prerequisitesStep: Step = {
  id: 'prerequisites',
  title: 'Prerequisites',
  help:
    'Packages are checked with the node\'s own package manager. Run the install command shown on that node, ' +
    'then press r here: both nodes are read again and every answer is kept. ' +
    'DRBD 8.4 and 9 speak different protocols: both nodes must run the same major version.',
  prefill: (d, ctx) => {
    const v = drbdVersionOf(ctx.facts?.[0]?.drbdModuleVersion);
    return v ? setDefault(d, 'drbd.version', v) : d;
  },
  validate: prereqErrors,
  isComplete: (d, ctx) => Object.keys(prereqErrors(d, ctx)).length === 0,
  screen: 'prerequisites',
};
