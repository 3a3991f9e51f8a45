// The end: export the files to a directory, apply them to the nodes, or save the answers and quit.
import type { Step } from './types.js';
import { reviewErrors } from './review.js';

export const finishStep: Step = {
  id: 'finish',
  title: 'Finish',
  help:
    'Export writes every file into a directory (nothing touches the nodes); apply runs the plan on both nodes ' +
    'after showing it; saving keeps the answers so `hanfs-wizard --answers FILE` reopens them, and ' +
    '`hanfs-wizard export --answers FILE --out DIR` exports without a terminal.',
  validate: reviewErrors,
  // Finishing is an action, not an answer: a reopened complete file lands here.
  isComplete: () => false,
  screen: 'finish',
};
