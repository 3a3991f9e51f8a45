// DRBD: the replication link per node and how the mirror behaves. Every choice carries one plain sentence.
import { formStep } from './form-step.js';
import { setDefault } from './draft.js';
import { defaultService, pickReplication } from './defaults.js';
import { getPath } from './draft.js';
import { nicFields } from './nic-field.js';
import type { Draft, FieldOption } from './types.js';

const PROTOCOL: FieldOption[] = [
  { value: 'C', label: 'C (synchronous)', explain: 'C: a write completes only when it is on both nodes\' disks; a failover loses nothing acknowledged.' },
  { value: 'B', label: 'B (memory)', explain: 'B: a write completes when the peer has it in memory; losing power on both nodes can lose the last writes.' },
  { value: 'A', label: 'A (asynchronous)', explain: 'A: a write completes when it is on the local disk and sent; a failover can lose the last writes.' },
];
const SB0: FieldOption[] = [
  { value: 'discard-zero-changes', explain: 'If only one node wrote while they were apart, keep its data; if both wrote, stay disconnected for you.' },
  { value: 'disconnect', explain: 'Never decide automatically: stay disconnected until you choose which node\'s data survives.' },
  { value: 'discard-younger-primary', explain: 'Keep the data of the node that was Primary first; discard the later Primary\'s changes.' },
  { value: 'discard-older-primary', explain: 'Keep the data of the node that became Primary last; discard the earlier Primary\'s changes.' },
  { value: 'discard-least-changes', explain: 'Keep the node with more changed blocks and throw away the other\'s changes, even if both wrote.' },
];
const SB1: FieldOption[] = [
  { value: 'discard-secondary', explain: 'Keep the current Primary\'s data and resync the Secondary from it.' },
  { value: 'disconnect', explain: 'Never decide automatically: stay disconnected until you choose.' },
  { value: 'consensus', explain: 'Discard the Secondary only when the no-Primary rule agrees; otherwise stay disconnected.' },
  { value: 'call-pri-lost-after-sb', explain: 'Apply the no-Primary rule; a Primary that loses is made to give up (its pri-lost-after-sb handler).' },
];
const SB2: FieldOption[] = [
  { value: 'disconnect', explain: 'With two Primaries nothing is discarded automatically: stay disconnected until you choose.' },
  { value: 'call-pri-lost-after-sb', explain: 'Apply the no-Primary rule and make the losing Primary give up (its handler, usually a reboot).' },
];
/** pacemaker.stonith is a device (an agent or SBD), not none or unanswered. */
function hasStonithDevice(d: Draft): boolean {
  const st = getPath(d, 'pacemaker.stonith');
  return st !== null && typeof st === 'object';
}

const FENCING: FieldOption[] = [
  { value: 'resource-only', explain: 'When the link drops, DRBD tells Pacemaker not to promote the peer until it has resynced.' },
  { value: 'none', explain: 'No fencing: after a replication link failure an outdated node could become Primary.' },
  { value: 'resource-and-stonith', explain: 'Like resource-only, and writes freeze until STONITH has switched the peer off; needs STONITH.' },
];
const SYNC: FieldOption[] = [
  { value: 'skip', explain: 'Fresh blank disks hold nothing to copy: mark both sides in sync at once instead of copying every block.' },
  { value: 'full', explain: 'Copy every block from the first node to the second: needed when the disks may differ; takes time.' },
];

export const drbdStep = formStep({
  id: 'drbd',
  title: 'DRBD replication',
  help:
    'DRBD mirrors the logical volume to the peer over the replication NIC, block by block. A separate NIC ' +
    'keeps mirror traffic away from clients. Split-brain policies say what happens when both nodes wrote ' +
    'while apart. Protocol C is the only one that loses nothing on failover.',
  fields: (_d, ctx) => [
    ...nicFields(ctx, 0, 'replication', 'Replication'),
    ...nicFields(ctx, 1, 'replication', 'Replication'),
    { path: 'drbd.port', label: 'Port', kind: 'number', hint: 'TCP port DRBD listens on, on the replication addresses (7788-7799 is usual).' },
    { path: 'drbd.protocol', label: 'Protocol', kind: 'select', options: PROTOCOL },
    { path: 'drbd.splitBrain.afterSb0pri', label: 'Split brain, no Primary', kind: 'select', options: SB0 },
    { path: 'drbd.splitBrain.afterSb1pri', label: 'Split brain, one Primary', kind: 'select', options: SB1 },
    { path: 'drbd.splitBrain.afterSb2pri', label: 'Split brain, two Primary', kind: 'select', options: SB2 },
    { path: 'drbd.fencing', label: 'Fencing', kind: 'select', options: FENCING },
    { path: 'drbd.initialSync', label: 'Initial sync', kind: 'select', options: SYNC },
  ],
  prefill: (d, ctx) => {
    let out = d;
    const [f0, f1] = ctx.facts ?? [];
    // The network step comes later: keep clear of the service NIC it will propose (or the one answered).
    const svcNic = (getPath(d, 'nodes[0].service.interface') as string | undefined) ?? (f0 && f1 ? defaultService(f0, f1)?.nic0 : undefined);
    const rep = f0 && f1 ? pickReplication(f0, f1, svcNic) : null;
    if (rep) {
      out = setDefault(out, 'nodes[0].replication.interface', rep.nic0);
      out = setDefault(out, 'nodes[1].replication.interface', rep.nic1);
      out = setDefault(out, 'nodes[0].replication.address', 'addr0' in rep ? rep.addr0 : '');
      out = setDefault(out, 'nodes[1].replication.address', 'addr1' in rep ? rep.addr1 : '');
    }
    const defaults: [string, unknown][] = [
      ['drbd.port', 7789], ['drbd.protocol', 'C'], ['drbd.splitBrain.afterSb0pri', 'discard-zero-changes'],
      ['drbd.splitBrain.afterSb1pri', 'discard-secondary'], ['drbd.splitBrain.afterSb2pri', 'disconnect'],
      // With a fence device already chosen (a reopened draft, or back from the Pacemaker step):
      // resource-and-stonith, as the answers file's own default (load.ts); the Pacemaker step adjusts
      // it when STONITH is chosen after this step (pacemaker.ts, drbdFencingFollows).
      ['drbd.fencing', hasStonithDevice(d) ? 'resource-and-stonith' : 'resource-only'], ['drbd.initialSync', 'skip'],
    ];
    for (const [p, v] of defaults) out = setDefault(out, p, v);
    return out;
  },
  notes: (d, ctx) => {
    const [f0, f1] = ctx.facts ?? [];
    if (!f0 || !f1) return [];
    const svcNic = (getPath(d, 'nodes[0].service.interface') as string | undefined) ?? defaultService(f0, f1)?.nic0;
    const rep = pickReplication(f0, f1, svcNic);
    return rep && !('addr0' in rep) ? [`only ${svcNic ?? '?'} links the nodes: type replication addresses (another subnet)`] : [];
  },
});
