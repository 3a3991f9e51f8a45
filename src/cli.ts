// The entry point. It must stay tiny: --version and --help are answered from here without loading
// React, Ink, ssh2 or the generators; each command is imported only when it is run (a separate chunk in
// dist/). Keep imports out of this file, except the help source: pure data and string functions, so that
// every --help (the CLI's, each command's) is answered here, before a command loads.
import { COMMAND_HELP, renderCommandHelp, renderMainHelp, type CommandName } from './commands/help-source.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

export const HELP = renderMainHelp(VERSION);

type Command = (argv: string[]) => Promise<number>;

// Literal import() calls so the bundler can split each command into its own chunk.
const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  wizard: () => import('./commands/wizard.js'),
  export: () => import('./commands/export.js'),
  rehearse: () => import('./commands/rehearse.js'),
  probe: () => import('./commands/probe.js'),
  apply: () => import('./commands/apply.js'),
  monitor: () => import('./commands/monitor.js'),
  cleanup: () => import('./commands/cleanup.js'),
  switchover: () => import('./commands/switchover.js'),
  standby: () => import('./commands/standby.js'),
  online: () => import('./commands/online.js'),
  maintenance: () => import('./commands/maintenance.js'),
  snapshot: () => import('./commands/snapshot.js'),
  grow: () => import('./commands/grow.js'),
  'split-brain': () => import('./commands/split-brain.js'),
};

function isCommand(name: string | undefined): name is CommandName {
  return COMMAND_HELP.some((c) => c.name === name);
}

export async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === '--version' || first === '-V' || first === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  if (first === 'help') {
    const name = argv[1];
    process.stdout.write(isCommand(name) ? renderCommandHelp(name) : HELP);
    return 0;
  }
  // `COMMAND --help`: the same text the command prints, without loading it.
  if (isCommand(first) && argv.length === 2 && (argv[1] === '--help' || argv[1] === '-h')) {
    process.stdout.write(renderCommandHelp(first));
    return 0;
  }
  // No subcommand (or only options): the wizard.
  if (first === undefined || first.startsWith('-')) return runCommand('wizard', argv);
  if (!(first in COMMANDS)) {
    process.stderr.write(`error: ${first}: unknown command; run hanfs-wizard --help for the list\n`);
    return 2;
  }
  return runCommand(first, argv.slice(1));
}

async function runCommand(name: string, rest: string[]): Promise<number> {
  // Ink decides once, when it is first imported, that a CI variable means "no terminal" and then draws
  // nothing until it exits. A person at a real terminal (or a CI job driving one through tmux) must see
  // the screens, so on a TTY the variables Ink reads are cleared before any command loads it.
  if (process.stdin.isTTY && process.stdout.isTTY) {
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
  const mod = await COMMANDS[name]!();
  return mod.run(rest);
}

/** Runs the CLI as the process: sets the exit code, turns a programmer error into three lines. */
export function runAsProcess(argv: string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // Only programmer errors reach here: user errors are printed by the commands as one line.
      process.stderr.write(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      if (process.env.HANFS_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
      process.stderr.write('please report it with the command you ran (set HANFS_DEBUG=1 for details)\n');
      process.exitCode = 70;
    },
  );
}

// Run only when executed, not when imported by tests; the single executable has its own entry
// (src/sea-main.ts), which calls runAsProcess itself.
declare const __SEA__: boolean | undefined;
const invoked = process.argv[1] ?? '';
if ((typeof __SEA__ === 'undefined' || !__SEA__) && /(?:^|[\\/])(cli\.(?:js|ts)|hanfs-wizard)$/.test(invoked)) runAsProcess(process.argv.slice(2));
