// Plain-text and JSON views of a rehearsal, for `hanfs-wizard rehearse` and the wizard's review step.
// Pure: a result in, text out (text and JSON renderers stay pure).
import { INVARIANTS, type InvariantId } from './invariants.js';
import type { RehearsalResult, ScenarioResult } from './engine.js';

/** What moved, in a few words: "nfs1 -> nfs2", "restarted on nfs1", "stopped (was on nfs1)". */
export function movedText(s: ScenarioResult): string {
  if (s.error !== undefined) return 'not played to the end';
  if (s.end === 'split') return 'service split across nodes';
  if (s.end === null) return s.start === null ? 'nothing runs' : `stopped (was on ${s.start})`;
  if (s.start !== s.end) return `${s.start ?? 'nowhere'} -> ${s.end}`;
  return s.serviceRestarted ? `restarted on ${s.end}` : 'nothing';
}

/** "Pacemaker 3.0.1's scheduler (crm_simulate on nfs1)": which release decided, and where it ran. */
export function schedulerText(s: { version: string; where: string; note?: string }): string {
  return `Pacemaker ${s.version}'s scheduler (crm_simulate on ${s.where}${s.note ? `: ${s.note}` : ''})`;
}

function fit(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/** The table: scenario, where the service ends up, what moved, invariants; then every broken one. */
export function formatRehearsalTable(result: RehearsalResult, width = 100): string {
  if (!result.ok) return `rehearsal not possible: ${result.message}`;
  const w = Math.max(60, width);
  const endW = 9;
  const movedW = 24;
  const invW = 12;
  const titleW = w - endW - movedW - invW - 6;
  const row = (a: string, b: string, c: string, d: string) => `${fit(a, titleW)}  ${fit(b, endW)}  ${fit(c, movedW)}  ${fit(d, invW)}`.trimEnd();
  const lines = [row('scenario', 'ends on', 'what moved', 'invariants'), row('-'.repeat(titleW), '-'.repeat(endW), '-'.repeat(movedW), '-'.repeat(invW))];
  for (const s of result.scenarios) {
    const end = s.end === null ? 'stopped' : s.end === 'split' ? 'split' : s.end;
    const verdict = s.error !== undefined ? 'ERROR' : s.violations.length === 0 ? 'hold' : `${new Set(s.violations.map((v) => v.invariant)).size} broken`;
    lines.push(row(s.title, end, movedText(s), verdict));
  }
  const broken = result.scenarios.filter((s) => s.violations.length > 0 || s.error !== undefined);
  lines.push('');
  if (broken.length === 0) {
    lines.push(`All invariants hold in ${result.scenarios.length} scenarios (${schedulerText(result.scheduler)}; ${(result.durationMs / 1000).toFixed(1)} s).`);
  } else {
    lines.push(`${broken.length} of ${result.scenarios.length} scenarios break an invariant:`);
    for (const s of broken) {
      if (s.error !== undefined) lines.push(`  ${s.id}: could not be played: ${s.error}`);
      for (const v of s.violations) lines.push(`  ${s.id} [${v.invariant}]${v.step ? ` after step ${v.step}` : ''}: ${v.message}`);
    }
    const ids = [...new Set(broken.flatMap((s) => s.violations.map((v) => v.invariant)))] as InvariantId[];
    lines.push('', ...ids.map((id) => `  ${id}: ${INVARIANTS[id]}`), '', `Played by ${schedulerText(result.scheduler)}.`);
  }
  return lines.join('\n');
}

/** The JSON `rehearse --json` prints: the result plus each scenario's "moved" text and the legend. */
export function rehearsalJson(result: RehearsalResult): string {
  if (!result.ok) return JSON.stringify(result, null, 2);
  return JSON.stringify(
    {
      ...result,
      invariants: INVARIANTS,
      scenarios: result.scenarios.map((s) => ({ ...s, moved: movedText(s), holds: s.violations.length === 0 && s.error === undefined })),
    },
    null,
    2,
  );
}
