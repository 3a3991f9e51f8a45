// Help records of the recovery actions (issue 31: split-brain, disk replace, restore), spread into
// ACTION_HELP (help-actions.ts). Pure data, like help-source.ts; the flags and exit codes every action
// shares come from help-actions.ts (passed in, so the two files do not import each other).
import type { CommandHelp } from './help-types.js';
import { actionHelpRecord, type ActionHelpShared } from './help-action-record.js';

export function recoveryHelp(c: ActionHelpShared): CommandHelp[] {
  return [
    actionHelpRecord(c, {
      name: 'split-brain',
      args: '[--victim NODE]',
      summary: 'recover from a DRBD split brain, keeping the victim side in a snapshot',
      description: [
        "Shows both sides, recommends the victim; on its typed name: snapshot of the victim's LV, DRBD clone held in maintenance, the DRBD guide's recovery (8.4 or 9), resync, clone released.",
      ],
      options: [{ flag: '--victim', arg: 'NODE', value: 'node', text: 'the node whose changes are discarded (required with --yes)' }],
    }),
    actionHelpRecord(c, {
      name: 'disk',
      args: 'replace NODE [--disk NEW]',
      summary: 'replace a failed RAID1 member; the service never moves',
      description: [
        "Names the failed member and a blank disk (the wizard's refusals); on its typed path: fail, remove, add, rebuild until clean, mdadm.conf and --answers updated.",
      ],
      options: [{ flag: '--disk', arg: 'NEW', text: 'the replacement disk' }],
    }),
    actionHelpRecord(c, {
      name: 'restore',
      args: 'PATH --from SNAPSHOT | --at TIME [--replace]',
      summary: 'bring a path of the export back from a snapshot',
      description: [
        'Mounts the snapshot read-only on the Primary, copies PATH beside it (PATH.restored-<time>) or, typed, over it, compares, unmounts.',
      ],
      options: [
        { flag: '--from', arg: 'SNAPSHOT', text: 'the snapshot (snapshot list)' },
        { flag: '--at', arg: 'TIME', text: 'the newest snapshot at or before TIME ("YYYY-MM-DD HH:MM" UTC)' },
        { flag: '--replace', text: 'copy over the live path (typed)' },
      ],
    }),
  ];
}
