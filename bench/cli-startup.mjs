// How fast `hanfs-wizard --version` and `--help` answer, next to `node -e 0` (Node's own start), and
// proof that they load no Ink/React chunk. Run after `npm run build`: node bench/cli-startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 30);

function timeOf(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0] };
}

function loaded(args) {
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-loads-'));
  const file = join(dir, 'loads.txt');
  spawnSync(process.execPath, ['--import', './bench/helpers/record-loads.mjs', ...args], {
    stdio: 'ignore',
    env: { ...process.env, HANFS_LOADS_FILE: file },
  });
  let urls = [];
  try {
    urls = readFileSync(file, 'utf8').trim().split('\n').filter((u) => u.includes('/dist/'));
  } catch {}
  rmSync(dir, { recursive: true, force: true });
  return urls;
}

const base = timeOf(['-e', '0']);
const version = timeOf(['dist/cli.js', '--version']);
const help = timeOf(['dist/cli.js', '--help']);
const versionLoads = loaded(['dist/cli.js', '--version']);
// esbuild's small runtime-helper chunk may load; a chunk with React or Ink's layout engine must not.
const inkLoaded = versionLoads.some((u) => /chunks\//.test(u) && /Symbol\.for\("react\.|yoga/.test(readFileSync(new URL(u), 'utf8')));

console.log(`runs: ${runs}`);
console.log(`node -e 0            median ${base.median.toFixed(1)} ms  min ${base.min.toFixed(1)} ms`);
console.log(`cli.js --version     median ${version.median.toFixed(1)} ms  min ${version.min.toFixed(1)} ms  (+${(version.median - base.median).toFixed(1)} ms)`);
console.log(`cli.js --help        median ${help.median.toFixed(1)} ms  min ${help.min.toFixed(1)} ms  (+${(help.median - base.median).toFixed(1)} ms)`);
console.log(`modules --version loads from dist/: ${versionLoads.map((u) => u.replace(/^.*\/dist\//, 'dist/')).join(', ')}`);
console.log(`Ink/React or any command chunk loaded by --version: ${inkLoaded ? 'YES (regression)' : 'no'}`);
process.exitCode = inkLoaded ? 1 : 0;
