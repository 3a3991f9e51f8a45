// Consent, asked before anything runs: every disk a pending step wipes is reviewed and confirmed, the
// package installation agreed, each file edited by hand since the last apply shown and replaced only
// when confirmed. A dry run says what it would ask.
import { succeeded } from '../exec/runner.js';
import type { PlanStep } from '../plan/types.js';
import { reviewDisks, type DiskReview, type RecordedIdentities } from './disk-review.js';
import { reviewDevice } from './device-review.js';
import type { ApplyOutcome, EditedFile } from './events.js';
import { judgeFile } from './file-state.js';
import { perNode } from './assessment.js';
import type { RunContext } from './run-context.js';

/** Null when the run may go on; else why it is refused. */
export async function obtainConsent(ctx: RunContext, todo: ReadonlySet<string>): Promise<ApplyOutcome | null> {
  return (await confirmWipes(ctx, todo)) ?? (await confirmPackages(ctx, todo)) ?? (await confirmEdited(ctx, todo));
}

/** Said before anything runs: which pending steps interrupt the service (the CIB load says it when it knows). */
export function announceInterruptions(ctx: RunContext, todo: ReadonlySet<string>): void {
  for (const s of ctx.steps) {
    if (todo.has(s.id) && s.interruptsService && s.stdin[0]?.kind !== 'cib-merge') {
      ctx.emit({ type: 'message', level: 'warn', text: `${ctx.o.dryRun ? 'would interrupt' : 'will interrupt'} the service: ${s.node}: ${s.interruptsService}` });
    }
  }
}

/**
 * Every step that destroys data asks the same consent, whatever its kind: the disks a step wipes, and the
 * existing device (md array, LV) a step overwrites, are reviewed together, refused with their reasons,
 * and confirmed in one prompt (or by --yes --wipe NODE:PATH for each).
 */
async function confirmWipes(ctx: RunContext, todo: ReadonlySet<string>): Promise<ApplyOutcome | null> {
  const wipeSteps = ctx.steps.filter((s) => todo.has(s.id) && s.wipes.length > 0);
  const overwriteSteps = ctx.steps.filter((s) => todo.has(s.id) && s.overwrites !== undefined);
  if (wipeSteps.length === 0 && overwriteSteps.length === 0) return null;
  const reviews = [...(await reviewAll(ctx, wipeSteps)), ...(await reviewOverwrites(ctx, overwriteSteps))];
  if (reviews.length === 0) return null;
  for (const r of reviews) ctx.reviews.set(`${r.node}\0${r.disk}`, r);
  const bad = reviews.filter((r) => r.problems.length > 0);
  if (ctx.o.dryRun) {
    for (const r of reviews) {
      ctx.emit({ type: 'message', level: r.problems.length ? 'warn' : 'info', text: `would wipe ${r.node}:${r.disk}${r.info ? ` (${r.info.sizeBytes} bytes, ${r.info.model ?? 'no model'}, serial ${r.info.serial ?? '-'}, signatures: ${r.info.signatures.join(', ') || 'none'})` : ''}${r.problems.length ? `: REFUSED, ${r.problems.join('; ')}` : ''}` });
    }
    return null;
  }
  if (bad.length > 0) return { kind: 'refused', reason: bad.map((r) => `${r.node}:${r.disk}: ${r.problems.join('; ')}`).join('\n') };
  if (!(await ctx.o.confirmWipe(reviews))) return { kind: 'refused', reason: 'the disks to wipe were not confirmed' };
  return null;
}

/** Both nodes' disks at once, each node's one after the other; the reviews keep the plan's order. */
async function reviewAll(ctx: RunContext, wipeSteps: PlanStep[]): Promise<DiskReview[]> {
  const byNode = await Promise.all(
    [...perNode(wipeSteps).values()].map(async (list) => {
      const out: DiskReview[] = [];
      for (const s of list) out.push(...(await reviewDisks(ctx.journaledRunner(ctx.runner(s.node), s.node, `${s.id} (disk review)`), s.node, s.wipes, ctx.o.signal, recordedFor(ctx, s.node))));
      return out;
    }),
  );
  const order = wipeSteps.flatMap((s) => s.wipes.map((d) => `${s.node}\0${d}`));
  return byNode.flat().sort((x, y) => order.indexOf(`${x.node}\0${x.disk}`) - order.indexOf(`${y.node}\0${y.disk}`));
}

/** The answers' recorded disk identities of a node, with its field to name them by. */
export function recordedFor(ctx: RunContext, node: string): RecordedIdentities {
  // An action (no answers) has no recorded identities: its disk review judges what it finds.
  const i = ctx.o.answers?.nodes.findIndex((n) => n.name === node) ?? -1;
  return i < 0 ? {} : { identities: ctx.o.answers!.nodes[i]!.diskIdentity ?? {}, field: `nodes[${i}]` };
}

/** The existing devices pending steps overwrite (absent ones are made in this run: nothing to ask). */
async function reviewOverwrites(ctx: RunContext, steps: PlanStep[]): Promise<DiskReview[]> {
  const out: DiskReview[] = [];
  for (const s of steps) {
    const disks = ctx.o.answers?.nodes.find((n) => n.name === s.node)?.disks ?? [];
    const r = await reviewDevice(ctx.journaledRunner(ctx.runner(s.node), s.node, `${s.id} (device review)`), s.node, s.overwrites!, disks, ctx.o.signal);
    if (r) out.push(r);
  }
  return out;
}

async function confirmPackages(ctx: RunContext, todo: ReadonlySet<string>): Promise<ApplyOutcome | null> {
  const pkgNodes = [...new Set(ctx.steps.filter((s) => todo.has(s.id) && s.consent).map((s) => s.node))];
  if (pkgNodes.length > 0 && !ctx.o.dryRun && !(await ctx.o.confirmPackages(pkgNodes))) {
    return { kind: 'refused', reason: `installing packages on ${pkgNodes.join(', ')} was not agreed` };
  }
  return null;
}

/** Files edited by hand since the last apply: shown, replaced only when confirmed. */
async function confirmEdited(ctx: RunContext, todo: ReadonlySet<string>): Promise<ApplyOutcome | null> {
  for (const s of ctx.steps) {
    if (!todo.has(s.id) || s.check?.kind !== 'file') continue;
    const file = ctx.fileFor(s);
    const st = await ctx.fileStateOf(s, s.check);
    if (!file || !st || judgeFile(st, file).kind !== 'edited') continue;
    const current = file.secret ? null : await readText(ctx, s.node, s.id, s.check.target);
    const edited: EditedFile = { node: s.node, target: s.check.target, secret: file.secret, current, ours: file.secret ? null : String(file.content) };
    if (ctx.o.dryRun) {
      ctx.emit({ type: 'message', level: 'warn', text: `${s.node}:${s.check.target} was edited by hand since the last apply: would ask before replacing it` });
    } else if (await ctx.o.confirmReplace(edited)) {
      ctx.approvedReplace.add(s.id);
    } else {
      return { kind: 'refused', reason: `${s.node}:${s.check.target} was edited by hand since the last apply; not replaced (see the difference above)` };
    }
  }
  return null;
}

async function readText(ctx: RunContext, node: string, step: string, target: string): Promise<string | null> {
  const r = await ctx.runner(node).run(['cat', '--', target], { signal: ctx.o.signal });
  ctx.o.journal.command(node, `${step} (read)`, ['cat', '--', target], r);
  return succeeded(r) ? r.stdout : null;
}
