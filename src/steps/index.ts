// The wizard's steps, in order. Adding a step is adding an entry here.
import { welcomeStep } from './welcome.js';
import { nodesStep } from './nodes.js';
import { probingStep } from './probing.js';
import { prerequisitesStep } from './prerequisites.js';
import { disksStep } from './disks.js';
import { raidStep } from './raid.js';
import { lvmStep } from './lvm.js';
import { drbdStep } from './drbd.js';
import { networkStep } from './network.js';
import { exportsStep } from './exports.js';
import { pacemakerStep } from './pacemaker.js';
import { backupsStep } from './backups.js';
import { reviewStep } from './review.js';
import { finishStep } from './finish.js';
import type { Draft, Step, StepContext } from './types.js';

export const STEPS: Step[] = [
  welcomeStep,
  nodesStep,
  probingStep,
  prerequisitesStep,
  disksStep(0),
  disksStep(1),
  raidStep,
  lvmStep,
  drbdStep,
  networkStep,
  exportsStep,
  pacemakerStep,
  backupsStep,
  reviewStep,
  finishStep,
];

/** Where a reopened draft resumes: the first step whose answers are missing or invalid. */
export function firstUnfinished(steps: Step[], draft: Draft, ctx: StepContext): number {
  const i = steps.findIndex((s) => !s.isComplete(draft, ctx));
  return i < 0 ? steps.length - 1 : i;
}

export function stepIndex(steps: Step[], id: string): number {
  return steps.findIndex((s) => s.id === id);
}
