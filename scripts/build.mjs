// Bundles src/cli.ts into dist/. The entry stays tiny: --version and --help are answered before any
// React/Ink code is loaded; every command is a separate chunk imported on demand (esbuild splitting).
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync, rmSync, chmodSync, renameSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build next to dist/ and swap it in at the end, so a CLI already running from dist/ (a test, a
// benchmark) never sees a half-written tree.
const tmp = new URL(`../dist.tmp-${process.pid}/`, import.meta.url);
rmSync(tmp, { recursive: true, force: true });

// Ink's layout engine (yoga-layout) embeds its WebAssembly as a base64 data: URL that Emscripten loads
// with fetch(): that pulls in Node's whole fetch implementation (undici) and decodes 90 KB of base64 at
// every start, about 50 ms of the wizard's first frame. The plugin ships the binary as
// dist/chunks/yoga.wasm instead and hands it to the loader as wasmBinary (Emscripten's documented way to
// skip fetching), and drops the data: URL from the bundle.
const YOGA_DATA_URL = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;
let yogaWasm = null;
const yogaWasmFile = {
  name: 'yoga-wasm-file',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const m = YOGA_DATA_URL.exec(text);
      if (!m) throw new Error(`${path}: no embedded wasm data: URL found (yoga-layout changed: revisit scripts/build.mjs)`);
      yogaWasm = Buffer.from(m[1], 'base64');
      return { contents: text.replace(YOGA_DATA_URL, '""'), loader: 'js' };
    });
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const call = 'wrapAssembly(await loadYoga())';
      if (!text.includes(call)) throw new Error(`${path}: "${call}" not found (yoga-layout changed: revisit scripts/build.mjs)`);
      const wasm = "(await import('node:fs')).readFileSync(new URL('./yoga.wasm', import.meta.url))";
      return { contents: text.replace(call, `wrapAssembly(await loadYoga({ wasmBinary: ${wasm} }))`), loader: 'js', resolveDir: path.replace(/[\\/][^\\/]*$/, '') };
    });
  },
};

await build({
  plugins: [yogaWasmFile],
  entryPoints: { cli: 'src/cli.ts' },
  outdir: tmp.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // Everything is bundled, ssh2 included, so the package needs no dependency at run time: `npx` of the
  // tarball installs nothing, and nothing is compiled on the user's machine (ssh2's optional native
  // helpers, cpu-features and sshcrypto.node, took 10 s of node-gyp at every npx run, issue 29). ssh2
  // requires both inside try/catch and falls back to Node's own crypto, so they stay out of the bundle.
  // The shell programs of the plan (src/plan/sh/*.sh) are imported as text (src/plan/sh.ts).
  loader: { '.sh': 'text' },
  external: ['cpu-features', '*.node', 'react-devtools-core'],
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  // React and its reconciler ship development builds (several times larger and slower) selected by
  // NODE_ENV: the CLI is always the production build.
  // ssh2's bundled CommonJS (its WebAssembly poly1305 loader) reads __dirname/__filename, which ES
  // modules lack: Node 20.11+ gives the same through import.meta.
  define: { __VERSION__: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"', __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  // Smaller chunks parse faster: the wizard's first frame and monitor --once are start-up bound.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
if (!yogaWasm) throw new Error('yoga-layout was not bundled through the yoga-wasm-file plugin');
mkdirSync(new URL('chunks/', tmp), { recursive: true });
writeFileSync(new URL('chunks/yoga.wasm', tmp), yogaWasm);
chmodSync(new URL('cli.js', tmp), 0o755);
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
renameSync(tmp, new URL('../dist', import.meta.url));
