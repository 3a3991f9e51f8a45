// What will happen, what is needed, and the promise that nothing changes before the end.
import { setDefault } from './draft.js';
import type { Step } from './types.js';

export const welcomeStep: Step = {
  id: 'welcome',
  title: 'Welcome',
  help:
    'The wizard asks questions and reads the nodes (lsblk, ip, dpkg-query...). It changes nothing on them: ' +
    'at the end you review every generated file, then export them to a directory or apply them.',
  prefill: (d) => setDefault(d, 'version', 1),
  validate: () => ({}),
  isComplete: (d) => d.version !== undefined,
  screen: 'welcome',
};
