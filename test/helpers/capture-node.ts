// The one node of the action tests (plan/actions, the monitor's action keys): a read-only command is
// answered by a real capture file, every other `run` is a change the action made, recorded and answered
// with exit 0; the run lock's flock runs for real on this machine (local runner), so the lock is the real
// one. What a read answers may depend on the changes made so far, on this node or on any node of the test
// (they share one change log): after `crm_resource --move` crm_mon answers the capture of the moved
// cluster, so an action that forgets a step is caught by its read-back. Tests assert what an action
// changed, never typed outputs. (Not test/apply/fake-node.ts: that one models what apply writes.)
import { readFileSync } from 'node:fs';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { LocalRunner } from '../../src/exec/local-runner.js';

/** One change made by one node; the log is shared by the nodes of one test, in the order made. */
export interface Change {
  node: string;
  argv: Argv;
}

/**
 * What a read answers in the state the log describes: a capture file (with its exit status), 'failed'
 * (exit 1: not available in this state), 'missing' (exit 127, as the demo lab answers a read it has no
 * capture for, never taken as a change), or null: not a read this answers.
 */
export type Reply = { file: string | string[]; exitCode?: number } | 'failed' | 'missing' | null;

export type Answer = (argv: Argv, log: Change[]) => Reply;

/** A read answered by another capture once this node ran a change starting with `ranPrefix`. */
export interface After {
  read: Argv;
  ranPrefix: Argv;
  file: string;
  exitCode?: number;
}

export interface CaptureNodeOptions {
  /** The node's name in the change log (default: its label). */
  name?: string;
  /** The change log, shared by the nodes of one test (default: the node's own). */
  log?: Change[];
  /** Reads answered, in turn, by these captures (the last one repeats). */
  reads?: [Argv, string[]][];
  /** Reads answered by another capture once this node changed something (checked before `reads`). */
  after?: After[];
  /** A read (or change) answered with this exit status instead of 0. */
  exitCodes?: [Argv, number][];
  /** Answers that depend on the log (checked first). */
  answer?: Answer;
}

const key = (argv: Argv) => JSON.stringify(argv);
const startsWith = (argv: Argv, prefix: Argv) => prefix.every((x, i) => argv[i] === x);

/** True when some change in the log starts with these words. */
export function ran(log: readonly Change[], ...words: string[]): boolean {
  return log.some((c) => startsWith(c.argv, words));
}

/** An Answer from one function per read: the capture for the log so far, or null (the read fails). */
export function byRead(entries: [Argv, (log: readonly Change[]) => string | null][]): Answer {
  const m = new Map(entries.map(([a, f]) => [key(a), f]));
  return (argv, log) => {
    const f = m.get(key(argv));
    if (!f) return null;
    const file = f(log);
    return file === null ? 'failed' : { file };
  };
}

export class CaptureNode implements Runner {
  /** Every command this node ran, reads included, in order. */
  readonly all: Argv[] = [];
  readonly name: string;
  readonly log: Change[];
  private readonly local = new LocalRunner();
  private readonly served = new Map<string, number>();
  private readonly reads: Map<string, string[]>;
  private readonly codes: Map<string, number>;

  constructor(readonly label: string, private readonly o: CaptureNodeOptions = {}) {
    this.name = o.name ?? label;
    this.log = o.log ?? [];
    this.reads = new Map((o.reads ?? []).map(([a, f]) => [key(a), f]));
    this.codes = new Map((o.exitCodes ?? []).map(([a, c]) => [key(a), c]));
  }

  /** The changes this node made, in order. */
  get changes(): Argv[] {
    return this.log.filter((c) => c.node === this.name).map((c) => c.argv);
  }

  async run(argv: Argv, opts?: RunOptions): Promise<RunResult> {
    this.all.push(argv);
    // The run lock's take and release wait for the lock on the node: here, for real.
    if (argv[0] === 'flock') return this.local.run(argv, opts);
    const res = (exitCode: number, stdout: string, stderr = ''): RunResult => ({ argv, exitCode, stdout, stderr, timedOut: false, aborted: false, durationMs: 1 });
    const a = this.o.answer?.(argv, this.log) ?? null;
    if (a === 'missing') return res(127, '', `no capture for: ${argv.join(' ')}`);
    if (a === 'failed') return res(1, '', 'not available in this state');
    // A list of files: their outputs one after the other (as the replay runner answers a list).
    if (a) return res(a.exitCode ?? 0, (Array.isArray(a.file) ? a.file : [a.file]).map((f) => readFileSync(f, 'utf8')).join(''));
    const k = key(argv);
    const mine = this.changes;
    const hit = this.o.after?.find((x) => key(x.read) === k && mine.some((c) => startsWith(c, x.ranPrefix)));
    if (hit) return res(hit.exitCode ?? 0, readFileSync(hit.file, 'utf8'));
    const code = this.codes.get(k) ?? 0;
    const files = this.reads.get(k);
    if (files) {
      const i = this.served.get(k) ?? 0;
      this.served.set(k, i + 1);
      return res(code, readFileSync(files[Math.min(i, files.length - 1)]!, 'utf8'));
    }
    this.log.push({ node: this.name, argv });
    return res(code, '');
  }

  stream(argv: Argv, o: StreamOptions): Promise<RunResult> {
    return this.local.stream(argv, o);
  }

  async close(): Promise<void> {
    await this.local.close();
  }
}
