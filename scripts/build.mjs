// Bundles src/cli.ts into dist/. The entry stays tiny: --version and --help are answered before any
// React/Ink code is loaded; every command is a separate chunk imported on demand (esbuild splitting).
import { build } from 'esbuild';
import { readFileSync, rmSync, chmodSync, renameSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build next to dist/ and swap it in at the end, so a CLI already running from dist/ (a test, a
// benchmark) never sees a half-written tree.
const tmp = new URL(`../dist.tmp-${process.pid}/`, import.meta.url);
rmSync(tmp, { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: tmp.pathname,
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
  // React and its reconciler ship development builds (several times larger and slower) selected by
  // NODE_ENV: the CLI is always the production build.
  define: { __VERSION__: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  // Smaller chunks parse faster: the wizard's first frame and monitor --once are start-up bound.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
chmodSync(new URL('cli.js', tmp), 0o755);
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
renameSync(tmp, new URL('../dist', import.meta.url));
