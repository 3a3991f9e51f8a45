import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

// Shared by every command: turning node:util parseArgs errors into the one-line form users get for any
// bad input (`error: --flag: what is wrong; what to do`).

/** parseArgs errors as one line naming the option. */
export function optionError(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const opt = /'(-{1,2}[^' ]+)/.exec(m)?.[1];
  const first = m.split('\n')[0]!.replace(/\. To specify.*$/, '');
  return opt ? `${opt.replace(/^(-+[^=]+).*/, '$1')}: ${first}; run with --help for the options` : `${first}; run with --help for the options`;
}

type Config<O extends ParseArgsOptionsConfig> = { args: string[]; options: O; strict: true; allowPositionals: false };
type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<Config<O & { help: { type: 'boolean'; short: 'h' } }>>>['values'];

/**
 * The options every command parses the same way: strict flags, no positionals, --help/-h printing the
 * command's help. Returns the values, or the exit code the command returns at once (0 after --help, 2
 * after a bad flag, reported as one line).
 */
export function parseCommandOptions<const O extends ParseArgsOptionsConfig>(
  argv: string[],
  options: O,
  help: string,
): { exit: number } | { exit: null; values: Values<O> } {
  let values: Values<O>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`error: ${optionError(e)}\n`);
    return { exit: 2 };
  }
  if ((values as { help?: boolean }).help) {
    process.stdout.write(help);
    return { exit: 0 };
  }
  return { exit: null, values };
}
