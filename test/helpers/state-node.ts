// An ActionNode whose reads change once the action changed something: `after` answers a read with another
// real capture once a given command ran (the lvs that lists the new snapshot after `systemctl start
// hanfs-snapshot.service`, the findmnt that shows the mount after `mount`). Everything else as ActionNode.
import { readFileSync } from 'node:fs';
import type { Argv, RunOptions, RunResult } from '../../src/exec/runner.js';
import { ActionNode } from './action-node.js';

export interface After {
  /** The read this answers (argv as run). */
  read: Argv;
  /** Once a change with this argv[0..n] prefix ran... */
  ranPrefix: Argv;
  /** ...the read is answered with this capture, with this exit status. */
  file: string;
  exitCode?: number;
}

export class StateNode extends ActionNode {
  constructor(label: string, reads: Map<string, string[]>, private readonly after: After[], private readonly exitCodes: Map<string, number> = new Map()) {
    super(label, reads);
  }

  override async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    const k = ActionNode.key(argv);
    const hit = this.after.find((a) => ActionNode.key(a.read) === k && this.changes.some((c) => a.ranPrefix.every((x, i) => c[i] === x)));
    if (hit) {
      this.all.push(argv);
      return { argv, exitCode: hit.exitCode ?? 0, stdout: readFileSync(hit.file, 'utf8'), stderr: '', timedOut: false, aborted: false, durationMs: 1 };
    }
    const r = await super.run(argv, o);
    const code = this.exitCodes.get(k);
    return code === undefined ? r : { ...r, exitCode: code };
  }
}
