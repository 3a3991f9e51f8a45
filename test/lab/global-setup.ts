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
    const r = await labDown();
    if (r.code !== 0) console.error(`lab-down failed: ${r.stderr}`);
  };
}
