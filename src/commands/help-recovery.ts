// Help records of the recovery actions (issue 31: split-brain, disk replace, restore), spread into
// ACTION_HELP (help-actions.ts). Pure data, like help-source.ts.
import type { CommandHelp, HelpOption } from './help-types.js';

const NODES_NOTE = 'Without --answers or --node, the nodes of /etc/corosync/corosync.conf are used.';

// A function of the shared flags, not an import of them: help-actions.ts imports this file.
export const recoveryHelp = (ACTION_FLAGS: readonly HelpOption[], ACTION_EXIT_CODES: [number, string][]): CommandHelp[] => [
  {
    name: 'split-brain',
    usage: 'split-brain [--victim NODE] [--dry-run] [--yes] [--answers FILE | --node USER@HOST... | --demo[=SCENARIO]]',
    summary: 'recover from a DRBD split brain: choose the victim, keep its side in a snapshot, resync',
    description: [
      "Shows both sides of a DRBD split brain (roles, out-of-sync amounts, the kernel log's split-brain and promotion times, where Pacemaker serves the clients) and recommends the victim: the side the clients did not use last. On the typed name of the victim it snapshots the victim's backing LV (its discarded changes stay readable: the plan prints how to mount the snapshot), holds the DRBD clone in Pacemaker maintenance so nothing promotes the victim meanwhile, runs the DRBD user's guide's recovery for the version the nodes run (victim: disconnect, secondary, connect --discard-my-data; survivor: connect, after a disconnect on DRBD 9), waits for the resync to UpToDate on both, and releases the clone.",
      'Where the after-sb policies already resolved it (Connected on both nodes), it says so and does nothing.',
    ],
    options: [{ flag: '--victim', arg: 'NODE', value: 'node', text: "the node whose changes are discarded (required with --yes); default: the recommendation, confirmed by typing its name" }, ...ACTION_FLAGS],
    notes: [NODES_NOTE],
    exitCodes: ACTION_EXIT_CODES,
  },
  {
    name: 'disk',
    usage: 'disk replace NODE [--disk NEW] [--dry-run] [--yes] [--answers FILE | --node USER@HOST... | --demo[=SCENARIO]]',
    summary: "replace a failed or missing RAID1 member on one node; the service never moves",
    description: [
      "Names the failed or missing member of NODE's RAID1 (mdadm --detail) and the replacement: --disk NEW, or the one disk of NODE that the wizard's probes find blank, unused and at least the surviving member's size (a mounted disk, one in use, one with any signature, one too small or the surviving member itself is refused with the reason). On the new disk's path typed, it fails (if still listed) and removes the old member, adds the new disk, shows the rebuild with its progress and waits until the array is clean, and updates mdadm.conf's DEVICE line. With --answers, the answers file's nodes[].disks then records the new disk (nothing else in the file changes).",
      'No Pacemaker step: md keeps serving from the surviving member throughout, so DRBD and the service do not notice.',
    ],
    options: [{ flag: '--disk', arg: 'NEW', text: 'the replacement disk (/dev/... or /dev/disk/by-id/...); default: the single eligible disk' }, ...ACTION_FLAGS],
    notes: [NODES_NOTE],
    exitCodes: ACTION_EXIT_CODES,
  },
  {
    name: 'restore',
    usage: 'restore PATH --from SNAPSHOT | --at TIME [--replace] [--dry-run] [--yes] [--answers FILE | --node USER@HOST... | --demo[=SCENARIO]]',
    summary: 'bring a file or directory of the export back from a snapshot',
    description: [
      "Mounts the snapshot (--from NAME, or the newest taken at or before --at TIME) read-only on the Primary, shows the live path's size and time, copies the path as it is in the snapshot beside the live one (PATH.restored-<time>; nothing live is changed), reads the copy back byte for byte (diff -rq) and unmounts the snapshot again. With --replace, the copy goes over the live path instead, after the path is typed to confirm. A path outside the export and a snapshot that does not exist are refused with the reason.",
    ],
    options: [
      { flag: '--from', arg: 'SNAPSHOT', text: 'the snapshot (hanfs-wizard snapshot list names them)' },
      { flag: '--at', arg: 'TIME', text: 'the newest snapshot taken at or before TIME ("YYYY-MM-DD HH:MM", UTC, or ISO with a zone)' },
      { flag: '--replace', text: 'copy over the live path (typed confirmation) instead of beside it' },
      ...ACTION_FLAGS,
    ],
    notes: [NODES_NOTE],
    exitCodes: ACTION_EXIT_CODES,
  },
];
