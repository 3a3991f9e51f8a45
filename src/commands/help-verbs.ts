// The verbs of a command (snapshot list|create|..., disk replace, maintenance on|off), read from its help
// record's usage line, so that the bash completion (bash-completion.ts) offers exactly what --help
// shows and cannot drift from it. Pure: no imports beyond the help source's word splitter.
import { usageWords } from './help-source.js';
import type { CommandHelp } from './help-types.js';

const VERB = /^[a-z][a-z0-9-]*$/;

/**
 * The literal lower-case words that open the usage's alternatives: "list | create | mount NAME [DIR]"
 * gives list, create, mount; "on|off" gives on, off; "replace NODE" gives replace. Placeholders (NODE,
 * +SIZE) and optional arguments ([DIR]) are not verbs; the options that follow end the verbs.
 */
export function usageVerbs(c: CommandHelp): string[] {
  if (c.name === 'wizard') return [];
  const words = usageWords(c.usage.slice(c.name.length + 1));
  const verbs: string[] = [];
  let opening = true; // at the start of an alternative
  for (const w of words) {
    // The options ("--from", "[--dry-run]") end the verbs; an optional argument ("[DIR]") does not.
    if (w.startsWith('-') || w.startsWith('[-')) break;
    if (w === '|') {
      opening = true;
      continue;
    }
    if (opening) for (const part of w.split('|')) if (VERB.test(part)) verbs.push(part);
    opening = w.endsWith('|');
  }
  return [...new Set(verbs)];
}
