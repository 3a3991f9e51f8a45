// What the arrows move through: each node, then each of its DRBD resources. Pure.
import type { MonitorState } from '../../monitor/model.js';

export interface SelectionItem {
  node: string;
  /** null = the node itself. */
  resource: string | null;
}

export function selectionItems(state: MonitorState): SelectionItem[] {
  const out: SelectionItem[] = [];
  for (const name of state.nodeOrder) {
    out.push({ node: name, resource: null });
    for (const r of Object.keys(state.nodes[name]?.drbd.resources ?? {})) out.push({ node: name, resource: r });
  }
  return out;
}

const same = (a: SelectionItem | null, b: SelectionItem): boolean => a !== null && a.node === b.node && a.resource === b.resource;

/** Moves the selection by delta (wrapping); from nothing, down selects the first and up the last. */
export function moveSelection(items: SelectionItem[], current: SelectionItem | null, delta: number): SelectionItem | null {
  if (items.length === 0) return null;
  const i = items.findIndex((it) => same(current, it));
  if (i < 0) return delta > 0 ? items[0]! : items[items.length - 1]!;
  return items[(i + delta + items.length) % items.length]!;
}
