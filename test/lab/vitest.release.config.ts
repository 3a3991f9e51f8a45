// `npm run test:release-lab`: the release proof of issue 28 alone (test/lab/release.test.ts), with the
// e2e's settings (vitest.e2e.config.ts). Kept out of CI's e2e until the lab image carries man-db and
// bash-completion and the proof has passed on a lab (docs/packaging.md says what remains).
import { defineConfig } from 'vitest/config';
import { shText } from '../helpers/sh-text-plugin.js';

export default defineConfig({
  plugins: [shText],
  test: {
    include: ['test/lab/release.test.ts'],
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
