// Structural sharing for the reducer (idle cost on a real cluster, issue 24/29). Two polls of an unchanged
// node are not byte-identical: crm_mon prints its own clock (`last_update`, pacemakerd's `last_updated`) in
// every answer, and each reading carries the time it was read (`updatedAt`). Re-parsed, they give new
// objects with the same content, and every new object woke the live view (the store compares by identity).
// So a node's part whose content did not change keeps its previous object: the store's quiet rule
// (quiet.ts) can then tell "nothing shown changed" by identity alone. Pure.
import { COMPONENTS, type NodeState, type Reading } from './model.js';

/**
 * Keys that say when something was read, not what was read. `updatedAt` counts only as read/never read
 * (the views test it against null; what is shown of a reading's age comes from `readings`, kept apart);
 * `lastUpdate` is crm_mon's own clock at printing, shown nowhere.
 */
function whenOnly(key: string, a: unknown, b: unknown): boolean {
  if (key === 'updatedAt') return (a === null) === (b === null);
  return key === 'lastUpdate';
}

/** Deep equality of plain data (what the parsers return), ignoring the when-only keys above. */
export function sameContent(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameContent(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && (whenOnly(k, ao[k], bo[k]) || sameContent(ao[k], bo[k])));
}

function sameReading(a: Reading, b: Reading): boolean {
  return a.okAt === b.okAt && a.failedAt === b.failedAt && a.error === b.error;
}

/** The configuration files read again: `at` says when, the rest what (NodeConfig.at is shown nowhere). */
function sameConfig(a: NodeState['config'], b: NodeState['config']): boolean {
  return a === null || b === null ? a === b : sameContent({ ...a, at: 0 }, { ...b, at: 0 });
}

/**
 * `next` with every part whose content equals `prev`'s replaced by `prev`'s object; `prev` itself when
 * nothing at all changed. The readings are compared exactly (their dates are what shows a reading's
 * state and age: quiet.ts judges whether a new date shows).
 */
export function keepUnchanged(prev: NodeState, next: NodeState): NodeState {
  if (prev === next) return prev;
  const out: Record<string, unknown> = { ...(next as unknown as Record<string, unknown>) };
  const p = prev as unknown as Record<string, unknown>;
  let changed = Object.keys(out).length !== Object.keys(p).length;
  for (const k of Object.keys(out)) {
    if (out[k] === p[k]) continue;
    if (k === 'readings') {
      const same = COMPONENTS.every((c) => sameReading(prev.readings[c], next.readings[c]));
      if (same) out[k] = p[k];
      else {
        // Unchanged readings keep their objects too (the quiet rule looks only at those that moved).
        out[k] = Object.fromEntries(COMPONENTS.map((c) => [c, sameReading(prev.readings[c], next.readings[c]) ? prev.readings[c] : next.readings[c]]));
        changed = true;
      }
    } else if (k === 'config' ? sameConfig(prev.config, next.config) : sameContent(p[k], out[k])) out[k] = p[k];
    else changed = true;
  }
  return changed ? (out as unknown as NodeState) : prev;
}
