// One action's help record from its own parts: every action's usage line ends with the same flags, its
// options end with them, and it shares the note on where the nodes come from and the exit codes. The
// shared parts are passed in (help-actions.ts owns them and imports the files that call this).
import type { CommandHelp, HelpOption } from './help-types.js';

export interface ActionHelpShared {
  flags: readonly HelpOption[];
  exitCodes: [number, string][];
  nodesNote: string;
}

/** The usage line's tail every action shares (its flags, in short). */
export const ACTION_USAGE_TAIL = '[--dry-run] [--yes] [--answers FILE | --node USER@HOST... | --demo[=SCENARIO]]';

export interface ActionHelpParts {
  name: CommandHelp['name'];
  /** What follows the name on the usage line, before the shared flags. */
  args?: string;
  summary: string;
  description: string[];
  /** The action's own options, listed before the shared flags. */
  options?: HelpOption[];
  /** The action's own notes, listed before the shared one on where the nodes come from. */
  notes?: string[];
}

export function actionHelpRecord(c: ActionHelpShared, p: ActionHelpParts): CommandHelp {
  return {
    name: p.name,
    usage: [p.name, p.args, ACTION_USAGE_TAIL].filter(Boolean).join(' '),
    summary: p.summary,
    description: p.description,
    options: [...(p.options ?? []), ...c.flags],
    notes: [...(p.notes ?? []), c.nodesNote],
    exitCodes: c.exitCodes,
  };
}
