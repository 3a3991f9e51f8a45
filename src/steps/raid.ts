// The md RAID1 device built from each node's two disks.
import { formStep } from './form-step.js';
import { setDefault } from './draft.js';
import { chosenDisks } from './disks.js';
import { findDisk, gib } from './defaults.js';

export const raidStep = formStep({
  id: 'raid',
  title: 'RAID1',
  help:
    'mdadm mirrors the two disks of each node into one device; a failed disk is replaced while the service ' +
    'runs. The same device name is used on both nodes.',
  fields: () => [{ path: 'raid.device', label: 'RAID1 device', kind: 'text', hint: 'The md device: /dev/md0, or a named one such as /dev/md/nfs.' }],
  prefill: (d) => setDefault(d, 'raid.device', '/dev/md0'),
  notes: (d, ctx) =>
    [0, 1].map((n) => {
      const disks = chosenDisks(d, n).map((p) => findDisk(ctx.facts?.[n], p));
      const sizes = disks.filter((x) => x !== undefined).map((x) => x.sizeBytes);
      const name = ctx.facts?.[n]?.hostname ?? `node ${n + 1}`;
      return `${name}: ${disks.map((x, i) => x?.name ?? chosenDisks(d, n)[i]).join(' + ')}${sizes.length === 2 ? ` -> RAID1 of ${gib(Math.min(...sizes))}` : ''}`;
    }),
});
