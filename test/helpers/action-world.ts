// Nodes of one small world for action tests: what a read-only command answers depends on what the action
// has changed so far, on any node (after `crm_resource --move`, crm_mon on both nodes answers the capture of
// the moved cluster). Each answer is a real capture file (or null: the command fails). Everything else is
// an ActionNode's: changes are recorded and answered with exit 0, the run lock is the real one. An action
// that forgets a step is caught by the read-back, because the world then keeps answering the old state.
import { readFileSync } from 'node:fs';
import type { Argv, RunOptions, RunResult } from '../../src/exec/runner.js';
import { ActionNode } from './action-node.js';

export interface World {
  /** Every change of every node, in order: [node, argv]. */
  changes: [string, Argv][];
}

/** True when some node ran a command starting with these words. */
export function ran(w: World, ...words: string[]): boolean {
  return w.changes.some(([, a]) => words.every((x, i) => a[i] === x));
}

export type Answer = (w: World) => string | null;

export class WorldNode extends ActionNode {
  constructor(label: string, readonly name: string, private readonly world: World, private readonly answers: Map<string, Answer>) {
    super(label, new Map());
  }

  override async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    const answer = this.answers.get(ActionNode.key(argv));
    if (answer) {
      this.all.push(argv);
      const file = answer(this.world);
      if (file === null) return { argv, exitCode: 1, stdout: '', stderr: 'not available in this state', timedOut: false, aborted: false, durationMs: 1 };
      return { argv, exitCode: 0, stdout: readFileSync(file, 'utf8'), stderr: '', timedOut: false, aborted: false, durationMs: 1 };
    }
    const before = this.changes.length;
    const r = await super.run(argv, o);
    if (this.changes.length > before) this.world.changes.push([this.name, argv]);
    return r;
  }
}
