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
    // `npm run test:release-lab` (vitest.release.config.ts): it needs man-db and bash-completion in the
    // lab image and has not run on a lab yet (docs/packaging.md), so CI's e2e does not carry it.
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
