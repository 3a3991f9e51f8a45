// A node for action tests: each read-only command answers, in turn, the real captures listed for it (the
// last one repeats); every other `run` is a change the action made, recorded in `changes` and answered
// with exit 0; streams (the run lock's flock holder) run for real on this machine through the local
// runner, so the lock is the real one. Tests assert what an action changed, never typed outputs.
import { readFileSync } from 'node:fs';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { LocalRunner } from '../../src/exec/local-runner.js';

const ok = (argv: Argv, stdout: string): RunResult => ({ argv, exitCode: 0, stdout, stderr: '', timedOut: false, aborted: false, durationMs: 1 });

export class ActionNode implements Runner {
  readonly changes: Argv[] = [];
  readonly all: Argv[] = [];
  private readonly local = new LocalRunner();
  private readonly served = new Map<string, number>();

  /** reads: argv (JSON-keyed) -> capture files answered in turn. */
  constructor(readonly label: string, private readonly reads: Map<string, string[]>) {}

  static key(argv: Argv): string {
    return JSON.stringify(argv);
  }

  async run(argv: Argv, _o?: RunOptions): Promise<RunResult> {
    this.all.push(argv);
    const k = ActionNode.key(argv);
    const files = this.reads.get(k);
    if (files) {
      const i = this.served.get(k) ?? 0;
      this.served.set(k, i + 1);
      return ok(argv, readFileSync(files[Math.min(i, files.length - 1)]!, 'utf8'));
    }
    // The run lock's release waits for the lock on the node: here, for real.
    if (argv[0] === 'flock') return this.local.run(argv, _o);
    this.changes.push(argv);
    return ok(argv, '');
  }

  stream(argv: Argv, o: StreamOptions): Promise<RunResult> {
    return this.local.stream(argv, o);
  }

  async close(): Promise<void> {
    await this.local.close();
  }
}
