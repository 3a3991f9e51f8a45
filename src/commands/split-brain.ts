// `hanfs-wizard split-brain [--victim NODE]`: src/plan/actions/split-brain.ts, run as every action is (action-command.ts).
import { splitBrainAction } from '../plan/actions/split-brain.js';
import { runActionCommand } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[]): Promise<number> {
  return runActionCommand(splitBrainAction, argv, renderCommandHelp('split-brain'), { victim: { type: 'string' } });
}
