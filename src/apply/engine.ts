// The apply engine: runs the plan through one Runner per node. Before each step a read-only check says
// whether it is already done (then it is skipped: every run is idempotent and resumes wherever an earlier
// run stopped); after it, a verify says whether it took. Both nodes' steps of one group run at once.
// Nothing destructive runs before the disks were reviewed and confirmed, and each disk is probed again
// right before it is wiped. The engine never prints: it emits events (screens and the plain/JSON
// formatters render them) and journals every command.
import type { Answers } from '../answers/schema.js';
import type { Argv, Runner, RunOptions, RunResult } from '../exec/runner.js';
import { succeeded } from '../exec/runner.js';
import { quoteArgv } from '../exec/shell-quote.js';
import type { ExportFile } from '../generate/export-layout.js';
import { APPLIED_RECORD, WRITE_AND_RECORD_FILE_SCRIPT, WRITE_AND_RECORD_FILES_SCRIPT, filesInput } from '../plan/node-files.js';
import { cibDifferences, cibResourceIds, cibSection, fenceHandlerConstraints, mergeCibConfiguration } from '../generate/cib-merge.js';
import { planSteps } from '../plan/plan.js';
import type { Check, PlanStep } from '../plan/types.js';
import { parseProcDrbd } from '../probes/proc-drbd.js';
import { parseDrbdadmStatus } from '../probes/drbd-status.js';
import { mdResyncFrom, type MdResync } from './md-resync.js';
import { changesSinceReview, reviewDisks, type DiskReview } from './disk-review.js';
import { fileState, judgeFile, sha256, type FileState } from './file-state.js';
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
  answers: Answers;
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
  /** Limits the plan (tests and the wizard's partial runs); default: every step. */
  steps?: PlanStep[];
}

const view = (s: PlanStep): StepView => ({
  id: s.id, node: s.node, title: s.title, destructive: s.destructive, group: s.parallelGroup, ...(s.background ? { background: true as const } : {}),
});

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
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

/**
 * The pause before a wait's next read: its interval, or three times what the last read took, whichever is
 * longer, so a wait spends at most about a quarter of a node's time asking. On real servers crm_mon
 * answers in 50-100 ms and the interval decides; on the lab's emulated single vCPU it took 0.6-5.9 s, and
 * at the settle's 3 s interval a read ran for 78 of the wait's 191 s (39 reads, apply journal of
 * 2026-11-26 10:01) on the node whose resource starts it waits for. At most the interval plus
 * POLL_PAUSE_EXTRA_MS, though: one read slowed by the starts it waits for (6.0 s, beside an agent's start)
 * made the settle pause 18 s and see the service 14 s after it had settled (apply journal of 2026-11-27
 * 05:10, docs/ha-tuning.md).
 */
export function pollPause(intervalMs: number, lastReadMs: number): number {
  return Math.max(intervalMs, Math.min(3 * lastReadMs, intervalMs + POLL_PAUSE_EXTRA_MS));
}

/** The most a slow read lengthens a wait's pause (pollPause). */
export const POLL_PAUSE_EXTRA_MS = 4000;

/** Checks read at once per node while assessing: a few sessions over the node's one SSH connection. */
export const ASSESS_CONCURRENCY = 4;

/** Memoised read-only checks: one run of each argv per node until something changes the node. */
class StateCache {
  private readonly cache = new Map<string, Promise<RunResult>>();
  constructor(private readonly o: ApplyOptions) {}
  invalidate(): void {
    this.cache.clear();
  }
  private static key(node: string, argv: Argv): string {
    return `${node}\0${JSON.stringify(argv)}`;
  }
  run(node: string, step: string, argv: Argv): Promise<RunResult> {
    const key = StateCache.key(node, argv);
    let p = this.cache.get(key);
    if (!p) {
      const runner = this.o.runners.get(node)!;
      p = runner.run(argv, { signal: this.o.signal, timeoutMs: 60_000 }).then((r) => {
        this.o.journal.command(node, `${step} (check)`, argv, r);
        return r;
      });
      this.cache.set(key, p);
    }
    return p;
  }

