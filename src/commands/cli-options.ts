// Shared by every command: turning node:util parseArgs errors into the one-line form users get for any
// bad input (`error: --flag: what is wrong; what to do`).

/** parseArgs errors as one line naming the option. */
export function optionError(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const opt = /'(-{1,2}[^' ]+)/.exec(m)?.[1];
  const first = m.split('\n')[0]!.replace(/\. To specify.*$/, '');
  return opt ? `${opt.replace(/^(-+[^=]+).*/, '$1')}: ${first}; run with --help for the options` : `${first}; run with --help for the options`;
}
