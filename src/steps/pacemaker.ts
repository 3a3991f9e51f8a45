// Pacemaker: how strongly the service stays where it runs, and STONITH (fencing by power).
import { formStep } from './form-step.js';
import { getPath, setDefault, setPath } from './draft.js';
import type { Draft, FieldDef, StepContext } from './types.js';

const NONE_RISK =
  'none: with two nodes and no fencing, a node that stops answering but still runs can keep writing while its peer takes over: a split brain. Pacemaker runs with stonith-enabled=false.';

const agentOf = (d: Draft): string => {
  const s = getPath(d, 'pacemaker.stonith');
  return s !== null && typeof s === 'object' ? String((s as { agent?: unknown }).agent ?? '') : 'none';
};

function paramFields(d: Draft, ctx: StepContext): FieldDef[] {
  if (agentOf(d) === 'none') return [];
  const names = [0, 1].map((i) => String(getPath(d, `nodes[${i}].name`) ?? ctx.facts?.[i]?.hostname ?? `node${i + 1}`));
  return names.flatMap((n) => [
    { path: `pacemaker.stonith.nodes.${n}.ip`, label: `${n} BMC address`.slice(0, 26), kind: 'text' as const, hint: `The IPMI/BMC address that powers ${n} off.` },
    { path: `pacemaker.stonith.nodes.${n}.username`, label: `${n} BMC user`.slice(0, 26), kind: 'text' as const },
    { path: `pacemaker.stonith.nodes.${n}.password`, label: `${n} BMC password`.slice(0, 26), kind: 'text' as const, hint: 'Stored in the answers file; the export\'s answers.yaml shows it as <redacted>.' },
  ]);
}

export const pacemakerStep = formStep({
  id: 'pacemaker',
  title: 'Pacemaker',
  help:
    'Pacemaker starts DRBD, the filesystem, NFS and the virtual IP on one node, in that order, and moves them ' +
    'when that node fails. Stickiness keeps them where they run when a failed node returns. STONITH switches ' +
    'a node off before its peer takes over: the only sure protection against both writing.',
  fields: (d, ctx) => [
    { path: 'pacemaker.stickiness', label: 'Stickiness', kind: 'number', hint: 'How much Pacemaker prefers to leave the service where it runs (100 keeps it there after a failback).' },
    {
      path: 'pacemaker.stonith',
      label: 'STONITH',
      kind: 'select',
      options: [
        { value: 'none', explain: NONE_RISK },
        { value: 'fence_ipmilan', explain: 'fence_ipmilan: the survivor switches its peer off through the peer\'s BMC (IPMI) before taking over.' },
      ],
      read: agentOf,
      write: (dd: Draft, v: unknown) => (v === 'none' ? setPath(dd, 'pacemaker.stonith', 'none') : setPath(dd, 'pacemaker.stonith', { agent: v, nodes: {} })),
    },
    ...paramFields(d, ctx),
  ],
  prefill: (d) => setDefault(setDefault(d, 'pacemaker.stickiness', 100), 'pacemaker.stonith', 'none'),
  notes: (d) => (agentOf(d) === 'none' ? ['STONITH none is risky with two nodes: one that hangs but still writes can split the data.'] : []),
});