  /**
   * Reads these checks of one node in one batch (the runner's runMany: one SSH session, the checks side
   * by side on the node) and keeps their results as run() would have. Each check as its own session cost
   * the lab 12 s of every apply, the sessions more than the checks (sshd's fork and the login shell, 0.1 s
   * each on an idle emulated vCPU, 0.3-1.5 s under load). Without runMany, or when the batch as a whole
   * fails, nothing is kept: each check then runs on its own when it is read, as before.
   */
  async prefetch(node: string, checks: readonly { step: string; argv: Argv }[]): Promise<void> {
    const runner = this.o.runners.get(node)!;
    if (!runner.runMany) return;
    const fresh = new Map<string, { step: string; argv: Argv }>();
    for (const c of checks) {
      const key = StateCache.key(node, c.argv);
      if (!this.cache.has(key) && !fresh.has(key)) fresh.set(key, c);
    }
    if (fresh.size < 2) return;
    const list = [...fresh.entries()];
    const results = await runner.runMany(list.map(([, c]) => c.argv), { signal: this.o.signal, timeoutMs: 60_000 });
    // A result that is no command's own (the batch failed, timed out, was aborted) is not kept.
    const unanswered = (r: RunResult) => r.error !== undefined || r.timedOut || r.aborted;
    if (results.every(unanswered)) {
      const r = results[0]!;
      this.o.journal.note(node, 'assessment', `the batch of ${list.length} checks did not run (${r.error ?? (r.timedOut ? 'timed out' : 'aborted')}): each is read on its own`);
      return;
    }
    list.forEach(([key, c], i) => {
      const r = results[i]!;
      if (this.cache.has(key) || unanswered(r)) return;
      this.o.journal.command(node, `${c.step} (check, in a batch of ${list.length})`, c.argv, r);
      this.cache.set(key, Promise.resolve(r));
    });
  }
}

export class ApplyEngine {
  private readonly steps: PlanStep[];
  private readonly byId: Map<string, PlanStep>;
  private readonly cache: StateCache;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private reviews = new Map<string, DiskReview>();
  /** Steps the assessment found to do that have not started since (see status: doneIf). */
  private readonly untouchedTodo = new Set<string>();
  private approvedReplace = new Set<string>();
  /** Background watchers of RAID resyncs, per node; stopped (their sleeps cut short) when the run ends. */
  private readonly watches = new Map<string, Promise<void>>();
  private readonly resync = new Map<string, MdResync | null>();
  private readonly watchStop = new AbortController();

  constructor(private readonly o: ApplyOptions) {
    this.steps = o.steps ?? planSteps(o.answers);
    this.byId = new Map(this.steps.map((s) => [s.id, s]));
    this.cache = new StateCache(o);
    this.sleep = o.sleep ?? defaultSleep;
    this.now = o.now ?? Date.now;
  }

  private emit(e: ApplyEvent): void {
    this.o.onEvent?.(e);
  }

  private fileFor(s: PlanStep): ExportFile | undefined {
    const stdin = s.stdin[0];
    if (stdin?.kind !== 'export') return undefined;
    return this.o.files.find((f) => f.path === stdin.exportPath);
  }

  private async fileStateOf(s: PlanStep, check: Check & { kind: 'file' }): Promise<FileState | null> {
    const r = await this.cache.run(s.node, s.id, check.argv);
    return succeeded(r) ? fileState(r.stdout) : null;
  }

  /** Is the step's effect in place now? Its own check, or a later step whose "done" implies it. */
  async status(s: PlanStep, seen = new Set<string>()): Promise<{ status: StepStatus; reason: string }> {
    if (s.check) {
      if (s.check.kind === 'file') {
        const file = this.fileFor(s);
        const st = await this.fileStateOf(s, s.check);
        if (file && st && judgeFile(st, file).kind === 'same') return { status: 'done', reason: s.check.describe };
      } else {
        const r = await this.cache.run(s.node, s.id, s.check.argv);
        if (s.check.judge(r)) {
          const after = s.alsoAfter;
          if (after && after.judge(r)) {
            seen.add(s.id);
            for (const id of after.steps) {
              const before = this.byId.get(id);
              if (before && !seen.has(id) && (await this.status(before, seen)).status === 'todo') {
                return { status: 'todo', reason: `needed once "${before.title}" ran: ${after.describe}` };
              }
            }
          }
          return { status: 'done', reason: s.check.describe };
        }
      }
    }
    seen.add(s.id);
    for (const id of s.doneIf) {
      const later = this.byId.get(id);
      if (!later || seen.has(id)) continue;
      // A later step that was to do when the run began and has not run since is still to do: only it
      // brings about its own state (the plan's doneIf names later steps, whose effect no earlier step
      // has). Its check is not read again after every command (6-12 s of the lab's first node per run).
      // Only ever a "to do" that is not re-read: the step's own check above always is.
      if (this.untouchedTodo.has(id)) continue;
      if (later.check && (await this.status(later, seen)).status !== 'todo') return { status: 'implied', reason: `implied by "${later.title}"` };
    }
    return { status: 'todo', reason: s.check ? `not yet: ${s.check.describe}` : 'always runs (waits and checks)' };
  }

  /**
   * A step's status right before it would run: its check read again, except for a repeatable step the
   * assessment found to do that has not started since (PlanStep.repeatable): running it then is right
   * either way.
   */
  private async statusBeforeRun(s: PlanStep): Promise<{ status: StepStatus; reason: string }> {
    if (s.repeatable && this.untouchedTodo.has(s.id)) return { status: 'todo', reason: 'to do when the run began' };
    return this.status(s);
  }

