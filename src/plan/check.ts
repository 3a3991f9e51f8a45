// The plan's cross-references, checked when it is built: a wrong id throws (in every test that builds a
// plan) instead of being skipped without a word at run time.
import { GROUPS } from './order.js';
import type { PlanStep } from './types.js';

export function checkPlan(steps: readonly PlanStep[]): void {
  const index = new Map<string, number>();
  for (const [i, s] of steps.entries()) {
    if (index.has(s.id)) throw new Error(`plan: two steps are ${s.id}`);
    index.set(s.id, i);
  }
  const later = (from: PlanStep, id: string, what: string) => {
    const j = index.get(id);
    if (j === undefined) throw new Error(`plan: ${from.id}: ${what} names ${id}, which is no step of the plan`);
    return j;
  };
  let lastGroup = 0;
  for (const [i, s] of steps.entries()) {
    // doneIf names later steps: only a step that comes after can prove this one's effect.
    for (const id of s.doneIf) {
      if (later(s, id, 'doneIf') <= i) throw new Error(`plan: ${s.id}: doneIf names ${id}, which comes before it`);
    }
    for (const id of s.alsoAfter?.steps ?? []) later(s, id, 'alsoAfter');
    const g = GROUPS.indexOf(s.parallelGroup);
    // The plan lists each group's steps after the earlier groups' first steps: the engine's order.
    if (g < lastGroup && !steps.slice(0, i).some((x) => x.parallelGroup === s.parallelGroup)) {
      throw new Error(`plan: ${s.id}: group ${s.parallelGroup} first appears after a later group (src/plan/order.ts)`);
    }
    lastGroup = Math.max(lastGroup, g);
    if (s.background && GROUPS.indexOf(s.background.before) <= g) {
      throw new Error(`plan: ${s.id}: a background step must be joined before a later group, not ${s.background.before}`);
    }
    if (s.file && s.stdin[0]?.kind !== 'export') throw new Error(`plan: ${s.id}: a file step writes from the export tree`);
  }
}
