// The review: the whole draft must now be a valid answers file. Its screen shows every generated file,
// the failover rehearsal and all warnings.
import { completeDraft } from './draft.js';
import type { Draft, FieldErrors, Step } from './types.js';

export function reviewErrors(d: Draft): FieldErrors {
  const r = completeDraft(d);
  if (r.ok) return {};
  const out: FieldErrors = {};
  for (const p of r.problems) out[p.path] ??= p.message;
  return out;
}

export const reviewStep: Step = {
  id: 'review',
  title: 'Review',
  help:
    'Every file export and apply would write, byte for byte (secrets masked here; they are only written with ' +
    'mode 0600). The rehearsal plays failures on the generated Pacemaker configuration with Pacemaker\'s own ' +
    'scheduler. Warnings are choices that work but deserve a second look.',
  validate: reviewErrors,
  isComplete: (d) => Object.keys(reviewErrors(d)).length === 0,
  screen: 'review',
};
