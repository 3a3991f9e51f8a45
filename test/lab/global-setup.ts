// Runs once around `npm run test:e2e`: whatever happened in the tests (failure, timeout, Ctrl-C), every
// QEMU and the service hub are stopped by their recorded PIDs at the end (lab-down.sh).
import { labDown } from './lab.js';

export default function setup(): () => Promise<void> {
  const stop = () => {
    void labDown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return async () => {
    // LAB_KEEP=1: leave the lab up after the run (to look at a failure, or to go on with
    // LAB_REUSE=applied); npm run lab:down stops it.
    if (process.env.LAB_KEEP === '1') {
      console.error('LAB_KEEP=1: the lab stays up; stop it with npm run lab:down');
      return;
    }
    const r = await labDown();
    if (r.code !== 0) console.error(`lab-down failed: ${r.stderr}`);
  };
}
