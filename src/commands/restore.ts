// `hanfs-wizard restore PATH --from SNAPSHOT | --at TIME [--replace]`: src/plan/actions/restore.ts, run as every action is (action-command.ts).
import { restoreAction } from '../plan/actions/restore.js';
import { runActionCommand } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[]): Promise<number> {
  return runActionCommand(restoreAction, argv, renderCommandHelp('restore'), { from: { type: 'string' }, at: { type: 'string' }, replace: { type: 'boolean' } });
}
