// Benchmarks are plain node scripts, but what they measure is TypeScript in src/: bundle the named
// exports once with esbuild (as the real build does) into node_modules/.cache, where the bundle still
// resolves the packages it keeps external, and import it. Returns the module and its scratch directory.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = new URL('../..', import.meta.url).pathname;

export async function importSources(contents) {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'hanfs-bench-'));
  await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: join(dir, 'bench.mjs'),
    packages: 'external',
    logLevel: 'warning',
  });
  return { mod: await import(pathToFileURL(join(dir, 'bench.mjs')).href), dir };
}
