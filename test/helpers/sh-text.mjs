// `node --import ./test/helpers/sh-text.mjs --import tsx src/cli.ts`: the sources run as the build runs
// them, src/plan/sh/*.sh imported as text (test/helpers/sh-text-hooks.mjs).
import { register } from 'node:module';

register('./sh-text-hooks.mjs', import.meta.url);
