// What an idle live view need not redraw for (issue 24's age display against issue 29's idle budget).
// The collectors re-date unchanged readings every two intervals (a `fresh` event) so they never turn
// stale; a fresh reading shows no age, so that changes nothing on screen: the store keeps it without
// waking the screen (quietEvent). What does change with the clock alone (a reading turning stale, "last
// good 40 s ago", "retrying in 3 s", "resync stalled for 12 s") is found by shownChangeDue, which the
// live view's once-a-second tick asks: it redraws exactly when a shown text would differ. Pure.
import { adminProblems } from './health-admin.js';
import { readingProblems } from './health-readings.js';
import { readingState, staleBaseMs, type MonitorState } from './model.js';
import type { MonitorEvent } from './reducer.js';
import { lvmLines, reachLine, readingLines } from './summary.js';

/** The clock-skew verdict, the only thing the view shows of the nodes' clock offsets. */
function skewShown(state: MonitorState): string {
  return adminProblems(state).filter((p) => p.subject === 'clock').map((p) => p.text).join('\n');
}

/**
 * A `fresh` event that only re-dates readings still fresh at its time, or a `clock` reading (every fifth
 * poll, a few ms different each time) that leaves the skew verdict as it was: nothing shown changes.
 */
export function quietEvent(state: MonitorState, e: MonitorEvent, next: MonitorState): boolean {
  if (e.type === 'clock') return skewShown(state) === skewShown(next);
  if (e.type !== 'fresh') return false;
  const n = state.nodes[e.node];
  if (n === undefined) return false;
  return e.components.every((c) => {
    const r = n.readings[c];
    // A failed reading is not re-dated (the reducer keeps it failed); a fresh one stays fresh.
    return r.failedAt !== null || readingState(c, r, e.at, staleBaseMs(state)) === 'fresh';
  });
}

/**
 * Everything the live view shows that depends on the clock (not the header's time of day): the readings'
 * states and ages, the stalled-resync ages (adminProblems), "unreachable ..., retrying in N s", snapshot
 * ages. The other health rules read no clock, so the whole assessment need not run every second.
 */
function clockedText(state: MonitorState): string {
  const parts: string[] = adminProblems(state).map((p) => p.text);
  for (const name of state.nodeOrder) {
    const n = state.nodes[name];
    if (!n) continue;
    parts.push(reachLine(n, state.now), ...readingProblems(n, state).map((p) => p.text), ...readingLines(n, state.now, staleBaseMs(state)), ...lvmLines(n, state.now));
  }
  return parts.join('\n');
}

const rendered = new WeakMap<MonitorState, string>();

/** Whether drawing `state` at `now` instead of at its own time would show something else. */
export function shownChangeDue(state: MonitorState, now: number): boolean {
  if (now <= state.now) return false;
  let then = rendered.get(state);
  if (then === undefined) {
    then = clockedText(state);
    rendered.set(state, then);
  }
  return clockedText({ ...state, now }) !== then;
}
