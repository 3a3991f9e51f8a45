// `hanfs-wizard switchover [--to NODE]`: src/plan/actions/switchover.ts, run as every action is (action-command.ts).
import { switchoverAction } from '../plan/actions/switchover.js';
import { runActionCommand, type ActionCommandIo } from './action-command.js';
import { renderCommandHelp } from './help-source.js';

/** switchover's own flag, beside the ones every action takes. */
export const SWITCHOVER_OPTIONS = { to: { type: 'string' } } as const;

export function run(argv: string[], io?: ActionCommandIo): Promise<number> {
  return runActionCommand(switchoverAction, argv, renderCommandHelp('switchover'), SWITCHOVER_OPTIONS, io);
}
