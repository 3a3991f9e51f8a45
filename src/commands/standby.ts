// `hanfs-wizard standby`: src/plan/actions/standby.ts, run as every action is (action-command.ts).
import { standbyAction } from '../plan/actions/standby.js';
import { runActionCommand } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[]): Promise<number> {
  return runActionCommand(standbyAction, argv, renderCommandHelp('standby'));
}
