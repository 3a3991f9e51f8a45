// `hanfs-wizard disk replace NODE [--disk NEW]`: src/plan/actions/disk-replace.ts, run as every action is (action-command.ts).
import { diskReplaceAction } from '../plan/actions/disk-replace.js';
import { runActionCommand } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[]): Promise<number> {
  return runActionCommand(diskReplaceAction, argv, renderCommandHelp('disk'), { disk: { type: 'string' } });
}
