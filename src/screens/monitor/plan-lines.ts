// The plan's lines (formatActionPlan's, the subcommand's own, in its order) as a window the overlay has
// room for: a long plan (a disk replace, a restore) is read by scrolling it with up/down before the
// confirmation is typed, never agreed to half-seen. Pure.
import { formatActionPlan, type ActionPlan } from '../../apply/action-run.js';

/** How many plan lines the overlay shows at once (the screen is 24 rows). */
export const PLAN_LINES = 9;

/** The last useful first line of the window: scrolling further shows nothing new. */
export function lastScroll(plan: ActionPlan, max = PLAN_LINES): number {
  const n = formatActionPlan(plan).filter((l) => !l.startsWith('refused: ')).length;
  return n <= max ? 0 : n - (max - 1);
}

export interface PlanWindow {
  lines: string[];
  /** Null when every line is shown; else where the window is and how to move it. */
  more: string | null;
}

/** At most `max` lines from `scroll` on (clamped), the last saying which lines these are when not all fit. */
export function planWindow(plan: ActionPlan, max: number, scroll: number): PlanWindow {
  // Refusals are said by the overlay itself, once.
  const all = formatActionPlan(plan).filter((l) => !l.startsWith('refused: '));
  if (all.length <= max) return { lines: all, more: null };
  const room = max - 1;
  const start = Math.max(0, Math.min(scroll, all.length - room));
  return {
    lines: all.slice(start, start + room),
    more: `  lines ${start + 1}-${start + room} of ${all.length}: up/down scrolls (hanfs-wizard ${plan.action} --dry-run prints them all)`,
  };
}
