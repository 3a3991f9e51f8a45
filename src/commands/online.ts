// `hanfs-wizard online`: src/plan/actions/online.ts, run as every action is (action-command.ts).
import { onlineAction } from '../plan/actions/online.js';
import { runActionCommand, type ActionCommandIo } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[], io?: ActionCommandIo): Promise<number> {
  return runActionCommand(onlineAction, argv, renderCommandHelp('online'), {}, io);
}
