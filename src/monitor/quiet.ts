// What an idle live view need not redraw for (issue 24's age display against issue 29's idle budget).
// The collectors re-date unchanged readings every two intervals (a `fresh` event) so they never turn
// stale, and on a real cluster some outputs differ every poll without saying anything new (crm_mon's own
// clock): a fresh reading shows no age and the reducer keeps unchanged content's objects, so neither
// changes anything on screen: the store keeps such an event without waking the screen (quietEvent).
// What does change with the clock alone (a reading turning stale, "last good 40 s ago", "retrying in
// 3 s", "resync stalled for 12 s") is found by shownChangeDue, which the live view's once-a-second tick
// asks: it redraws exactly when a shown text would differ. Pure.
import { adminProblems } from './health-admin.js';
import { readingProblems } from './health-readings.js';
import { COMPONENTS, readingState, staleBaseMs, type Component, type MonitorState, type NodeState, type Reading } from './model.js';
import type { MonitorEvent } from './reducer.js';
import { lvmLines, reachLine, readingLines } from './summary.js';

/** The clock-skew verdict, the only thing the view shows of the nodes' clock offsets. */
function skewShown(state: MonitorState): string {
  return adminProblems(state).filter((p) => p.subject === 'clock').map((p) => p.text).join('\n');
}

/**
 * A reading whose only change is a newer date of a good reading, while the old date still showed it fresh
 * at `at`: both show as fresh, without an age. Anything else about a reading (a failure, a recovery, a
 * first reading, a stale one read again) shows.
 */
function quietReading(c: Component, a: Reading, b: Reading, at: number, base: number): boolean {
  if (a === b || (a.okAt === b.okAt && a.failedAt === b.failedAt && a.error === b.error)) return true;
  if (a.failedAt !== null || b.failedAt !== null || a.error !== b.error || a.okAt === null) return false;
  return readingState(c, a, at, base) === 'fresh' && readingState(c, b, at, base) === 'fresh';
}

/**
 * Whether `next` shows what `state` showed: the reducer keeps the object of everything a poll read again
 * unchanged (keep-unchanged.ts), so what is left to judge is what moved: good readings re-dated while
 * fresh (the collectors' `fresh` events, any poll's reading), and a node's clock offset (every fifth poll,
 * a few ms different each time) that leaves the skew verdict as it was. The time itself (`now`) is not
 * judged here: the store keeps the time last drawn, and the clock's own redraws are shownChangeDue's.
 */
export function quietEvent(state: MonitorState, e: MonitorEvent, next: MonitorState): boolean {
  if (e.type === 'tick') return false;
  for (const k of Object.keys(next) as (keyof MonitorState)[]) {
    if (k !== 'now' && k !== 'nodes' && next[k] !== state[k]) return false;
  }
  const base = staleBaseMs(next);
  let clockMoved = false;
  for (const name of Object.keys(next.nodes)) {
    const a = state.nodes[name];
    const b = next.nodes[name]!;
    if (a === b) continue;
    if (a === undefined) return false;
    for (const k of Object.keys(b) as (keyof NodeState)[]) {
      if (a[k] === b[k]) continue;
      if (k === 'clockOffsetMs') clockMoved = true;
      else if (k !== 'readings' || !COMPONENTS.every((c) => quietReading(c, a.readings[c], b.readings[c], next.now, base))) return false;
    }
  }
  return !clockMoved || skewShown(state) === skewShown(next);
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
