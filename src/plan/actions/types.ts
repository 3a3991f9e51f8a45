// An action is what the admin does to a running cluster after apply (a switchover, a standby, a cleanup,
// a snapshot, growing the volume, a recovery). It takes apply's path, never a second one: read the nodes
// (read-only), judge the preconditions (refused with the reason when one does not hold: nothing changed),
// plan typed steps (src/plan/types.ts) with their checks and verifies, show them, get the confirmation the
// action needs, run them with the one engine (src/apply/), journal every command, and read back the state
// the action promised (its last step's verify). src/apply/action-run.ts runs one; the subcommands
// (src/commands/action-command.ts) and the live monitor's keys both call it.
import type { Runner } from '../../exec/runner.js';
import type { PlanStep } from '../types.js';
import type { ClusterFacts } from './cluster-facts.js';

/** A node an action may act on: its name in the cluster and the runner that reaches it. */
export interface ActionNode {
  name: string;
  runner: Runner;
}

/**
 * How the admin agrees. `typed`: the admin types `words` (an action that stops the service or destroys
 * data); `yes`: a y/n question; `none`: nothing to agree to (a dry run of a read, a cleanup of nothing).
 * Scripts give `--yes` for both kinds.
 */
export type Confirm =
  | { kind: 'none' }
  | { kind: 'yes'; question: string }
  | { kind: 'typed'; words: string; why: string };

export interface ActionPlan {
  /** The action's name as the admin calls it (the subcommand): "switchover", "snapshot create". */
  action: string;
  /** One line: what will happen, on which node ("the service moves from node1 to node2"). */
  summary: string;
  /** The facts the plan rests on (roles, sizes, what a resource's failures are), shown above the steps. */
  facts: string[];
  /**
   * Preconditions that do not hold, each one line with what to do. Not empty: the action is refused
   * (exit 3) and nothing runs; `steps` is then what it would have run, shown for context only.
   */
  refusals: string[];
  /**
   * Bad input only the nodes could tell (a node or resource the cluster does not have, a snapshot that
   * does not exist): one error naming the argument, exit 2, nothing run.
   */
  bad?: ArgError;
  steps: PlanStep[];
  confirm: Confirm;
  /** What the admin sees when the read-back passed ("node2 is now Primary and serves the export"). */
  done: string;
  /**
   * Optional: a change on THIS machine once the read-back passed (not on a dry run): the answers file
   * recording a replaced disk. `describe` is shown with the plan; `run` returns the line to print.
   */
  afterDone?: { describe: string; run: () => Promise<string> };
  /**
   * Optional: the values the action's read found for one of its flags (disk replace: the disks that could
   * replace the member), so a screen can offer them to choose from and plan again with the one chosen.
   * `default` is what the action takes without the flag (null: it needs one named).
   */
  choice?: PlanChoice;
  /** The md array and DRBD resource whose progress the screens show while a step waits. */
  names: { raidDevice: string; drbdResource: string };
}

export interface PlanChoice {
  /** The flag's name as parse() reads it ("disk" for --disk). */
  flag: string;
  question: string;
  options: { value: string; label: string }[];
  default: string | null;
  /** One line on what was not offered and why (disks in use, too small). */
  notOffered?: string;
}

/** What an action may read before it plans: the cluster's facts, and the answers when given. */
export interface ActionInput<A> {
  nodes: ActionNode[];
  facts: ClusterFacts;
  args: A;
}

/** A bad argument: `field` is the flag or argument named in the one-line error. */
export interface ArgError {
  field: string;
  message: string;
}

export interface ActionDef<A> {
  /** The subcommand's words, e.g. ["snapshot", "create"]. */
  words: string[];
  /** Turns the subcommand's positionals and its own flags into arguments, or names the bad one. */
  parse: (positionals: string[], flags: Record<string, string | boolean | string[] | undefined>) => { ok: true; args: A } | { ok: false; error: ArgError };
  /**
   * Optional: extra read-only facts the action needs beyond ClusterFacts (lvs, df, mdadm --detail),
   * read with the same runners before plan(). Failures are data: the plan refuses with the reason.
   */
  read?: (input: Omit<ActionInput<A>, 'facts'> & { facts: ClusterFacts }) => Promise<unknown>;
  /** Pure: facts and arguments in, the plan out (refusals included). Tested on real captures. */
  plan: (input: ActionInput<A>, extra: unknown) => ActionPlan;
}
