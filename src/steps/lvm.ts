// LVM on the RAID1 device: the volume group, the logical volume DRBD replicates, and the free space kept
// for the snapshots that make backups. Sizes are shown in GiB from the probed disks.
import { formStep } from './form-step.js';
import { getPath, setDefault } from './draft.js';
import { chosenDisks } from './disks.js';
import { findDisk, gib } from './defaults.js';
import { parseLvSize } from '../answers/schema.js';
import type { Draft, StepContext } from './types.js';

/** The smaller of the two nodes' mirrors: what the volume group can hold (md metadata ignored). */
export function mirrorBytes(d: Draft, ctx: StepContext): number | null {
  const sizes: number[] = [];
  for (const n of [0, 1]) {
    for (const p of chosenDisks(d, n)) {
      const disk = findDisk(ctx.facts?.[n], p);
      if (disk) sizes.push(disk.sizeBytes);
    }
  }
  return sizes.length === 4 ? Math.min(...sizes) : null;
}

export function lvSplit(size: string, vgBytes: number): { lv: number; kept: number } | null {
  const s = parseLvSize(size);
  if (!s) return null;
  const lv = 'bytes' in s ? Math.min(s.bytes, vgBytes) : Math.floor((vgBytes * s.percent) / 100);
  return { lv, kept: vgBytes - lv };
}

export const lvmStep = formStep({
  id: 'lvm',
  title: 'LVM and filesystem',
  help:
    'The RAID1 device becomes an LVM physical volume in one volume group. The logical volume is what DRBD ' +
    'mirrors to the peer; the space left free in the group holds snapshots (backups). 80%VG keeps a fifth free.',
  fields: () => [
    { path: 'lvm.vg', label: 'Volume group', kind: 'text', hint: 'Letters, digits and + _ . -; the same name on both nodes.' },
    { path: 'lvm.lv', label: 'Logical volume', kind: 'text', hint: 'The volume DRBD replicates.' },
    { path: 'lvm.size', label: 'LV size', kind: 'text', hint: 'A share of the group such as 80%VG, or a size such as 500G; the rest is kept for snapshots.' },
    {
      path: 'filesystem.type',
      label: 'Filesystem',
      kind: 'select',
      options: [
        { value: 'ext4', explain: 'ext4: the common default; it can grow, and shrink while unmounted.' },
        { value: 'xfs', explain: 'xfs: fast with large files and many writers; it can grow but never shrink.' },
      ],
    },
    { path: 'filesystem.mount', label: 'Mount point', kind: 'text', hint: 'Where the active node mounts the replicated filesystem; exports live under it.' },
  ],
  prefill: (d) => {
    let out = setDefault(d, 'lvm.vg', 'vg_nfs');
    out = setDefault(out, 'lvm.lv', 'lv_nfs');
    out = setDefault(out, 'lvm.size', '80%VG');
    out = setDefault(out, 'filesystem.type', 'ext4');
    return setDefault(out, 'filesystem.mount', '/srv/nfs');
  },
  notes: (d, ctx) => {
    const vg = mirrorBytes(d, ctx);
    const split = vg === null ? null : lvSplit(String(getPath(d, 'lvm.size') ?? ''), vg);
    if (vg === null || split === null) return [];
    return [`volume group ≈ ${gib(vg)}: logical volume ${gib(split.lv)}, kept free for snapshots ${gib(split.kept)}`];
  },
});