  async run(): Promise<ApplyOutcome> {
    let out: ApplyOutcome;
    try {
      out = await this.runPlan();
    } finally {
      this.watchStop.abort();
      await Promise.all(this.watches.values());
    }
    if (out.kind === 'done' || out.kind === 'dry-run' || out.kind === 'failed') {
      const background = await this.backgroundNow();
      if (out.kind === 'failed') return background.length ? { ...out, background } : out;
      return { ...out, background };
    }
    return out;
  }

  /** The steps of each node, in plan order (a cluster-wide step counts for the node it runs on). */
  private perNode(steps: PlanStep[]): Map<string, PlanStep[]> {
    const out = new Map<string, PlanStep[]>();
    for (const s of steps) out.set(s.node, [...(out.get(s.node) ?? []), s]);
    return out;
  }

  /** Steps whose verify shows an md resync: the RAID creation of each node. */
  private resyncSteps(): PlanStep[] {
    return this.steps.filter((s) => s.verify?.progress === 'md-resync');
  }

  /** Where every RAID resync stands now: the watchers' last reading, refreshed by one more read. */
  private async backgroundNow(): Promise<BackgroundWork[]> {
    const out: BackgroundWork[] = [];
    for (const s of this.resyncSteps()) {
      // Dry runs never started a watcher: one reading says whether a resync runs.
      if (!this.o.dryRun && !this.resync.get(s.node)) continue;
      if (this.o.signal?.aborted) break;
      const r = await this.runJournaled(this.o.runners.get(s.node)!, s.node, `${s.id} (resync at the end)`, s.verify!.argv, { timeoutMs: 60_000 });
      const cur = succeeded(r) ? mdResyncFrom(r.stdout, s.node, this.o.answers.raid.device, this.now(), this.resync.get(s.node) ?? null) : null;
      if (cur) out.push({ node: cur.node, device: cur.device, action: cur.action, percent: cur.percent, rateKiBs: cur.rateKiBs, etaSec: cur.etaSec });
    }
    return out;
  }

  /**
   * Shows a node's RAID resync while later steps run, until it finishes or the run ends: md serves I/O
   * while it resyncs, so nothing waits for it (with the initial DRBD sync skipped, the time to a
   * healthy cluster does not grow with the disks' size).
   */
  private watchResync(s: PlanStep): void {
    if (this.o.dryRun || this.watches.has(s.node) || !s.verify) return;
    const v = s.verify;
    const runner = this.o.runners.get(s.node)!;
    const stop = this.watchStop.signal;
    const watch = (async () => {
      let prev: MdResync | null = null;
      while (!stop.aborted && !this.o.signal?.aborted) {
        const r = await this.runJournaled(runner, s.node, `${s.id} (resync)`, v.argv, { timeoutMs: 60_000 });
        if (stop.aborted) return;
        const cur: MdResync | null = succeeded(r) ? mdResyncFrom(r.stdout, s.node, this.o.answers.raid.device, this.now(), prev) : null;
        if (cur === null) {
          if (prev !== null) {
            this.emit({ type: 'progress', step: view(s), percent: 100, rateKiBs: null, etaSec: 0, what: resyncWhat(prev), background: true });
            this.emit({ type: 'message', level: 'info', text: `${prev.device} on ${s.node}: ${prev.action.replace(/-(pending|delayed)$/, '')} finished` });
          }
          this.resync.set(s.node, null);
          return;
        }
        this.resync.set(s.node, cur);
        this.emit({ type: 'progress', step: view(s), percent: cur.percent, rateKiBs: cur.rateKiBs, etaSec: cur.etaSec, what: resyncWhat(cur), background: true });
        prev = cur;
        await this.sleep(v.intervalMs ?? 5000, stop);
      }
    })();
    this.watches.set(s.node, watch);
  }

