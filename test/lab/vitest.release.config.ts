// `npm run test:release-lab`: the release proof of issue 28 alone (test/lab/release.test.ts), with the
// e2e's own settings (vitest.e2e.config.ts), only its file list changed. Kept out of CI's e2e until the
// lab image carries man-db and bash-completion and the proof has passed on a lab (docs/packaging.md).
import { defineConfig } from 'vitest/config';
import e2e from './vitest.e2e.config.js';

export default defineConfig({ ...e2e, test: { ...e2e.test, include: ['test/lab/release.test.ts'], exclude: [] } });
