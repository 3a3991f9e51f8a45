// The apply journal: every command with its node, step, exit code, output and timing, secrets redacted,
// appended as it happens (an interrupted run leaves a complete record up to the interruption). Written to
// /var/log/hanfs-wizard/apply-<timestamp>.log and to --log FILE.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Argv, RunResult } from '../exec/runner.js';
import { quoteArgv } from '../exec/shell-quote.js';
import type { Redactor } from './redact.js';

export const DEFAULT_JOURNAL_DIR = '/var/log/hanfs-wizard';
const MAX_OUTPUT = 64 * 1024;

export interface JournalEntry {
  at: string;
  node: string;
  step: string;
  argv: string;
  stdin?: string;
  exitCode: number | null;
  durationMs: number;
  stdout: string;
  stderr: string;
  note?: string;
}

export class Journal {
  /** Files that could not be written (shown once; the run goes on, the other copy still records). */
  readonly failures: string[] = [];
  /** Every entry, for the final summary and the benchmark (overhead vs the tools' own time). */
  readonly entries: JournalEntry[] = [];
  constructor(private readonly paths: string[], private readonly redactor: Redactor) {
    for (const p of paths) {
      try {
        mkdirSync(dirname(p), { recursive: true, mode: 0o700 });
        appendFileSync(p, '', { mode: 0o600 });
      } catch (e) {
        this.failures.push(`${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    }
  }

  /** kind: what ran (apply, or an action's name such as "switchover"): the journal's file name starts with it. */
  static defaultPath(now = new Date(), kind = 'apply'): string {
    return `${DEFAULT_JOURNAL_DIR}/${kind}-${now.toISOString().replace(/[:.]/g, '-')}.log`;
  }

  private write(text: string): void {
    for (const p of this.paths) {
      if (this.failures.some((f) => f.startsWith(`${p}:`))) continue;
      try {
        appendFileSync(p, text, { mode: 0o600 });
      } catch (e) {
        this.failures.push(`${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    }
  }

  note(node: string, step: string, message: string): void {
    this.write(`[${new Date().toISOString()}] ${node} ${step}: ${this.redactor.redact(message)}\n`);
  }

  /**
   * Records one command. `withheld` keeps the output out (it carries a secret the redactor cannot know yet);
   * `sameOutput` says it printed what its previous run printed.
   */
  command(node: string, step: string, argv: Argv, r: RunResult, options: { stdin?: string; withheld?: boolean; sameOutput?: boolean } = {}): JournalEntry {
    const cut = (s: string) => (s.length > MAX_OUTPUT ? `${s.slice(0, MAX_OUTPUT)}\n[... ${s.length - MAX_OUTPUT} more characters]` : s);
    const e: JournalEntry = {
      at: new Date().toISOString(),
      node,
      step,
      argv: this.redactor.redact(quoteArgv(argv)),
      ...(options.stdin ? { stdin: options.stdin } : {}),
      exitCode: r.exitCode,
      durationMs: r.durationMs,
      // A poll repeated with the same answer (a wait, a resync watcher) is recorded with its exit code and
      // time, its output only once.
      stdout: options.withheld ? '[withheld: contains a secret]' : options.sameOutput ? '[same output as the previous run of this command]' : this.redactor.redact(cut(r.stdout)),
      stderr: this.redactor.redact(cut(r.stderr)),
      ...(r.error ? { note: this.redactor.redact(r.error) } : r.timedOut ? { note: 'timed out' } : r.aborted ? { note: 'aborted' } : {}),
    };
    this.entries.push(e);
    const indent = (s: string) => s.replace(/\n$/, '').split('\n').map((l) => `    ${l}`).join('\n');
    this.write(
      `[${e.at}] ${node} ${step}: $ ${e.argv}${e.stdin ? ` < ${e.stdin}` : ''}\n` +
        `  exit ${e.exitCode ?? 'none'} in ${e.durationMs} ms${e.note ? ` (${e.note})` : ''}\n` +
        (e.stdout ? `  stdout:\n${indent(e.stdout)}\n` : '') +
        (e.stderr ? `  stderr:\n${indent(e.stderr)}\n` : ''),
    );
    return e;
  }
}
