// `hanfs-wizard maintenance`: src/plan/actions/maintenance.ts, run as every action is (action-command.ts).
import { maintenanceAction } from '../plan/actions/maintenance.js';
import { runActionCommand } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[]): Promise<number> {
  return runActionCommand(maintenanceAction, argv, renderCommandHelp('maintenance'));
}
