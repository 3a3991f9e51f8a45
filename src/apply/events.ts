// What the engine tells and returns: events (screens and the plain/JSON formatters render them), the
// outcome, and the options it runs with.
import type { Answers } from '../answers/schema.js';
import type { Runner } from '../exec/runner.js';
import type { ExportFile } from '../generate/export-layout.js';
import type { PlanStep } from '../plan/types.js';
import type { MdResync } from './md-resync.js';
import type { DiskReview } from './disk-review.js';
import type { Journal } from './journal.js';
import type { Redactor } from './redact.js';

export type StepStatus = 'done' | 'implied' | 'todo';

export interface StepView {
  id: string;
  node: string;
  title: string;
  destructive: boolean;
  group: string;
  /** Runs while later steps go on (the initramfs rebuild): shown apart from the node's current step. */
  background?: true;
}

export type ApplyEvent =
  | { type: 'assessed'; steps: (StepView & { status: StepStatus; reason: string })[] }
  | { type: 'step-start'; step: StepView; at: number }
  | { type: 'step-skip'; step: StepView; reason: string }
  | { type: 'step-would-run'; step: StepView; commands: string[] }
  | { type: 'command'; step: StepView; command: string }
  | { type: 'step-done'; step: StepView; durationMs: number }
  | { type: 'step-failed'; step: StepView; failure: StepFailure }
  /**
   * A long step's progress. background: it goes on while later steps run (the RAID resync after
   * `mdadm --create`), shown apart from the node's current step; 100 = it finished.
   */
  | { type: 'progress'; step: StepView; percent: number; rateKiBs: number | null; etaSec: number | null; what: string; background?: boolean }
  | { type: 'message'; level: 'info' | 'warn'; text: string };

export interface StepFailure {
  command: string;
  exitCode: number | null;
  stderr: string;
  next: string;
}

export interface EditedFile {
  node: string;
  target: string;
  secret: boolean;
  /** The node's current text (null for secret files: never shown). */
  current: string | null;
  ours: string | null;
}

/** Work that goes on after apply returns (a RAID resync): where it stood when apply finished. */
export type BackgroundWork = Omit<MdResync, 'window'>;

export type ApplyOutcome =
  | { kind: 'done'; ran: string[]; skipped: string[]; background: BackgroundWork[] }
  | { kind: 'dry-run'; wouldRun: string[]; skipped: string[]; background: BackgroundWork[] }
  | { kind: 'failed'; step: string; failure: StepFailure; background?: BackgroundWork[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'interrupted'; step: string | null };

export interface ApplyOptions {
  /** The answers of an apply; an action (src/plan/actions/) has none and gives `steps` and `names`. */
  answers?: Answers;
  /** The md array and DRBD resource whose progress the screens show; default: the answers'. */
  names?: { raidDevice: string; drbdResource: string };
  /** One runner per node name. */
  runners: ReadonlyMap<string, Runner>;
  /** The export tree with the secrets of this run (existing ones reused): node files are installed from it. */
  files: ExportFile[];
  journal: Journal;
  redactor: Redactor;
  dryRun: boolean;
  /** Asked once with every disk to be wiped; resolve true to go on. */
  confirmWipe: (disks: DiskReview[]) => Promise<boolean>;
  /** Asked before installing packages (consent). */
  confirmPackages: (nodes: string[]) => Promise<boolean>;
  /** Asked per file edited on a node since the last apply; resolve true to replace it. */
  confirmReplace: (file: EditedFile) => Promise<boolean>;
  onEvent?: (e: ApplyEvent) => void;
  signal?: AbortSignal;
  /** Waiting between polls; tests pass a fast one. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /**
   * The steps to run: apply passes the plan it built with the export tree (the one shown and consented
   * is the one run), actions theirs, tests a part; without it, the answers' whole plan.
   */
  steps?: PlanStep[];
}

export const view = (s: PlanStep): StepView => ({
  id: s.id, node: s.node, title: s.title, destructive: s.destructive, group: s.parallelGroup, ...(s.background ? { background: true as const } : {}),
});
