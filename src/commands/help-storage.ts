// Help records of the storage actions (docs/actions.md): `snapshot VERB` and `grow SIZE`. Pure data,
// spread into ACTION_HELP (help-actions.ts); the flags and exit codes every action shares come from
// help-actions.ts (passed in, so the two files do not import each other).
import type { CommandHelp } from './help-types.js';
import { actionHelpRecord, type ActionHelpShared } from './help-action-record.js';

export function storageHelp(c: ActionHelpShared): CommandHelp[] {
  return [
    actionHelpRecord(c, {
      name: 'snapshot',
      args: 'list | create | mount NAME [DIR] | unmount NAME | remove NAME',
      summary: 'list, take, mount read-only, unmount or remove LVM snapshots of the LV under DRBD',
      description: [
        'Snapshots are per node: each node\'s LV under DRBD is its own disk, and hanfs-snapshot.timer snapshots on whichever node is DRBD Primary when it fires. Every verb says which node\'s snapshot it means; a name both nodes have is given as NODE:NAME.',
        'list: every snapshot of the LV under DRBD on each node, with its age, size, how full its copy-on-write space is (at 100 % it is invalid), whether the timer made it (and may rotate it out) and where it is mounted.',
        'create: starts hanfs-snapshot.service on the Primary now: the timer\'s own script, which freezes the filesystem around lvcreate --snapshot (consistent), names it <lv>_snap_<UTC time>, keeps backups.snapshots.keep of its own and refuses when the VG lacks the space.',
        'mount NAME [DIR]: mounts the snapshot read-only (ext4: ro,noload; xfs: ro,norecovery,nouuid; the journal is never replayed, the snapshot never written) at DIR, by default /mnt/hanfs-snapshot/NAME, on the node that holds it. unmount NAME unmounts it.',
        'remove NAME: lvremove, after typing "remove NAME"; refused while it is mounted, and for DRBD\'s resync snapshot while its node resyncs.',
      ],
      notes: [
        'Restore one file from yesterday: hanfs-wizard snapshot list; hanfs-wizard snapshot mount NAME; cp -a /mnt/hanfs-snapshot/NAME/path/file /srv/nfs/path/file on that node; hanfs-wizard snapshot unmount NAME.',
      ],
    }),
    actionHelpRecord(c, {
      name: 'grow',
      args: '+SIZE | SIZE',
      summary: 'grow the replicated volume online: lvextend on both nodes, drbdadm resize, resize2fs / xfs_growfs',
      description: [
        'SIZE as lvextend -L takes it: +SIZE adds to the LV, SIZE is the new size; a number with K, M, G, T or P (binary; M without a unit). Refused unless both nodes are connected and UpToDate, one is Primary, the LV has no snapshot on either node (LVM resizes a snapshot\'s origin only while inactive: remove them first), and each VG keeps, after the growth, the 15 % of the LV that DRBD\'s resync snapshot needs.',
        'Then, each step checked: lvextend on both nodes, drbdadm resize on the Primary (DRBD 8.4 and 9 alike; DRBD syncs the new area), resize2fs (ext4) or xfs_growfs (xfs) on the Primary, online; the read-back is df on the Primary and both nodes UpToDate again.',
      ],
    }),
  ];
}
