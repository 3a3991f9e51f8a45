// Bundles src/cli.ts into dist/. The entry stays tiny: --version and --help are answered before any
// React/Ink code is loaded; every command is a separate chunk imported on demand (esbuild splitting).
import { build } from 'esbuild';
import { readFileSync, rmSync, chmodSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // ssh2 ships optional native crypto (cpu-features, sshcrypto.node): keep it external so its own
  // require() fallbacks work; everything else is bundled so the CLI starts without resolving node_modules.
  external: ['ssh2', 'cpu-features', 'react-devtools-core'],
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  define: { __VERSION__: JSON.stringify(pkg.version) },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
