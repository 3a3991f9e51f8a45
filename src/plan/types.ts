// The plan's model: a step is a node (or the cluster), the argv it runs, a read-only check that says
// "already done" (so every run is idempotent and resumes after any interruption) and a verify that says
// "it took". The engine (src/apply/) runs steps, plan/<node>.sh prints them, the review and
// `apply --dry-run` show them: one model, so what is reviewed is what runs.
import type { Argv, RunResult } from '../exec/runner.js';
import type { Group } from './order.js';

/** A read-only command and a pure judgement of its result. */
export interface ProbeCheck {
  kind: 'probe';
  argv: Argv;
  /** What "true" means, in words: shown by --dry-run and in plan/<node>.sh. */
  describe: string;
  judge: (r: RunResult) => boolean;
  /**
   * A state the step must never run over (a foreign array of the answers' name): the engine reads it from
   * the check's output at the assessment and refuses the whole run, with this reason, before anything runs.
   */
  refuse?: (r: RunResult) => string | null;
}

/** A file check: the engine compares mode and sha256 with the export tree's bytes. */
export interface FileCheck {
  kind: 'file';
  argv: Argv;
  describe: string;
  target: string;
}

export type Check = ProbeCheck | FileCheck;

export interface Verify extends ProbeCheck {
  /** Poll until the judge passes or this many ms passed (waits for the cluster); absent = judge once. */
  waitMs?: number;
  intervalMs?: number;
  /**
   * Which progress the screen shows: 'drbd-sync' (the initial sync) or 'drbd-resync' (a resync after a
   * reconnect) while this verify waits; 'md-resync' after the step, in
   * the background while later steps run (md serves I/O while it resyncs: apply never waits for it).
   */
  progress?: 'drbd-sync' | 'drbd-resync' | 'md-resync';
  /** Problems waiting cannot cure (failed actions): the step fails at once, showing them and what to do. */
  blockers?: (r: RunResult) => { lines: string[]; next: string } | null;
  /** Why the judge does not pass, in words: shown when the wait times out. */
  explain?: (r: RunResult) => string[];
  /** What to do when the wait times out, from the last reading; null (or absent): the generic advice. */
  advice?: (r: RunResult) => string | null;
}

/** Where a command's standard input comes from: a file of the export tree, or fixed text. */
export type Stdin =
  | { kind: 'export'; exportPath: string; secret: boolean }
  /**
   * secret: the text carries a secret (a fence agent's options with its password): the engine's journal
   * notes its size only, and plan/<node>.sh prints `shown` instead, the secret values left out.
   */
  | { kind: 'text'; text: string; secret?: { shown: string } }
  /**
   * The stdout of a read-only command on another host of the run (a certificate carried between the
   * qnetd host and the nodes, base64-encoded so binary survives): read right before this command runs.
   * Its output is never journaled (a key can be in it); `what` names it for the journal and the screen.
   */
  | { kind: 'from-node'; node: string; argv: Argv; what: string }
  /** The live CIB's configuration with our sections merged in: computed by the engine right before it runs. */
  /**
   * over: a configuration for a fresh cluster, given before the whole one: refused (nothing written)
   * when the live CIB holds a resource not in this list (the whole configuration, or anyone's own).
   */
  | { kind: 'cib-merge'; cib: string; over?: string[] };

export interface PlanStep {
  /** Unique: "<node>/<name>" for per-node steps, "cluster/<name>" for cluster-wide ones. */
  id: string;
  /** The node it runs on (cluster-wide steps run on the first node). */
  node: string;
  cluster: boolean;
  title: string;
  why: string;
  destructive: boolean;
  /** Disks this step wipes: listed on the confirmation screen, re-probed right before it runs. */
  wipes: string[];
  /**
   * The block device (not a whole disk) whose content this destructive step overwrites (the md array
   * pvcreate writes, the LV create-md writes). Read before anything runs: absent, it is made in this run
   * from confirmed disks; present, it is shown and confirmed like a disk, and refused when it carries any
   * signature (this plan writes its own only through the step itself).
   */
  overwrites?: string;
  /** Needs the admin's consent even when not destructive (installing packages). */
  consent: boolean;
  commands: Argv[];
  /** stdin per command index. */
  stdin: Record<number, Stdin>;
  /** Null: no state to check (wait-only steps); the step always runs its commands and verify. */
  check: Check | null;
  /** Ids of later steps whose "done" implies this one is done (a running cluster proves the packages). */
  doneIf: string[];
  verify: Verify | null;
  /** Steps of one group run on both nodes at once; groups run in GROUPS' order (src/plan/order.ts). */
  parallelGroup: Group;
  /** Set when running it on a live cluster interrupts the service: said before it runs. */
  interruptsService: string | null;
  /** A state the commands need, checked right before they run (else the step fails and changes nothing). */
  requires?: ProbeCheck;
  /**
   * Also to do, though its own check says done, when one of these steps is to do and `judge` says so of
   * the check's output: the restart a configuration change will need, announced before the run starts.
   */
  alsoAfter?: { steps: string[]; judge: (r: RunResult) => boolean; describe: string };
  /**
   * Runs while the later groups go on, and must be done before group `before` starts (and before apply
   * ends): work nothing in between depends on and that collides with nothing else (the boot symlinks,
   * once the foreground's last systemctl enable/disable is done; the ping clone on a fresh cluster). A
   * node's background steps run one after another in plan order. Only light work belongs here: on the
   * lab's shared cores, a lane of file writes and a daemon-reload slowed the foreground more than it saved.
   */
  background?: { before: Group };
  /**
   * Its commands may run again on a node where they already ran (the same bytes written, a unit enabled,
   * a directory made, a reload): when the assessment found it to do, its check is not read again right
   * before it runs (one SSH round trip less per step; a run does not wait for the checks of ~30 steps
   * per node). Never on destructive or create-once steps: theirs is always read again.
   */
  repeatable?: true;
  /**
   * Set on a step that installs one node file from the export tree: the engine knows it by this, not by
   * its argv. `reload`: the command run between the write and the record (null: none), as in `commands`.
   */
  file?: FileWrite;
  /**
   * What to do when a command fails, from its result, instead of the generic advice: a preflight that
   * knows which answers field is wrong says so (an unreachable BMC names the address field).
   */
  failureAdvice?: (r: RunResult) => string;
  /** What plan/<node>.sh runs instead, where the engine computes something at run time (the CIB merge). */
  script?: { commands: Argv[]; stdin: Record<number, Stdin>; note: string };
}

/** A node file written from the export tree (src/plan/node-files.ts builds its commands). */
export interface FileWrite {
  target: string;
  mode: number;
  secret: boolean;
  reload: Argv | null;
}

/** A step with every optional field at its default. */
export function step(s: Partial<PlanStep> & Pick<PlanStep, 'id' | 'node' | 'title' | 'why' | 'parallelGroup'>): PlanStep {
  return {
    cluster: false, destructive: false, wipes: [], consent: false, commands: [], stdin: {}, check: null, doneIf: [], verify: null,
    interruptsService: null, ...s,
  };
}
