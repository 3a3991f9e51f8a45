// Debian 13's own tools on the files we generate (`npm run test:trixie`): the main suite excludes
// test/trixie/**. Separate because it needs root and a Debian 13 root built by debootstrap (about 5.5 min
// and 305 MB once, cached outside the clone by test/setup/trixie-root.sh; seconds after that), which the
// unit suite must not impose on every machine that runs `npm test`. CI runs it after `npm test`
// (.ci/run). One file at a time: each call enters a chroot in fresh namespaces, and the rehearsal there
// is a long chain of them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/trixie/**/*.test.ts'],
    globalSetup: ['test/helpers/temp-root.ts', 'test/trixie/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 30 * 60_000,
  },
});
