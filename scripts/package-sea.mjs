// `npm run package:sea`: dist/release/hanfs-wizard-linux-x64, one file that runs without Node.js installed.
// Built with Node's own single-executable-application support (docs: nodejs.org/api/single-executable-
// applications.html): the CLI bundled as ONE CommonJS script (SEA runs nothing else), turned into a
// preparation blob by `node --experimental-sea-config`, injected into a copy of this very node binary
// with postject. The demo lab and Ink's layout engine (yoga.wasm) travel as SEA assets. Nothing is
// downloaded: the node binary is the one running this script (Linux x86-64, Node >= 20.12 for assets),
// stripped with binutils' strip.
//
// The ESM build (scripts/build.mjs) splits every command into its own chunk; a CommonJS bundle cannot
// have top-level await, and two modules use it: yoga-layout awaits its WebAssembly, and Ink's reconciler
// awaits React DevTools when DEV=true. The plugins below rewrite exactly those lines, and fail the build
// if the text they expect has changed.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const WORK = join(ROOT, 'dist', 'sea');
const OUT = join(ROOT, 'dist', 'release', 'hanfs-wizard-linux-x64');
/** The sentinel Node looks for to know it carries a blob (fixed by Node, see the SEA docs). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`error: the single executable is built from the running node binary, which is ${process.platform}-${process.arch}, not linux-x64`);
  process.exit(2);
}

/** Replaces `from` by `to` in the text, or fails the build naming the file: the upstream code changed. */
function patch(text, path, from, to) {
  if (!text.includes(from)) throw new Error(`${path}: "${from}" not found (a dependency changed: revisit scripts/package-sea.mjs)`);
  return text.replace(from, to);
}

