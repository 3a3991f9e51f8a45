// The D key's node: where the monitor's last mdstat shows a degraded array. md keeps serving from the
// surviving member, so nothing else on the screen says which node needs a disk; the key finds it, and
// when both do, the selected one. No degraded array: one line saying so (the key does nothing).
import type { MonitorState } from '../../monitor/model.js';
import type { KeyArgs } from './flow-prompts.js';
import type { SelectionItem } from './monitor-selection.js';

/** The nodes whose last mdstat reading shows a degraded (or inactive) array, in the monitor's order. */
export function degradedNodes(state: MonitorState): string[] {
  return state.nodeOrder.filter((n) => state.nodes[n]?.raid.arrays.some((a) => a.degraded));
}

/** `disk replace NODE`'s positionals: the node with the degraded array, or why the key does nothing. */
export function diskReplaceArgs(selected: SelectionItem | null, state: MonitorState): KeyArgs {
  const degraded = degradedNodes(state);
  if (degraded.length === 0) {
    const unread = state.nodeOrder.filter((n) => state.nodes[n]?.raid.updatedAt == null);
    return { ok: false, why: `no RAID array is degraded (mdstat)${unread.length ? `; not read yet on ${unread.join(', ')}` : ''}: no disk to replace` };
  }
  const node = selected && degraded.includes(selected.node) ? selected.node : degraded.length === 1 ? degraded[0]! : null;
  if (node === null) return { ok: false, why: `RAID degraded on ${degraded.join(' and ')}: select the node whose disk to replace (up/down), then press the key again` };
  return { ok: true, positionals: ['replace', node] };
}
