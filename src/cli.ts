// The entry point. It must stay tiny: --version and --help are answered from here without loading
// React, Ink, ssh2 or the generators; each command is imported only when it is run (a separate chunk in
// dist/). Keep imports out of this file.

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

export const HELP = `hanfs-wizard ${VERSION}: two bare Linux servers to a highly available NFS service.

Usage:
  hanfs-wizard [--demo] [--answers FILE]        the wizard (run as root on the first node)
  hanfs-wizard export --answers FILE --out DIR  write every configuration file, touching no node
  hanfs-wizard rehearse --answers FILE [--cib FILE] [--on NODE] [--json]
                                                 play failures on the Pacemaker configuration
  hanfs-wizard probe [--node USER@HOST[:PORT]]... [--demo] [--json]
                                                 what the nodes have: disks, NICs, packages, DRBD
  hanfs-wizard apply --answers FILE [--dry-run] [--yes --wipe NODE:DISK...]
                                                 run the plan on both nodes
  hanfs-wizard monitor [--answers FILE | --node USER@HOST...] [--demo] [--once|--json|--check]
                                                 the live view of both nodes

Options:
  --demo         run on the embedded demo lab (recorded outputs of two real nodes);
                 probe and monitor take --demo=SCENARIO (bare, running, syncing, failover,
                 failed-over, split-brain, degraded-raid)
  --version, -V  print the version
  --help, -h     this help; "hanfs-wizard help COMMAND" for a command's options

Answers file reference: docs/answers.md. Exit codes: 0 success, 1 failure, 2 bad input.
`;

type Command = (argv: string[]) => Promise<number>;

// Literal import() calls so the bundler can split each command into its own chunk.
const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  wizard: () => import('./commands/wizard.js'),
  export: () => import('./commands/export.js'),
  rehearse: () => import('./commands/rehearse.js'),
  probe: () => import('./commands/probe.js'),
  apply: () => import('./commands/apply.js'),
  monitor: () => import('./commands/monitor.js'),
};

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
    if (name && name in COMMANDS) return runCommand(name, ['--help']);
    process.stdout.write(HELP);
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

// Run only when executed, not when imported by tests.
const invoked = process.argv[1] ?? '';
if (/(?:^|[\\/])(cli\.(?:js|ts)|hanfs-wizard)$/.test(invoked)) {
  main(process.argv.slice(2)).then(
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
