import { defineConfig } from 'vitest/config';
import { shText } from './test/helpers/sh-text-plugin.js';

export default defineConfig({
  // src/plan/sh/*.sh imported as text, as in the build.
  plugins: [shText],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/lab/**', 'test/trixie/**', 'node_modules/**'],
    // Validators and real sshd are spawned as child processes: the 2-core CI machine needs headroom.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One temporary directory for the whole run, removed at its end (test/helpers/temp-root.ts).
    globalSetup: ['test/helpers/temp-root.ts'],
  },
});
