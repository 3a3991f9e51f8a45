// Help records of the recovery actions (issue 31: split-brain, disk replace, restore), spread into
// ACTION_HELP (help-actions.ts). Pure data, like help-source.ts.
import type { CommandHelp, HelpOption } from './help-types.js';

// A function of the shared flags, not an import of them: help-actions.ts imports this file.
export const recoveryHelp = (ACTION_FLAGS: readonly HelpOption[], ACTION_EXIT_CODES: [number, string][], NODES_NOTE: string): CommandHelp[] => [
  {
    name: 'split-brain',
    usage: 'split-brain [--victim NODE] [--dry-run] [--yes] [--answers FILE | --node USER@HOST... | --demo[=SCENARIO]]',
    summary: 'recover from a DRBD split brain, keeping the victim side in a snapshot',
    description: [
      "Shows both sides, recommends the victim; on its typed name: snapshot of the victim's LV, DRBD clone held in maintenance, the DRBD guide's recovery (8.4 or 9), resync, clone released.",
    ],
    options: [{ flag: '--victim', arg: 'NODE', value: 'node', text: 'the node whose changes are discarded (required with --yes)' }, ...ACTION_FLAGS],
    notes: [NODES_NOTE],
    exitCodes: ACTION_EXIT_CODES,
  },
  {
    name: 'disk',
    usage: 'disk replace NODE [--disk NEW] [--dry-run] [--yes] [--answers FILE | --node USER@HOST... | --demo[=SCENARIO]]',
    summary: 'replace a failed RAID1 member; the service never moves',
    description: [
      "Names the failed member and a blank disk (the wizard's refusals); on its typed path: fail, remove, add, rebuild until clean, mdadm.conf and --answers updated.",
    ],
    options: [{ flag: '--disk', arg: 'NEW', text: 'the replacement disk' }, ...ACTION_FLAGS],
    notes: [NODES_NOTE],
    exitCodes: ACTION_EXIT_CODES,
  },
  {
    name: 'restore',
    usage: 'restore PATH --from SNAPSHOT | --at TIME [--replace] [--dry-run] [--yes] [--answers FILE | --node USER@HOST... | --demo[=SCENARIO]]',
    summary: 'bring a path of the export back from a snapshot',
    description: [
      'Mounts the snapshot read-only on the Primary, copies PATH beside it (PATH.restored-<time>) or, typed, over it, compares, unmounts.',
    ],
    options: [
      { flag: '--from', arg: 'SNAPSHOT', text: 'the snapshot (snapshot list)' },
      { flag: '--at', arg: 'TIME', text: 'the newest snapshot at or before TIME ("YYYY-MM-DD HH:MM" UTC)' },
      { flag: '--replace', text: 'copy over the live path (typed)' },
      ...ACTION_FLAGS,
    ],
    notes: [NODES_NOTE],
    exitCodes: ACTION_EXIT_CODES,
  },
];
