// The ONE place an argv becomes a shell string. SSH has no argv: the server hands the command string to
// the user's login shell, so every argument is quoted here and nowhere else (a project rule: docs/architecture.md).
import type { Argv } from './runner.js';

/**
 * POSIX single-quote style: 'abc' stays literal in every POSIX shell; an embedded single quote is closed,
 * escaped and reopened ('\''). Words made only of safe characters are left bare so logs stay readable.
 */
export function quoteArg(arg: string): string {
  if (arg.length > 0 && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Joins an argv into one command line for `sh -c` / an SSH exec request. */
export function quoteArgv(argv: Argv): string {
  if (argv.length === 0) throw new Error('quoteArgv: empty argv'); // programmer error, not user input
  for (const a of argv) {
    // A NUL cannot travel through a C string (execve, the SSH exec request): refuse instead of truncating.
    if (a.includes('\0')) throw new Error('quoteArgv: argument contains a NUL byte');
  }
  return argv.map(quoteArg).join(' ');
}