let yogaWasm = null;
const seaPlugin = {
  name: 'hanfs-sea',
  setup(b) {
    // ssh2's optional native parts (cpu-features, its sshcrypto.node binding): each require() sits in a
    // try/catch that falls back to pure JS, which is what a single executable uses (it can load nothing
    // from disk). A module that throws, instead of a require() Node would warn about at run time.
    b.onResolve({ filter: /^cpu-features$|\.node$/ }, ({ path }) => ({ path, namespace: 'sea-absent' }));
    b.onLoad({ filter: /.*/, namespace: 'sea-absent' }, ({ path }) => ({
      contents: `throw new Error(${JSON.stringify(`${path}: not in the single executable`)});`,
      loader: 'js',
    }));
    // The WebAssembly leaves the JS bundle (no 90 KB of base64 to decode at each start) for a SEA asset.
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const m = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(text);
      if (!m) throw new Error(`${path}: no embedded wasm data: URL found (yoga-layout changed: revisit scripts/package-sea.mjs)`);
      yogaWasm = Buffer.from(m[1], 'base64');
      return { contents: text.replace(m[0], '""'), loader: 'js' };
    });
    // No top-level await: Emscripten's instantiateWasm hook, answered synchronously, makes the module
    // complete before loadYoga() returns (its run() is called in the same turn once no dependency is
    // pending), so the Module object it was given is the ready Yoga.
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const sync = [
        'const __yogaModule = { instantiateWasm(imports, done) {',
        "  const bytes = require('node:sea').getAsset('yoga.wasm');",
        '  done(new WebAssembly.Instance(new WebAssembly.Module(bytes), imports));',
        '  return {};',
        '} };',
        'loadYoga(__yogaModule);',
        "if (typeof __yogaModule.Node !== 'function') throw new Error('yoga-layout did not initialise synchronously');",
        'const Yoga = wrapAssembly(__yogaModule);',
      ].join('\n');
      return { contents: patch(text, path, 'const Yoga = wrapAssembly(await loadYoga());', sync), loader: 'js', resolveDir: dirname(path) };
    });
    // Ink only imports React DevTools (and its own package.json) when DEV=true: not in a release binary.
    b.onLoad({ filter: /ink[\\/]build[\\/]reconciler\.js$/ }, ({ path }) => {
      let text = readFileSync(path, 'utf8');
      text = patch(text, path, "await import('./devtools.js');", "throw Object.assign(new Error('no React DevTools in the single executable'), { code: 'ERR_MODULE_NOT_FOUND' });");
      text = patch(text, path, '? await loadPackageJson()', '? { name: undefined, version: undefined }');
      return { contents: text, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
mkdirSync(dirname(OUT), { recursive: true });

const result = await build({
  plugins: [seaPlugin],
  entryPoints: [join(ROOT, 'src/sea-main.ts')],
  outfile: join(WORK, 'main.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // The plan's node shell programs (src/plan/sh/*.sh) are imported as text, as in scripts/build.mjs.
  loader: { '.sh': 'text' },
  external: ['react-devtools-core'],
  // import.meta does not exist in CommonJS: the demo loader's search from "this module" starts at the
  // executable instead (it finds nothing there, and --demo sets HANFS_DEMO_LAB anyway).
  banner: { js: "const __hanfsSeaUrl = require('node:url').pathToFileURL(process.execPath).href;" },
  define: {
    __VERSION__: JSON.stringify(pkg.version),
    __SEA__: 'true',
    'process.env.NODE_ENV': '"production"',
    'import.meta.url': '__hanfsSeaUrl',
  },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  metafile: true,
});
if (!yogaWasm) throw new Error('yoga-layout was not bundled through the hanfs-sea plugin');
// A single executable on Node 20 has no dynamic import() (the call rejects at run time): esbuild turns
// every import() of our own modules into a require, but leaves one of a Node built-in as it is.
const dynamicImports = readFileSync(join(WORK, 'main.cjs'), 'utf8').match(/\bimport\(\s*["'][^"']+["']\s*\)/g);
if (dynamicImports) throw new Error(`the bundle still has ${[...new Set(dynamicImports)].join(', ')}: import it statically (no import() in a single executable)`);
writeFileSync(join(WORK, 'yoga.wasm'), yogaWasm);
// What went into the bundle: the .deb lists every bundled npm package and its licence from it.
writeFileSync(join(WORK, "meta.json"), JSON.stringify(result.metafile));

// The demo lab: one asset a file plus the list of them (Node 20 cannot enumerate a blob's assets).
const demoRoot = join(ROOT, 'demo-lab');
const demoFiles = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else demoFiles.push(relative(demoRoot, full));
  }
})(demoRoot);
writeFileSync(join(WORK, 'demo-lab-index.json'), JSON.stringify(demoFiles));
const assets = { 'yoga.wasm': join(WORK, 'yoga.wasm'), 'demo-lab/index.json': join(WORK, 'demo-lab-index.json') };
for (const f of demoFiles) assets[`demo-lab/${f}`] = join(demoRoot, f);

writeFileSync(
  join(WORK, 'sea-config.json'),
  JSON.stringify(
    {
      main: join(WORK, 'main.cjs'),
      output: join(WORK, 'sea-prep.blob'),
      disableExperimentalSEAWarning: true,
      // V8's compiled code for the bundle, so a start does not parse and compile 2 MB of JavaScript again.
      useCodeCache: true,
      assets,
    },
    null,
    2,
  ),
);
execFileSync(process.execPath, ['--experimental-sea-config', join(WORK, 'sea-config.json')], { stdio: 'inherit' });

rmSync(OUT, { force: true });
copyFileSync(process.execPath, OUT);
chmodSync(OUT, 0o755);
// Node's symbol table is for debuggers, not for running: stripped, the file is about 12 MB smaller (and
// a Debian package must not ship unstripped binaries). The blob goes in after, into its own ELF note.
execFileSync('strip', ['--strip-all', OUT], { stdio: 'inherit' });
const { inject } = createRequire(import.meta.url)('postject');
await inject(OUT, 'NODE_SEA_BLOB', readFileSync(join(WORK, 'sea-prep.blob')), { sentinelFuse: FUSE });

const version = execFileSync(OUT, ['--version'], { encoding: 'utf8' }).trim();
if (version !== pkg.version) throw new Error(`${OUT} --version says "${version}", package.json ${pkg.version}`);
console.log(`${relative(ROOT, OUT)}: ${(statSync(OUT).size / 1048576).toFixed(1)} MiB, version ${version}`);
