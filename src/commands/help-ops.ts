// Help records of the operations on a running cluster (issue 30): switchover, standby, online,
// maintenance. Pure data; the flags and exit codes every action shares come from help-actions.ts
// (passed in, so the two files do not import each other).
import type { CommandHelp } from './help-types.js';
import { actionHelpRecord, type ActionHelpShared } from './help-action-record.js';

export function opsHelp(c: ActionHelpShared): CommandHelp[] {
  return [
    actionHelpRecord(c, {
      name: 'switchover',
      args: '[--to NODE]',
      summary: 'move the service to the other node, and leave nothing that pins it',
      description: [
        'Checks that the other node can take the service (online in Pacemaker, not in standby, its own DRBD UpToDate and connected, no failed action in the way, quorum, no maintenance mode), then runs crm_resource --move on the service group with a lifetime, waits until crm_mon, the new node\'s DRBD (Primary) and its exportfs show the service there, removes the move constraint (crm_resource --clear) and reads back that no cli-prefer/cli-ban constraint is left. NFS pauses while the service moves; clients with hard mounts wait and retry. The confirmation is typed.',
      ],
      options: [{ flag: '--to', arg: 'NODE', value: 'none', text: 'the node to move to (default: the other node)' }],
    }),
    actionHelpRecord(c, {
      name: 'standby',
      args: 'NODE',
      summary: 'put a node in standby; the service leaves it first',
      description: [
        'Sets the node\'s standby attribute (crm_attribute --node NODE --name standby --update on): Pacemaker stops every resource there, moving the service to the other node first. Reads back that nothing of ours runs on NODE and the service runs on the other node (crm_mon, its DRBD, its exports). Refused when the other node could not run the service (offline, in standby, its DRBD not UpToDate and connected). Typed confirmation when the service moves; undo with online NODE.',
      ],
    }),
    actionHelpRecord(c, {
      name: 'online',
      args: 'NODE',
      summary: 'end the standby of a node',
      description: [
        'Clears the node\'s standby attribute (crm_attribute --node NODE --name standby --update off) and reads back the node online with its DRBD instance started. The service stays where it runs.',
      ],
    }),
    actionHelpRecord(c, {
      name: 'maintenance',
      args: 'on|off',
      summary: 'stop or resume Pacemaker acting on the cluster (maintenance-mode)',
      description: [
        'on: sets the maintenance-mode cluster property; Pacemaker keeps watching but starts, stops and fails over nothing while the service keeps running (the monitor warns while it lasts). off: Pacemaker takes control again and recovers whatever differs from the configuration; the read-back waits for the service to run on one node. Read back from crm_mon.',
      ],
    }),
  ];
}
