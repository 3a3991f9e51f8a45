// Reading both nodes: a spinner while the probes run, then what was found. Node names come from here:
// DRBD and Corosync need them to equal `uname -n`, so they are taken from the nodes, not typed.
import { setDefault } from './draft.js';
import type { Step } from './types.js';

export const probingStep: Step = {
  id: 'probing',
  title: 'Reading both nodes',
  help:
    'Each node is asked, read-only, for its host name, OS, packages, DRBD module, disks (lsblk, wipefs, ' +
    'blkid, mdadm), and NICs (ip -j). A probe that fails is listed; the others still count.',
  prefill: (d, ctx) => {
    let out = d;
    ctx.facts?.forEach((f, i) => {
      out = setDefault(out, `nodes[${i}].name`, f.hostname);
    });
    return out;
  },
  validate: (_d, ctx): Record<string, string> => {
    if (ctx.probe.status === 'failed') return { probe: ctx.probe.error };
    if (ctx.probe.status !== 'done') return { probe: 'still reading the nodes' };
    return {};
  },
  // Facts are not saved: reopening always probes again, and never stops here for it.
  isComplete: () => true,
  screen: 'probing',
};