  private async runPlan(): Promise<ApplyOutcome> {
    // Every step's state, read on both nodes at once: first every check of a node in one batch
    // (StateCache.prefetch), then judged, ASSESS_CONCURRENCY steps at a time on each node, each check the
    // batch did not answer (a runner without runMany, a failed batch) read on its own. One after the
    // other they cost the lab 27 s of every run, node by node in order still 14-34 s (each a round trip
    // of 0.2-2.5 s on an emulated vCPU, mostly waiting). The checks are read-only and shared through the
    // cache (one command for a check two steps share), so the order they run in changes nothing but the
    // time.
    const statusOf = new Map<string, { status: StepStatus; reason: string }>();
    await Promise.all(
      [...this.perNode(this.steps).entries()].map(([node, list]) =>
        this.cache.prefetch(node, list.flatMap((s) => (s.check ? [{ step: s.id, argv: s.check.argv }] : [])))),
    );
    await Promise.all(
      [...this.perNode(this.steps).values()].map(async (list) => {
        let next = 0;
        const worker = async () => {
          while (next < list.length) {
            const s = list[next++]!;
            statusOf.set(s.id, await this.status(s));
          }
        };
        await Promise.all(Array.from({ length: Math.min(ASSESS_CONCURRENCY, list.length) }, worker));
      }),
    );
    const assessed = this.steps.map((s) => ({ ...view(s), ...statusOf.get(s.id)! }));
    this.emit({ type: 'assessed', steps: assessed });
    if (this.o.signal?.aborted) return { kind: 'interrupted', step: null };
    const todo = new Set(assessed.filter((x) => x.status === 'todo').map((x) => x.id));
    if (!this.o.dryRun) for (const id of todo) this.untouchedTodo.add(id);
    // An array made by an earlier, interrupted run may still resync: shown from the start.
    for (const s of this.resyncSteps()) if (!todo.has(s.id)) this.watchResync(s);
    // Said before anything runs: which pending steps interrupt the service (the CIB says it when it knows).
    for (const s of this.steps) {
      if (todo.has(s.id) && s.interruptsService && s.stdin[0]?.kind !== 'cib-merge') {
        this.emit({ type: 'message', level: 'warn', text: `${this.o.dryRun ? 'would interrupt' : 'will interrupt'} the service: ${s.node}: ${s.interruptsService}` });
      }
    }

    // Safety first: every disk a pending step wipes is reviewed and confirmed before anything runs.
    const wipeSteps = this.steps.filter((s) => todo.has(s.id) && s.wipes.length > 0);
    if (wipeSteps.length > 0) {
      // Both nodes' disks at once, each node's one after the other; the reviews keep the plan's order.
      const perNode = await Promise.all(
        [...this.perNode(wipeSteps).values()].map(async (list) => {
          const out: DiskReview[] = [];
          for (const s of list) out.push(...(await reviewDisks(this.journaledRunner(this.o.runners.get(s.node)!, s.node, `${s.id} (disk review)`), s.node, s.wipes, this.o.signal)));
          return out;
        }),
      );
      const order = wipeSteps.flatMap((s) => s.wipes.map((d) => `${s.node}\0${d}`));
      const reviews = perNode.flat().sort((x, y) => order.indexOf(`${x.node}\0${x.disk}`) - order.indexOf(`${y.node}\0${y.disk}`));
      for (const r of reviews) this.reviews.set(`${r.node}\0${r.disk}`, r);
      const bad = reviews.filter((r) => r.problems.length > 0);
      if (!this.o.dryRun) {
        if (bad.length > 0) {
          return { kind: 'refused', reason: bad.map((r) => `${r.node}:${r.disk}: ${r.problems.join('; ')}`).join('\n') };
        }
        if (!(await this.o.confirmWipe(reviews))) return { kind: 'refused', reason: 'the disks to wipe were not confirmed' };
      } else {
        for (const r of reviews) {
          this.emit({ type: 'message', level: r.problems.length ? 'warn' : 'info', text: `would wipe ${r.node}:${r.disk}${r.info ? ` (${r.info.sizeBytes} bytes, ${r.info.model ?? 'no model'}, serial ${r.info.serial ?? '-'}, signatures: ${r.info.signatures.join(', ') || 'none'})` : ''}${r.problems.length ? `: REFUSED, ${r.problems.join('; ')}` : ''}` });
        }
      }
    }
    const pkgNodes = this.steps.filter((s) => todo.has(s.id) && s.consent).map((s) => s.node);
    if (pkgNodes.length > 0 && !this.o.dryRun && !(await this.o.confirmPackages(pkgNodes))) {
      return { kind: 'refused', reason: `installing packages on ${pkgNodes.join(', ')} was not agreed` };
    }
    // Files edited by hand since the last apply: shown, replaced only when confirmed.
    for (const s of this.steps) {
      if (!todo.has(s.id) || s.check?.kind !== 'file') continue;
      const file = this.fileFor(s);
      const st = await this.fileStateOf(s, s.check);
      if (!file || !st || judgeFile(st, file).kind !== 'edited') continue;
      const current = file.secret ? null : await this.readText(s.node, s.id, s.check.target);
      const edited: EditedFile = { node: s.node, target: s.check.target, secret: file.secret, current, ours: file.secret ? null : String(file.content) };
      if (this.o.dryRun) {
        this.emit({ type: 'message', level: 'warn', text: `${s.node}:${s.check.target} was edited by hand since the last apply: would ask before replacing it` });
      } else if (await this.o.confirmReplace(edited)) {
        this.approvedReplace.add(s.id);
      } else {
        return { kind: 'refused', reason: `${s.node}:${s.check.target} was edited by hand since the last apply; not replaced (see the difference above)` };
      }
    }

    const ran: string[] = [];
    const skipped: string[] = [];
    const wouldRun: string[] = [];
    const groups = [...new Set(this.steps.map((s) => s.parallelGroup))];
    // Background steps (PlanStep.background) run beside the foreground, a node's one after another in
    // plan order (the plan gives them only light work the foreground does not touch: boot symlinks, the
    // ping clone on a fresh cluster); each is checked when its turn comes, awaited before the group it
    // names starts, and all of them before apply ends. A failure stops the foreground before its next step.
    const joins: { before: number; chain: Promise<ApplyOutcome | null> }[] = [];
    const lanes = new Map<string, Promise<ApplyOutcome | null>>();
    let besideStop: ApplyOutcome | null = null;
    const inBackground = (s: PlanStep, before: number): void => {
      const chain = (lanes.get(s.node) ?? Promise.resolve(null)).then(async (earlier): Promise<ApplyOutcome | null> => {
        if (earlier) return earlier;
        if (this.o.signal?.aborted) return { kind: 'interrupted', step: s.id };
        const st = await this.statusBeforeRun(s);
        if (st.status !== 'todo') {
          skipped.push(s.id);
          this.emit({ type: 'step-skip', step: view(s), reason: st.reason });
          return null;
        }
        const out = await this.runStep(s);
        if (out) besideStop ??= out;
        else ran.push(s.id);
        return out;
      });
      lanes.set(s.node, chain);
      joins.push({ before: before < 0 ? Number.POSITIVE_INFINITY : before, chain });
    };
    const joinUpTo = async (index: number): Promise<ApplyOutcome | null> => {
      for (const j of joins.filter((x) => x.before <= index)) {
        const out = await j.chain;
        if (out) return out;
      }
      return null;
    };
    const joinAll = () => joinUpTo(Number.POSITIVE_INFINITY);
    for (const [gi, g] of groups.entries()) {
      const joined = await joinUpTo(gi);
      if (joined) return joined;
      const perNode = this.perNode(this.steps.filter((x) => x.parallelGroup === g));
      let stop: ApplyOutcome | null = null;
      await Promise.all(
        [...perNode.values()].map(async (list) => {
          for (let k = 0; k < list.length; k++) {
            const s = list[k]!;
            if (stop || besideStop) return;
            if (this.o.signal?.aborted) {
              stop = { kind: 'interrupted', step: s.id };
              return;
            }
            if (s.background && !this.o.dryRun) {
              inBackground(s, groups.indexOf(s.background.before));
              continue;
            }
            const st = await this.statusBeforeRun(s);
            if (st.status !== 'todo') {
              skipped.push(s.id);
              this.emit({ type: 'step-skip', step: view(s), reason: st.reason });
              continue;
            }
            if (this.o.dryRun) {
              wouldRun.push(s.id);
              const cibIn = s.stdin[0];
              if (cibIn?.kind === 'cib-merge' && s.check?.kind === 'probe') {
                // Show the difference first: the read-only check already fetched the live CIB.
                const q = await this.cache.run(s.node, s.id, s.check.argv);
                if (succeeded(q)) this.emit({ type: 'message', level: 'info', text: `CIB sections that would change: ${cibDifferences(q.stdout, cibIn.cib).join(', ')}` });
              }
              this.emit({ type: 'step-would-run', step: view(s), commands: this.describeCommands(s) });
              continue;
            }
            // Plain file writes that follow one another on this node go in one command (runFileSteps).
            const batch = [s];
            while (this.plainFileWrite(s) && k + 1 < list.length && this.plainFileWrite(list[k + 1]!)) batch.push(list[++k]!);
            const out = batch.length > 1 ? await this.runFileSteps(batch) : await this.runStep(s);
            if (out) {
              stop = out;
              return;
            }
            ran.push(...batch.map((x) => x.id));
          }
        }),
      );
      if (stop || besideStop) {
        // Background work is let finish (a half-written file helps nobody); the first stop is said.
        await joinAll();
        return stop ?? besideStop!;
      }
    }
    const joined = await joinAll();
    if (joined) return joined;
    return this.o.dryRun ? { kind: 'dry-run', wouldRun, skipped, background: [] } : { kind: 'done', ran, skipped, background: [] };
  }

