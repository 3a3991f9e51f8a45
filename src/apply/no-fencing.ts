// Running without fencing is a choice apply makes the admin state, not a warning that scrolls by: with
// pacemaker.stonith: none a node that hangs but still writes can cause a split brain. Interactively the
// admin types the acknowledgement; a script says --accept-no-fencing beside --yes. Either is journaled.
import type { Answers } from '../answers/schema.js';

/** What the admin types at the prompt. */
export const NO_FENCING_WORDS = 'run without fencing';

export type FencingGate =
  | { kind: 'not-needed' }
  | { kind: 'accepted'; how: string }
  | { kind: 'ask' }
  | { kind: 'bad-input'; error: string }
  | { kind: 'refused'; error: string };

export interface FencingGateInput {
  dryRun: boolean;
  yes: boolean;
  accept: boolean;
  interactive: boolean;
}

/** Decides, before any node is touched, whether apply may run without fencing and how it was agreed. */
export function fencingGate(a: Answers, f: FencingGateInput): FencingGate {
  if (f.accept && !f.yes) return { kind: 'bad-input', error: '--accept-no-fencing: only with --yes (interactively, apply asks you to type the acknowledgement)' };
  if (a.pacemaker.stonith !== 'none' || f.dryRun) return { kind: 'not-needed' };
  if (f.yes && f.accept) return { kind: 'accepted', how: '--accept-no-fencing with --yes' };
  if (f.interactive) return { kind: 'ask' };
  return {
    kind: 'refused',
    error: '--accept-no-fencing: pacemaker.stonith is none, so the cluster would run without fencing (a node that hangs but still writes can cause a split brain); configure pacemaker.stonith, or add --accept-no-fencing with --yes',
  };
}

/** The lines shown above the typed acknowledgement. */
export const NO_FENCING_DETAIL = [
  'pacemaker.stonith is none: the cluster will run with stonith-enabled=false.',
  'A node that stops answering but still writes can then cause a DRBD split brain and lost writes.',
  'Configure a fence device (pacemaker.stonith in the answers) for production.',
];

/** The journal line that records the choice. */
export function noFencingJournalText(how: string): string {
  return `running without fencing (pacemaker.stonith: none) acknowledged: ${how}`;
}
