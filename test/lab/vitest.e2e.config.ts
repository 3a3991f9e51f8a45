// The lab's own vitest config (`npm run test:e2e`): the main suite excludes test/lab/**. One file at a
// time, no parallelism (two emulated VMs already fill this machine's 2 cores), long timeouts (TCG).
// globalSetup stops every lab process by PID when the run ends, also when a test failed or timed out.
import { defineConfig } from 'vitest/config';
import { shText } from '../helpers/sh-text-plugin.js';

export default defineConfig({
  plugins: [shText],
  test: {
    include: ['test/lab/**/*.test.ts'],
    // The release proof (the single executable on lab1, the .deb on lab2) has its own run,
    // `npm run test:release-lab` (vitest.release.config.ts, its own line in .ci/run): it needs a bare lab
    // of its own, and lab-up.sh refuses to boot over a lab that is up, so it cannot share this run.
    exclude: ['test/lab/release.test.ts'],
    globalSetup: ['test/lab/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 45 * 60_000,
    hookTimeout: 30 * 60_000,
    teardownTimeout: 120_000,
    reporters: ['verbose'],
  },
});
