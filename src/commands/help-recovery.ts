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
];
