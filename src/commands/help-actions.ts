// Help records of the actions on a running cluster (docs/actions.md): every one takes the same flags
// (ACTION_FLAGS, parsed by action-command.ts) and has the same exit codes. Pure data, like help-source.ts.
import type { CommandHelp, HelpOption } from './help-types.js';
import { opsHelp } from './help-ops.js';
import { storageHelp } from './help-storage.js';
import { recoveryHelp } from './help-recovery.js';
import { actionHelpRecord, type ActionHelpShared } from './help-action-record.js';

/** The flags every action takes, in this order after its own. */
export const ACTION_FLAGS: readonly HelpOption[] = [
  { flag: '--dry-run', text: 'show the plan and what would run; change nothing' },
  { flag: '--yes', text: 'agree without asking (scripts): also to what would be typed at a terminal' },
  { flag: '--json', text: 'one JSON object per line (the plan, the events, the outcome)' },
  { flag: '--log', arg: 'FILE', text: 'also write the journal to FILE (always: /var/log/hanfs-wizard/<action>-<time>.log)' },
  { flag: '--answers', arg: 'FILE', text: 'act on the nodes of this answers file (their ssh field)' },
  { flag: '--node', arg: 'USER@HOST', repeat: true, value: 'node', text: 'act on this node (twice for two nodes; "local" for this machine)' },
  { flag: '--demo', arg: 'SCENARIO', optionalArg: true, value: 'scenario', text: 'with --dry-run: plan on the embedded demo lab (default running)' },
  { flag: '--identity', arg: 'FILE', text: 'SSH private key for the nodes' },
  { flag: '--known-hosts', arg: 'FILE', text: "known_hosts to check the nodes' host keys against" },
];

export const ACTION_EXIT_CODES: [number, string][] = [
  [0, 'done, read back (or the dry run shown)'],
  [1, 'a step failed (see the journal)'],
  [2, 'bad input (nothing changed)'],
  [3, 'refused: a precondition does not hold, not confirmed, or another run holds the lock (nothing changed)'],
  [130, 'interrupted'],
];

const NODES_NOTE = 'Without --answers or --node, the nodes of /etc/corosync/corosync.conf are used.';

const SHARED: ActionHelpShared = { flags: ACTION_FLAGS, exitCodes: ACTION_EXIT_CODES, nodesNote: NODES_NOTE };

export const ACTION_HELP: readonly CommandHelp[] = [
  // The model action (docs/actions.md) is built like every other: its usage line, options and notes end
  // with the shared ones, so a change to those reaches it too.
  actionHelpRecord(SHARED, {
    name: 'cleanup',
    args: '[RESOURCE]',
    summary: 'forget failed actions and fail counts (one resource or all)',
    description: [
      'Shows the failed actions and fail counts of RESOURCE (every resource without one), then runs crm_resource --cleanup, which also re-probes the resource on every node, and waits until crm_mon shows none left. Fix the cause first: a failure whose cause remains comes back.',
    ],
  }),
  ...opsHelp(SHARED),
  ...storageHelp(SHARED),
  ...recoveryHelp(SHARED),
];
