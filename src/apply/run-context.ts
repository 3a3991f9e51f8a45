// What every part of one apply run shares: the options, the plan, the state cache, the journaled way to
// run a command on a node, and how a step fails. The parts: assessment.ts (is each step done?),
// consent.ts (disks, packages, edited files), scheduler.ts (groups, background lanes, joins),
// step-runner.ts (one step's commands, read-back and verify), resync-watch.ts (RAID resyncs meanwhile).
import type { Argv, Runner, RunOptions, RunResult } from '../exec/runner.js';
import { succeeded } from '../exec/runner.js';
import type { ExportFile } from '../generate/export-layout.js';
import { planSteps } from '../plan/plan.js';
import type { Check, PlanStep } from '../plan/types.js';
import { fileState, type FileState } from './file-state.js';
import type { DiskReview } from './disk-review.js';
import { view, type ApplyEvent, type ApplyOptions, type ApplyOutcome, type StepFailure } from './events.js';
import { StateCache } from './state-cache.js';

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class RunContext {
  readonly steps: PlanStep[];
  readonly byId: Map<string, PlanStep>;
  readonly cache: StateCache;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now: () => number;
  /** Disks as reviewed before the admin confirmed them: each is compared again right before its wipe. */
  readonly reviews = new Map<string, DiskReview>();
  /** Steps the assessment found to do that have not started since (see assessment.ts: doneIf). */
  readonly untouchedTodo = new Set<string>();
  readonly approvedReplace = new Set<string>();
  /** The last output of each repeated command (node, label, argv), so a poll's unchanged output is journaled once. */
  private readonly lastOutput = new Map<string, string>();

  /** The md array and DRBD resource whose progress a wait shows. */
  readonly names: { raidDevice: string; drbdResource: string };

  constructor(readonly o: ApplyOptions) {
    if (!o.steps && !o.answers) throw new Error('engine: a run needs the answers or its steps');
    this.steps = o.steps ?? planSteps(o.answers!);
    this.names = o.names ?? (o.answers ? { raidDevice: o.answers.raid.device, drbdResource: o.answers.drbd.resource } : { raidDevice: '', drbdResource: '' });
    this.byId = new Map(this.steps.map((s) => [s.id, s]));
    this.cache = new StateCache(o);
    this.sleep = o.sleep ?? defaultSleep;
    this.now = o.now ?? Date.now;
  }

  emit(e: ApplyEvent): void {
    this.o.onEvent?.(e);
  }

  runner(node: string): Runner {
    return this.o.runners.get(node)!;
  }

  get aborted(): boolean {
    return this.o.signal?.aborted === true;
  }

  /** The export tree's file a file step installs. */
  fileFor(s: PlanStep): ExportFile | undefined {
    const stdin = s.stdin[0];
    if (stdin?.kind !== 'export') return undefined;
    return this.o.files.find((f) => f.path === stdin.exportPath);
  }

  async fileStateOf(s: PlanStep, check: Check & { kind: 'file' }): Promise<FileState | null> {
    const r = await this.cache.run(s.node, s.id, check.argv);
    return succeeded(r) ? fileState(r.stdout) : null;
  }

  /**
   * Runs a command and journals it: every command apply runs on a node is in the journal, each poll of a
   * wait too (with its output once while it does not change), so the journal's timings account for the
   * whole run.
   */
  async runJournaled(runner: Runner, node: string, label: string, argv: Argv, options: RunOptions = {}): Promise<RunResult> {
    const r = await runner.run(argv, { signal: this.o.signal, ...options });
    const key = `${node}\0${label}\0${argv.join('\0')}`;
    const same = r.stdout !== '' && this.lastOutput.get(key) === r.stdout;
    this.lastOutput.set(key, r.stdout);
    this.o.journal.command(node, label, argv, r, { sameOutput: same });
    return r;
  }

  /** The node's runner with every run() journaled under `label` (for helpers that take a runner). */
  journaledRunner(runner: Runner, node: string, label: string): Runner {
    return {
      label: runner.label,
      run: (argv, options) => this.runJournaled(runner, node, label, argv, options),
      stream: (argv, options) => runner.stream(argv, options),
      // The node's runner stays open: it belongs to the engine's caller.
      close: async () => {},
    };
  }

  fail(s: PlanStep, command: string, r: RunResult, verify = false, next?: string): ApplyOutcome {
    const failure: StepFailure = {
      command,
      exitCode: r.exitCode,
      stderr: this.o.redactor.redact((r.error ?? r.stderr).trim()),
      next: next ?? nextAdvice(s, r, verify),
    };
    this.emit({ type: 'step-failed', step: view(s), failure });
    return { kind: 'failed', step: s.id, failure };
  }
}

function nextAdvice(s: PlanStep, r: RunResult, verify: boolean): string {
  if (r.error !== undefined && /unreachable|connect|ECONN|timed out|handshake/i.test(r.error)) {
    return `${s.node} could not be reached: check SSH to it, then run apply again; finished steps are skipped.`;
  }
  if (verify) return `"${s.title}" ran but its result did not show up. Look at the journal for the command outputs, fix the cause on ${s.node}, then run apply again: it resumes here.`;
  return `Fix the cause on ${s.node} (the journal has every output), then run apply again: steps already done are skipped and it resumes at "${s.title}".`;
}

/** A failed read-back, as a result: the file on the node does not hold the export tree's bytes. */
export function readBackFailure(argv: Argv, stderr: string): RunResult {
  return { argv, exitCode: 1, stdout: '', stderr, timedOut: false, aborted: false, durationMs: 0 };
}
