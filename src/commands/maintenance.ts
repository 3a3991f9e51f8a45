// `hanfs-wizard maintenance`: src/plan/actions/maintenance.ts, run as every action is (action-command.ts).
import { maintenanceAction } from '../plan/actions/maintenance.js';
import { runActionCommand, type ActionCommandIo } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[], io?: ActionCommandIo): Promise<number> {
  return runActionCommand(maintenanceAction, argv, renderCommandHelp('maintenance'), {}, io);
}
