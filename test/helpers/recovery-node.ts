// A node for the recovery actions' engine tests: like ActionNode (reads answered by real captures, every
// other command a recorded change), but what a read answers depends on the changes made so far, on either
// node: `answer(argv, changes)` returns the capture file for the state those changes produced. A read it
// has no capture for is answered as the demo lab answers one (exit 127), never as a change.
import { readFileSync } from 'node:fs';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { LocalRunner } from '../../src/exec/local-runner.js';

export type Answer = { file: string; exitCode?: number } | 'missing' | null;

export class RecoveryNode implements Runner {
  readonly all: Argv[] = [];
  private readonly local = new LocalRunner();

  /** changes: shared by both nodes of one test, in the order they were made (node name + argv). */
  constructor(
    readonly label: string,
    private readonly changes: { node: string; argv: Argv }[],
    private readonly answer: (argv: Argv, changes: { node: string; argv: Argv }[]) => Answer,
  ) {}

  get mine(): Argv[] {
    return this.changes.filter((c) => c.node === this.label).map((c) => c.argv);
  }

  async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    this.all.push(argv);
    if (argv[0] === 'flock') return this.local.run(argv, o);
    const a = this.answer(argv, this.changes);
    const res = (exitCode: number, stdout: string, stderr = ''): RunResult => ({ argv, exitCode, stdout, stderr, timedOut: false, aborted: false, durationMs: 1 });
    if (a === 'missing') return res(127, '', `no capture for: ${argv.join(' ')}`);
    if (a) return res(a.exitCode ?? 0, readFileSync(a.file, 'utf8'));
    this.changes.push({ node: this.label, argv });
    return res(0, '');
  }

  stream(argv: Argv, o: StreamOptions): Promise<RunResult> {
    return this.local.stream(argv, o);
  }

  async close(): Promise<void> {
    await this.local.close();
  }
}
