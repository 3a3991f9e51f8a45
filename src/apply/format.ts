// Plain-text and JSON renderings of apply's events (no TTY, --json, the journal's summary): pure
// functions from an event to a line, so the output is testable and identical wherever it is printed.
import { formatIdentity } from '../answers/disk-identity.js';
import type { ApplyEvent, ApplyOutcome } from './engine.js';
import type { DiskReview } from './disk-review.js';
import { formatBytes } from '../probes/disks.js';
import { fmtEta, fmtRate } from '../monitor/units.js';
import { describeMdResync } from './md-resync.js';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatEventText(e: ApplyEvent): string | null {
  switch (e.type) {
    case 'assessed': {
      const todo = e.steps.filter((s) => s.status === 'todo').length;
      return `plan: ${e.steps.length} steps, ${e.steps.length - todo} already done, ${todo} to run`;
    }
    case 'step-skip':
      return `[${e.step.node}] already done: ${e.step.title} (${e.reason})`;
    case 'step-would-run':
      return [`[${e.step.node}] would run${e.step.destructive ? ' (DESTRUCTIVE)' : ''}: ${e.step.title}`, ...e.commands.map((c) => `    $ ${c}`)].join('\n');
    case 'step-start':
      return `[${e.step.node}] ${e.step.title} ...`;
    case 'command':
      return null;
    case 'step-done':
      return `[${e.step.node}] done: ${e.step.title} (${secs(e.durationMs)})`;
    case 'step-failed':
      return [
        `[${e.step.node}] FAILED: ${e.step.title}`,
        `    command: ${e.failure.command}`,
        `    exit code: ${e.failure.exitCode ?? 'none'}`,
        ...(e.failure.stderr ? e.failure.stderr.split('\n').map((l) => `    stderr: ${l}`) : []),
        `    next: ${e.failure.next}`,
      ].join('\n');
    case 'progress':
      if (e.background && e.percent >= 100) return `[${e.step.node}] ${e.what}: finished`;
      return `[${e.step.node}] ${e.what}: ${e.percent.toFixed(1)}%, ${fmtRate(e.rateKiBs)}, ETA ${fmtEta(e.etaSec)}${e.background ? ' (in the background; apply goes on)' : ''}`;
    case 'message':
      return `${e.level === 'warn' ? 'warning: ' : ''}${e.text}`;
  }
}

export function formatOutcomeText(o: ApplyOutcome): string {
  const main = outcomeLine(o);
  const bg = 'background' in o && o.background ? o.background.map((b) => describeMdResync(b)) : [];
  return [main, ...bg].join('\n');
}

function outcomeLine(o: ApplyOutcome): string {
  switch (o.kind) {
    case 'done':
      return `apply finished: ${o.ran.length} steps ran, ${o.skipped.length} were already done`;
    case 'dry-run':
      return `dry run: ${o.wouldRun.length} steps would run, ${o.skipped.length} are already done; nothing was changed`;
    case 'failed':
      return `apply stopped at ${o.step}: see above and the journal; run apply again after fixing the cause`;
    case 'refused':
      return `refused: ${o.reason}`;
    case 'interrupted':
      return `interrupted${o.step ? ` during ${o.step}` : ''}: run apply again to continue from where it stopped`;
  }
}

export function describeDisk(r: DiskReview): string {
  const i = r.info;
  if (!i) return `${r.node}:${r.disk}: ${r.problems.join('; ')}`;
  const recorded = r.expected ? `, recorded as ${formatIdentity(r.expected.identity)} (${r.expected.source})` : r.device ? '' : ', no identity recorded';
  return `${r.node}:${r.disk} (${i.path}) ${formatBytes(i.sizeBytes)}, model ${i.model ?? '-'}, serial ${i.serial ?? '-'}, WWN ${i.wwn ?? '-'}, signatures: ${i.signatures.join(', ') || 'none'}${recorded}`;
}

export const OUTCOME_EXIT: Record<ApplyOutcome['kind'], number> = { done: 0, 'dry-run': 0, failed: 1, refused: 3, interrupted: 130 };

/**
 * Progress lines without a terminal (plain text and --json) at a readable pace: a resync polled every 5 s
 * for hours would print thousands of lines. The first and the last event of each progress and one every
 * `everyMs` pass; everything else passes untouched.
 */
export class ProgressThrottle {
  private readonly last = new Map<string, number>();
  constructor(private readonly everyMs = 30_000) {}
  pass(e: ApplyEvent, now: number): boolean {
    if (e.type !== 'progress') return true;
    const key = `${e.step.node}\0${e.what}`;
    const prev = this.last.get(key);
    const final = e.percent >= 100;
    if (prev !== undefined && !final && now - prev < this.everyMs) return false;
    if (final) this.last.delete(key);
    else this.last.set(key, now);
    return true;
  }
}