  /** The commands as shown to a person: a file step's write and record scripts become one line. */
  private describeCommands(s: PlanStep): string[] {
    const q = (c: Argv) => this.o.redactor.redact(quoteArgv(c));
    const stdin = s.stdin[0];
    if (s.check?.kind !== 'file' || stdin?.kind !== 'export') return s.commands.map(q);
    const mode = s.commands[0]![5] ?? '';
    const write = `write ${s.check.target} (mode ${mode}) from the export tree's ${stdin.exportPath}`;
    const record = `record its sha256 in ${APPLIED_RECORD}`;
    if (s.commands.length === 1) return [`${write}, ${record}`];
    return [write, ...s.commands.slice(1, -1).map(q), record];
  }

  private async readText(node: string, step: string, target: string): Promise<string | null> {
    const r = await this.o.runners.get(node)!.run(['cat', '--', target], { signal: this.o.signal });
    this.o.journal.command(node, `${step} (read)`, ['cat', '--', target], r);
    return succeeded(r) ? r.stdout : null;
  }

  /** The last output of each repeated command (node, label, argv), so a poll's unchanged output is journaled once. */
  private readonly lastOutput = new Map<string, string>();

  /**
   * Runs a command and journals it: every command apply runs on a node is in the journal, each poll of a
   * wait too (with its output once while it does not change), so the journal's timings account for the
   * whole run.
   */
  private async runJournaled(runner: Runner, node: string, label: string, argv: Argv, options: RunOptions = {}): Promise<RunResult> {
    const r = await runner.run(argv, { signal: this.o.signal, ...options });
    const key = `${node}\0${label}\0${argv.join('\0')}`;
    const same = r.stdout !== '' && this.lastOutput.get(key) === r.stdout;
    this.lastOutput.set(key, r.stdout);
    this.o.journal.command(node, label, argv, r, { sameOutput: same });
    return r;
  }

