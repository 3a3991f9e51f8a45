// `hanfs-wizard snapshot list|create|mount|unmount|remove`: the verb is the first positional; each verb is
// an action of src/plan/actions/snapshot.ts, run as every action is (action-command.ts).
import { snapshotCreateAction, snapshotListAction, snapshotMountAction, snapshotRemoveAction, snapshotUnmountAction } from '../plan/actions/snapshot.js';
import { runActionCommand } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

const VERBS: Record<string, (argv: string[], help: string) => Promise<number>> = {
  list: (a, h) => runActionCommand(snapshotListAction, a, h),
  create: (a, h) => runActionCommand(snapshotCreateAction, a, h),
  mount: (a, h) => runActionCommand(snapshotMountAction, a, h),
  unmount: (a, h) => runActionCommand(snapshotUnmountAction, a, h),
  remove: (a, h) => runActionCommand(snapshotRemoveAction, a, h),
};

export function run(argv: string[]): Promise<number> {
  const help = renderCommandHelp('snapshot');
  const verb = argv[0];
  if (verb === undefined || verb === '--help' || verb === '-h') {
    process.stdout.write(help);
    return Promise.resolve(verb === undefined ? 2 : 0);
  }
  const runVerb = VERBS[verb];
  if (!runVerb) {
    process.stderr.write(`error: snapshot: "${verb}" is not a verb; one of ${Object.keys(VERBS).join(', ')}\n`);
    return Promise.resolve(2);
  }
  return runVerb(argv.slice(1), help);
}
