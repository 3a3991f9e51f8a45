// The live monitor's action keys: which key starts which action (src/plan/actions/), and how its
// arguments come from what the monitor shows (the selected node or DRBD resource, the cluster's state).
// The arguments are the subcommand's positionals, turned into the action's arguments by its own parse():
// a key and the subcommand can never disagree about what an argument means. Pure data and pure functions.
import type { ActionDef } from '../../apply/action-run.js';
import type { MonitorState } from '../../monitor/model.js';
import { cleanupAction } from '../../plan/actions/cleanup.js';
import { diskReplaceAction } from '../../plan/actions/disk-replace.js';
import { growAction } from '../../plan/actions/grow.js';
import { maintenanceAction } from '../../plan/actions/maintenance.js';
import { onlineAction } from '../../plan/actions/online.js';
import { restoreAction } from '../../plan/actions/restore.js';
import { snapshotCreateAction, snapshotListAction, snapshotMountAction, snapshotRemoveAction, snapshotUnmountAction } from '../../plan/actions/snapshot.js';
import { splitBrainAction } from '../../plan/actions/split-brain.js';
import { standbyAction } from '../../plan/actions/standby.js';
import { switchoverAction } from '../../plan/actions/switchover.js';
import { diskReplaceArgs } from './disk-replace-key.js';
import type { KeyArgs } from './flow-prompts.js';
import { restoreArgs } from './restore-key.js';
import type { SelectionItem } from './monitor-selection.js';

// KeyArgs lives beside Prompt (flow-prompts.ts): the per-key argument files import it without a cycle.
export type { KeyArgs } from './flow-prompts.js';

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

const SNAPSHOT_ASK = 'snapshot (NODE:NAME or NAME, as S lists it)';

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

/**
 * The cluster's maintenance-mode as the monitor last read it (crm_mon's cluster options), or null when
 * no node's Pacemaker was read: the toggle then refuses rather than guess.
 */
export function maintenanceOn(state: MonitorState): boolean | null {
  for (const n of state.nodeOrder) {
    const m = state.nodes[n]?.pacemaker.extras?.maintenanceMode;
    if (m !== undefined && m !== null) return m;
  }
  return null;
}

const none = (): KeyArgs => ({ ok: true, positionals: [] });

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
  bindKey({ key: 's', label: 'switchover', help: 'move the service to the peer (planned switchover; typed)', def: switchoverAction, positionals: none }),
  bindKey({ key: 'b', label: 'standby', help: 'put the selected node in standby (the service leaves it first)', def: standbyAction, positionals: (sel) => selectedNode(sel, 'put in standby') }),
  bindKey({ key: 'o', label: 'online', help: 'bring the selected node out of standby', def: onlineAction, positionals: (sel) => selectedNode(sel, 'bring online') }),
  bindKey({
    key: 'm',
    label: 'maintenance',
    help: 'maintenance mode on (off when it is on)',
    def: maintenanceAction,
    positionals: (_sel, state) => {
      const on = maintenanceOn(state);
      return on === null ? { ok: false, why: 'maintenance-mode is not known yet (Pacemaker not read); wait for the next poll or press r' } : { ok: true, positionals: [on ? 'off' : 'on'] };
    },
  }),
  bindKey({ key: 'n', label: 'snapshot', help: 'take a snapshot now (frozen filesystem, as the timer does)', def: snapshotCreateAction, positionals: none }),
  bindKey({ key: 'S', label: 'snapshots', help: 'list the snapshots of both nodes (name, age, size, fill)', def: snapshotListAction, positionals: none }),
  bindKey({ key: 'M', label: 'mount', help: 'mount a snapshot read-only (asks NODE:NAME, as S lists it)', def: snapshotMountAction, ask: SNAPSHOT_ASK, positionals: none }),
  bindKey({ key: 'u', label: 'unmount', help: 'unmount a mounted snapshot (asks NODE:NAME)', def: snapshotUnmountAction, ask: SNAPSHOT_ASK, positionals: none }),
  bindKey({ key: 'X', label: 'remove', help: 'remove a snapshot (asks NODE:NAME)', def: snapshotRemoveAction, ask: SNAPSHOT_ASK, positionals: none }),
  bindKey({ key: 'g', label: 'grow', help: 'grow the volume online (asks +SIZE or SIZE, as lvextend -L)', def: growAction, ask: 'size (+SIZE to add, SIZE for the new size; e.g. +1G)', positionals: none }),
  bindKey({ key: 'B', label: 'split-brain', help: 'recover from a DRBD split brain (shows the victim it recommends)', def: splitBrainAction, positionals: none }),
  bindKey({ key: 'D', label: 'disk replace', help: 'replace the failed RAID member where an array is degraded', def: diskReplaceAction, positionals: diskReplaceArgs }),
  bindKey({ key: 'R', label: 'restore', help: 'restore a path from a snapshot (asks path, snapshot, where)', def: restoreAction, positionals: (_sel, state) => restoreArgs(state) }),
];

/** The keys the monitor itself uses: an action key must not take one. */
export const RESERVED_KEYS = ['q', 'r', '?'] as const;