  /** The node's runner with every run() journaled under `label` (for helpers that take a runner). */
  private journaledRunner(runner: Runner, node: string, label: string): Runner {
    return {
      label: runner.label,
      run: (argv, options) => this.runJournaled(runner, node, label, argv, options),
      stream: (argv, options) => runner.stream(argv, options),
      // The node's runner stays open: it belongs to the engine's caller.
      close: async () => {},
    };
  }

  /**
   * A step that only writes and records one file (WRITE_AND_RECORD_FILE_SCRIPT), to do since the
   * assessment and not started since (so nothing is read before it runs): runFileSteps may write it
   * together with the next such steps of its node.
   */
  private plainFileWrite(s: PlanStep): boolean {
    return s.check?.kind === 'file' && s.repeatable === true && this.untouchedTodo.has(s.id) && !s.background && !s.verify && !s.requires
      && s.wipes.length === 0 && !s.interruptsService && s.commands.length === 1 && s.commands[0]![2] === WRITE_AND_RECORD_FILE_SCRIPT
      && s.stdin[0]?.kind === 'export' && this.fileFor(s) !== undefined;
  }

  /**
   * Plain file writes of one node (plainFileWrite) in one command, WRITE_AND_RECORD_FILES_SCRIPT: the same
   * bytes, modes and record as one WRITE_AND_RECORD_FILE_SCRIPT each, each file read back from its own
   * state line and judged as runStep judges one. Each step still starts and ends on the screen.
   */
  private async runFileSteps(batch: PlanStep[]): Promise<ApplyOutcome | null> {
    const started = this.now();
    const node = batch[0]!.node;
    const runner = this.o.runners.get(node)!;
    const files = batch.map((s) => this.fileFor(s)!);
    const targets = batch.map((s) => (s.check as Check & { kind: 'file' }).target);
    for (const s of batch) {
      this.untouchedTodo.delete(s.id);
      this.emit({ type: 'step-start', step: view(s), at: started });
    }
    const argv: Argv = ['sh', '-c', WRITE_AND_RECORD_FILES_SCRIPT, '--', ...batch.flatMap((s, i) => [targets[i]!, s.commands[0]![5]!])];
    const command = this.o.redactor.redact(quoteArgv(argv));
    for (const s of batch) this.emit({ type: 'command', step: view(s), command });
    const stdinNote = files.map((f) => `${f.path} (${Buffer.byteLength(f.content)} bytes${f.secret ? ', secret' : ''})`).join(', ');
    let r: RunResult;
    try {
      r = await runner.run(argv, { signal: this.o.signal, input: filesInput(files.map((f) => f.content)), timeoutMs: 30 * 60_000 });
      this.o.journal.command(node, `${node}/files: ${batch.length} written together`, argv, r, { stdin: stdinNote });
    } finally {
      this.cache.invalidate();
    }
    if (r.aborted || this.o.signal?.aborted) return { kind: 'interrupted', step: batch[0]!.id };
    if (!succeeded(r)) return this.fail(batch[0]!, command, r);
    const lines = r.stdout.trimEnd().split('\n').slice(-batch.length);
    for (const [i, s] of batch.entries()) {
      const st = lines.length === batch.length ? fileState(lines[i]!) : null;
      if (!st || judgeFile(st, files[i]!).kind !== 'same') {
        return this.fail(s, command, { argv, exitCode: 1, stdout: '', stderr: `read back: ${targets[i]} does not hold the generated bytes (expected sha256 ${sha256(files[i]!.content)})`, timedOut: false, aborted: false, durationMs: 0 });
      }
    }
    for (const s of batch) this.emit({ type: 'step-done', step: view(s), durationMs: this.now() - started });
    return null;
  }

