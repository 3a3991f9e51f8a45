// `hanfs-wizard standby`: src/plan/actions/standby.ts, run as every action is (action-command.ts).
import { standbyAction } from '../plan/actions/standby.js';
import { runActionCommand, type ActionCommandIo } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[], io?: ActionCommandIo): Promise<number> {
  return runActionCommand(standbyAction, argv, renderCommandHelp('standby'), {}, io);
}
