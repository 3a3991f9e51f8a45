// Runs independent commands together: through the runner's runMany when it has one (SSH batches them in
// one session), else each with run(), in parallel.
import type { Argv, Runner, RunOptions, RunResult } from './runner.js';

export function runAll(runner: Runner, argvs: readonly Argv[], options: RunOptions = {}): Promise<RunResult[]> {
  if (argvs.length === 0) return Promise.resolve([]);
  if (runner.runMany) return runner.runMany(argvs, options);
  return Promise.all(argvs.map((a) => runner.run(a, options)));
}
