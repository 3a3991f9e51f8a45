// `hanfs-wizard grow +SIZE | SIZE`: src/plan/actions/grow.ts, run as every action is (action-command.ts).
import { growAction } from '../plan/actions/grow.js';
import { runActionCommand } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[]): Promise<number> {
  return runActionCommand(growAction, argv, renderCommandHelp('grow'));
}