  /** Runs one step; null when it ran and verified, else why it stopped. */
  private async runStep(s: PlanStep): Promise<ApplyOutcome | null> {
    this.untouchedTodo.delete(s.id);
    const started = this.now();
    this.emit({ type: 'step-start', step: view(s), at: started });
    const runner = this.o.runners.get(s.node)!;
    // The last look before wiping: the disk must still be the one the admin confirmed.
    const reprobed = await reviewDisks(this.journaledRunner(runner, s.node, `${s.id} (disk re-probe before wiping)`), s.node, s.wipes, this.o.signal);
    for (const [i, d] of s.wipes.entries()) {
      const reviewed = this.reviews.get(`${s.node}\0${d}`);
      const now = reprobed[i]!;
      const changes = reviewed ? changesSinceReview(reviewed, now) : ['was not reviewed'];
      if (changes.length > 0) {
        this.o.journal.note(s.node, s.id, `refused to wipe ${d}: ${changes.join('; ')}`);
        return { kind: 'refused', reason: `${s.node}:${d} changed since it was reviewed: ${changes.join('; ')}. Nothing was written to it; check the disk, then run apply again.` };
      }
    }
    if (s.requires) {
      const q = await runner.run(s.requires.argv, { signal: this.o.signal, timeoutMs: 60_000 });
      this.o.journal.command(s.node, `${s.id} (requires)`, s.requires.argv, q);
      if (q.aborted || this.o.signal?.aborted) return { kind: 'interrupted', step: s.id };
      if (!s.requires.judge(q)) {
        return this.fail(s, quoteArgv(s.requires.argv), { ...q, stderr: `${q.stderr}${q.stderr ? '\n' : ''}not run: it needs ${s.requires.describe}; nothing was changed` }, false,
          `"${s.title}" needs ${s.requires.describe}. Check both nodes (drbdadm status); if this is not a fresh pair, set drbd.initialSync to full in the answers. Then run apply again.`);
      }
    }
    if (s.interruptsService && s.stdin[0]?.kind !== 'cib-merge') this.emit({ type: 'message', level: 'warn', text: `${s.node}: ${s.interruptsService}` });
    let lastStdout = '';
    try {
      for (const [i, argv] of s.commands.entries()) {
        const stdin = s.stdin[i];
        let input: string | Buffer | undefined;
        let stdinNote: string | undefined;
        if (stdin?.kind === 'export') {
          const f = this.o.files.find((x) => x.path === stdin.exportPath);
          if (!f) throw new Error(`export tree lacks ${stdin.exportPath}`); // programmer error: plan and layout disagree
          input = f.content;
          stdinNote = `${stdin.exportPath} (${Buffer.byteLength(f.content)} bytes${f.secret ? ', secret' : ''})`;
        } else if (stdin?.kind === 'text') {
          input = stdin.text;
          stdinNote = `${Buffer.byteLength(stdin.text)} bytes of generated text`;
        } else if (stdin?.kind === 'cib-merge') {
          // Computed against the CIB as it is now, not as it was when the run began.
          const q = await runner.run(['cibadmin', '-Q'], { signal: this.o.signal, timeoutMs: 60_000 });
          this.o.journal.command(s.node, `${s.id} (live CIB)`, ['cibadmin', '-Q'], q);
          const merged = succeeded(q) ? mergeCibConfiguration(q.stdout, stdin.cib) : null;
          if (merged === null) return this.fail(s, 'cibadmin -Q', { ...q, stderr: q.stderr || 'the live CIB has no <configuration>' });
          const live = cibSection(q.stdout, 'resources') ?? '';
          const over = stdin.over;
          const foreign = over ? cibResourceIds(q.stdout).filter((id) => !over.includes(id)) : [];
          if (foreign.length > 0) {
            return this.fail(s, 'cibadmin -Q', { ...q, stderr: `the live CIB already holds ${foreign.join(', ')}: nothing was loaded (only a fresh cluster gets a part of the configuration first)` }, false,
              'Something loaded resources while apply ran. Run apply again: it then loads the whole configuration in one step.');
          }
          this.emit({ type: 'message', level: 'info', text: `CIB sections that change: ${cibDifferences(q.stdout, stdin.cib).join(', ') || 'none'}` });
          if (/<primitive\b/.test(live) && s.interruptsService) this.emit({ type: 'message', level: 'warn', text: `the cluster runs: ${s.interruptsService}` });
          const fences = fenceHandlerConstraints(cibSection(q.stdout, 'constraints') ?? '').map((c) => /\bid="([^"]*)"/.exec(c)![1]!);
          if (fences.length > 0) this.emit({ type: 'message', level: 'warn', text: `kept DRBD's fence constraint ${fences.join(', ')}: the peer may not be promoted until its resync ends (the handler removes it then)` });
          input = merged;
          stdinNote = `the live configuration with ours merged (${Buffer.byteLength(merged)} bytes)`;
        }
        const command = this.o.redactor.redact(quoteArgv(argv));
        this.emit({ type: 'command', step: view(s), command });
        const r = await runner.run(argv, { signal: this.o.signal, input, timeoutMs: 30 * 60_000 });
        this.o.journal.command(s.node, s.id, argv, r, { stdin: stdinNote });
        this.cache.invalidate();
        if (r.aborted || this.o.signal?.aborted) return { kind: 'interrupted', step: s.id };
        if (!succeeded(r)) return this.fail(s, command, r);
        lastStdout = r.stdout;
      }
      if (s.check?.kind === 'file') {
        // Read back what landed on the node and compare with the export tree's bytes: the record script
        // ends by printing the file's state (RECORD_FILE_SCRIPT), else the check reads it.
        const file = this.fileFor(s)!;
        const st = fileState(lastStdout.trimEnd().split('\n').at(-1) ?? '') ?? (await this.fileStateOf(s, s.check));
        if (!st || judgeFile(st, file).kind !== 'same') {
          return this.fail(s, quoteArgv(s.check.argv), { argv: s.check.argv, exitCode: 1, stdout: '', stderr: `read back: ${s.check.target} does not hold the generated bytes (expected sha256 ${sha256(file.content)})`, timedOut: false, aborted: false, durationMs: 0 });
        }
      }
      if (s.verify) {
        const v = s.verify;
        const deadline = this.now() + (v.waitMs ?? 0);
        for (;;) {
          const r = await this.runJournaled(runner, s.node, `${s.id} (verify)`, v.argv, { timeoutMs: 60_000 });
          if (this.o.signal?.aborted) return { kind: 'interrupted', step: s.id };
          const blocked = v.blockers?.(r) ?? null;
          if (blocked) {
            // The command's own exit code stays (crm_mon said 0); what failed is in the lines.
            return this.fail(s, quoteArgv(v.argv), { ...r, stderr: blocked.lines.join('\n') }, true, blocked.next);
          }
          const t = this.now();
          if (v.judge(r)) break;
          if (t >= deadline) {
            const why = v.explain?.(r) ?? [];
            return this.fail(s, quoteArgv(v.argv), { ...r, stderr: [r.stderr.trim(), ...why, `not reached${v.waitMs ? ` within ${Math.round(v.waitMs / 1000)} s` : ''}: ${v.describe}`].filter(Boolean).join('\n') }, true, v.advice?.(r) ?? undefined);
          }
          if (v.progress === 'drbd-sync' || v.progress === 'drbd-resync') await this.drbdProgress(s, runner, r, v.progress === 'drbd-sync' ? 'DRBD initial sync' : 'DRBD resync');
          await this.sleep(pollPause(v.intervalMs ?? 2000, r.durationMs), this.o.signal);
        }
        if (v.progress === 'md-resync') this.watchResync(s);
      }
    } finally {
      this.cache.invalidate();
    }
    this.emit({ type: 'step-done', step: view(s), durationMs: this.now() - started });
    return null;
  }

  /** Progress of a sync (initial or a resync): the percentage from `drbdadm status` (8.4 and 9), rate and ETA from /proc/drbd (8.4). */
  private async drbdProgress(s: PlanStep, runner: Runner, status: RunResult, what: string): Promise<void> {
    const done = succeeded(status) ? parseDrbdadmStatus(status.stdout).find((x) => x.name === this.o.answers.drbd.resource)?.peers.find((p) => p.done !== null)?.done ?? null : null;
    const r = await this.runJournaled(runner, s.node, `${s.id} (sync progress)`, ['cat', '/proc/drbd']);
    const p = succeeded(r) ? parseProcDrbd(r.stdout) : null;
    const sync = p?.ok ? p.devices.find((d) => d.sync !== null)?.sync : undefined;
    const percent = done ?? sync?.percent;
    if (percent !== undefined) this.emit({ type: 'progress', step: view(s), percent, rateKiBs: sync?.speedKiBs ?? null, etaSec: sync?.finishSec ?? null, what });
  }

  private fail(s: PlanStep, command: string, r: RunResult, verify = false, next?: string): ApplyOutcome {
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

/** The label of a resync's progress: what it is, on which array. */
function resyncWhat(r: MdResync): string {
  return `RAID1 ${r.action.replace(/-(pending|delayed)$/, '')} of ${r.device}`;
}

function nextAdvice(s: PlanStep, r: RunResult, verify: boolean): string {
  if (r.error !== undefined && /unreachable|connect|ECONN|timed out|handshake/i.test(r.error)) {
    return `${s.node} could not be reached: check SSH to it, then run apply again; finished steps are skipped.`;
  }
  if (verify) return `"${s.title}" ran but its result did not show up. Look at the journal for the command outputs, fix the cause on ${s.node}, then run apply again: it resumes here.`;
  return `Fix the cause on ${s.node} (the journal has every output), then run apply again: steps already done are skipped and it resumes at "${s.title}".`;
}

/** The plan as the engine will see it, without running anything (review screens). */
export function planViews(a: Answers): StepView[] {
  return planSteps(a).map(view);
}
