// `npm run test:release-lab`: the release proof of issue 28 alone (test/lab/release.test.ts), with the
// e2e's own settings (vitest.e2e.config.ts), only its file list changed. CI runs it before the e2e
// (.ci/run); it passed on the lab in session 19 (docs/packaging.md).
import { defineConfig } from 'vitest/config';
import e2e from './vitest.e2e.config.js';

export default defineConfig({ ...e2e, test: { ...e2e.test, include: ['test/lab/release.test.ts'], exclude: [] } });
