// `hanfs-wizard switchover`: src/plan/actions/switchover.ts, run as every action is (action-command.ts).
import { switchoverAction } from '../plan/actions/switchover.js';
import { runActionCommand } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[]): Promise<number> {
  return runActionCommand(switchoverAction, argv, renderCommandHelp('switchover'), { to: { type: 'string' } });
}
