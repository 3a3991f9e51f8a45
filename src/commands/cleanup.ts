// `hanfs-wizard cleanup [RESOURCE]`: src/plan/actions/cleanup.ts, run as every action is (action-command.ts).
import { cleanupAction } from '../plan/actions/cleanup.js';
import { runActionCommand } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

export function run(argv: string[]): Promise<number> {
  return runActionCommand(cleanupAction, argv, renderCommandHelp('cleanup'));
}
