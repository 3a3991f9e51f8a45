// The live monitor's action keys: which key starts which action (src/plan/actions/), and how its
// arguments come from what the monitor shows (the selected node or DRBD resource, the cluster's state).
// The arguments are the subcommand's positionals, turned into the action's arguments by its own parse():
// a key and the subcommand can never disagree about what an argument means. Pure data and pure functions.
import type { ActionDef } from '../../apply/action-run.js';
import type { MonitorState } from '../../monitor/model.js';
import { cleanupAction } from '../../plan/actions/cleanup.js';
import type { SelectionItem } from './monitor-selection.js';

/** The positionals a key passes to the action's parse, or why the key cannot act now (one line). */
export type KeyArgs = { ok: true; positionals: string[] } | { ok: false; why: string };

export interface ActionKey {
  /** The key, as Ink's useInput reports it (one character; case matters). */
  key: string;
  /** The footer's word for it. */
  label: string;
  /** The ? help's line (without the key). */
  help: string;
  def: ActionDef<unknown>;
  positionals: (selected: SelectionItem | null, state: MonitorState) => KeyArgs;
  /**
   * Optional: a value the admin types in the overlay before the plan is read (grow's size), appended to
   * the positionals.
   */
  ask?: string;
}

/** Binds an action of any argument type: the registry only ever passes parse()'s result back to plan(). */
export function bindKey<A>(k: Omit<ActionKey, 'def'> & { def: ActionDef<A> }): ActionKey {
  return k as unknown as ActionKey;
}

/** The selected node (a node line or one of its DRBD resources), or why a node must be selected first. */
export function selectedNode(selected: SelectionItem | null, verb: string): KeyArgs {
  return selected ? { ok: true, positionals: [selected.node] } : { ok: false, why: `select the node to ${verb} first (up/down), then press the key again` };
}

/**
 * The Pacemaker resource behind the selection: a selected DRBD resource is the ocf:linbit:drbd primitive
 * whose drbd_resource it is (from the CIB the monitor reads); anything else is no one resource (null).
 */
export function selectedPcmkResource(selected: SelectionItem | null, state: MonitorState): string | null {
  if (!selected?.resource) return null;
  for (const n of state.nodeOrder) {
    const p = state.nodes[n]?.cib?.primitives.find((x) => x.agent.endsWith(':drbd') && x.params['drbd_resource'] === selected.resource);
    if (p) return p.id;
  }
  return null;
}

export const ACTION_KEYS: ActionKey[] = [
  bindKey({
    key: 'c',
    label: 'cleanup',
    help: 'clean up failed actions and fail counts (the selected DRBD resource\'s, else all)',
    def: cleanupAction,
    positionals: (sel, state) => {
      const r = selectedPcmkResource(sel, state);
      return { ok: true, positionals: r ? [r] : [] };
    },
  }),
  // --- proposed keys of the actions on other branches (issue 30 ops, 32 storage, 31 recovery) ---
  // Enable each one at merge by importing its action and uncommenting its entry. Positionals are the
  // subcommand's, so nothing else needs to know the action's argument type.
  //   s switchover:  bindKey({ key: 's', label: 'switchover', help: 'move the service to the peer (planned switchover)', def: switchoverAction, positionals: () => ({ ok: true, positionals: [] }) }),
  //   b standby:     bindKey({ key: 'b', label: 'standby', help: 'put the selected node in standby (the service leaves it first)', def: standbyAction, positionals: (sel) => selectedNode(sel, 'put in standby') }),
  //   o online:      bindKey({ key: 'o', label: 'online', help: 'bring the selected node out of standby', def: onlineAction, positionals: (sel) => selectedNode(sel, 'bring online') }),
  //   m maintenance: bindKey({ key: 'm', label: 'maintenance', help: 'maintenance mode on (off when it is on)', def: maintenanceAction, positionals: (_s, state) => ({ ok: true, positionals: [maintenanceOn(state) ? 'off' : 'on'] }) }),
  //   n snapshot:    bindKey({ key: 'n', label: 'snapshot', help: 'take a snapshot now', def: snapshotCreateAction, positionals: () => ({ ok: true, positionals: [] }) }),
  //   S snapshots:   list, then mount/unmount one (a list overlay of its own: not a plain action key yet)
  //   g grow:        bindKey({ key: 'g', label: 'grow', help: 'grow the volume online (asks +SIZE or SIZE)', def: growAction, ask: 'new size (+SIZE or SIZE, as lvextend takes it)', positionals: () => ({ ok: true, positionals: [] }) }),
  //   B split-brain: bindKey({ key: 'B', label: 'split-brain', help: 'resolve a DRBD split brain', def: splitBrainAction, positionals: () => ({ ok: true, positionals: [] }) }),
  //   D disk:        bindKey({ key: 'D', label: 'disk replace', help: 'replace a failed RAID member of the selected node', def: diskReplaceAction, positionals: (sel) => selectedNode(sel, 'replace a disk of') }),
  //   R restore:     bindKey({ key: 'R', label: 'restore', help: 'restore from a snapshot', def: restoreAction, positionals: () => ({ ok: true, positionals: [] }) }),
];

/** The keys the monitor itself uses: an action key must not take one. */
export const RESERVED_KEYS = ['q', 'r', '?'] as const;
