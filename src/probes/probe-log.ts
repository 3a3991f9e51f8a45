// How probeNode (probe-node.ts) turns a command that did not answer, or an answer a parser refused, into
// an entry of NodeFacts.failures: in the order they were met, never thrown.
import type { Argv, RunResult } from '../exec/runner.js';
import type { ProbeFailure } from './types.js';
import type { Parsed } from './parsed.js';

export const describeArgv = (argv: Argv) => argv.join(' ');

/** Why a result is not usable, or null when the command ran (whatever its exit code). */
export function notRun(r: RunResult): string | null {
  if (r.error !== undefined) return r.error;
  if (r.timedOut) return 'timed out';
  if (r.aborted) return 'aborted';
  if (r.exitCode === 127) return (r.stderr.trim() || 'command not found').split('\n')[0] as string;
  return null;
}

export function failureOf(probe: string, r: RunResult, why?: string): ProbeFailure {
  const first = (r.stderr.trim().split('\n')[0] ?? '').trim();
  const message = why ?? notRun(r) ?? (first !== '' ? `exit ${r.exitCode}: ${first}` : `exit ${r.exitCode}`);
  return { probe, message, argv: [...r.argv], exitCode: r.exitCode };
}

export class ProbeLog {
  readonly failures: ProbeFailure[] = [];

  add(f: ProbeFailure): void {
    this.failures.push(f);
  }

  /** A result that must be exit 0; records a failure otherwise. */
  must(r: RunResult, probe = describeArgv(r.argv)): RunResult | null {
    if (notRun(r) !== null || r.exitCode !== 0) {
      this.failures.push(failureOf(probe, r));
      return null;
    }
    return r;
  }

  /** The parsed value, or null with the parser's error recorded. */
  parsedOr<T>(probe: string, argv: Argv, p: Parsed<T>): T | null {
    if (p.ok) return p.value;
    this.failures.push({ probe, message: p.error, argv: [...argv] });
    return null;
  }
}
