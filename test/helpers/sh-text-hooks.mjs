// Node module hooks: a .sh file imported as its text, as the build (esbuild's text loader) and vitest
// (vitest.config.ts) import it. Registered by test/helpers/sh-text.mjs for sources run with tsx.
import { readFile } from 'node:fs/promises';

export async function load(url, context, next) {
  if (url.endsWith('.sh')) {
    return { format: 'module', shortCircuit: true, source: `export default ${JSON.stringify(await readFile(new URL(url), 'utf8'))};` };
  }
  return next(url, context);
}
