// Shared by the monitor benches: the command to run `monitor`. Uses dist/cli.js when it was built with the
// monitor wired in; otherwise bundles src/commands/monitor.ts with esbuild, exactly as scripts/build.mjs
// bundles the CLI (ESM, node20, split chunks, everything but ssh2 bundled), into node_modules/.cache/ (so
// the external ssh2 resolves).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

export async function monitorCommand() {
  const dist = join(root, 'dist', 'cli.js');
  if (existsSync(dist) && readdirSync(join(root, 'dist', 'chunks')).some((f) => readFileSync(join(root, 'dist', 'chunks', f), 'utf8').includes('monitor-json.md'))) {
    return { argv: [dist, 'monitor'], how: 'dist/cli.js monitor' };
  }
  const dir = join(root, 'node_modules', '.cache', 'hanfs-monitor-bench');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `import { run } from ${JSON.stringify(join(root, 'src/commands/monitor.ts'))};\nrun(process.argv.slice(2)).then((c) => { process.exitCode = c; });\n`);
  await build({
    entryPoints: { monitor: entry }, outdir: dir, outExtension: { '.js': '.mjs' }, splitting: true, chunkNames: 'chunks/[name]-[hash]', bundle: true, format: 'esm', platform: 'node', target: 'node20',
    jsx: 'automatic',
  loader: { '.sh': 'text' }, external: ['ssh2', 'cpu-features', 'react-devtools-core'], logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    define: { 'process.env.HANFS_DEMO_LAB': JSON.stringify(join(root, 'demo-lab')) },
  });
  return { argv: [join(dir, 'monitor.mjs')], how: 'esbuild bundle of src/commands/monitor.ts (dist/cli.js not built with monitor)' };
}
