// The single executable against `node dist/cli.js` (issue 28): file size, `--version`, and the wizard's
// first frame (`--demo` in a pseudo-terminal through util-linux script(1)). Targets: --version within 2x
// of node dist/cli.js, first frame within 1.5x. Runs alternate between the two so a busy machine (2
// cores shared by several developers) weighs on both alike; CPU time is reported beside wall time since
// it depends far less on that load.
//   node bench/sea-startup.mjs [runs]   (builds dist/ and the executable when missing)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 15);
const SEA = 'dist/release/hanfs-wizard-linux-x64';
const CLI = 'dist/cli.js';
if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (!existsSync(SEA)) spawnSync(process.execPath, ['scripts/package-sea.mjs'], { stdio: ['ignore', 'inherit', 'ignore'] });
const dir = mkdtempSync(join(tmpdir(), 'hanfs-sea-bench-'));

const variants = [
  { name: 'node dist/cli.js', argv: [process.execPath, CLI] },
  { name: 'single executable', argv: [SEA] },
];

/** Wall and CPU (user+system, from bash's `times` for its child) of one run to exit. */
function toExit(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', '"$@" >/dev/null || exit 1; times', '_', ...argv], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  const [u, s] = r.stdout.trim().split('\n')[1].split(' ').map((t) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  });
  return { wall, cpu: u + s };
}

/** The wizard's own mark at its first frame (ms since its process started, CPU used), in a pty. */
function toFirstFrame(argv, i) {
  const mark = join(dir, `mark-${i}.json`);
  const cmd = [...argv, '--demo', '--answers', join(dir, `answers-${i}.yaml`)].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      env: { ...process.env, HANFS_BENCH_FIRST_FRAME: mark, COLUMNS: '80', LINES: '24', TERM: 'xterm-256color' },
    });
    const deadline = Date.now() + 20_000;
    const poll = () => {
      let m = null;
      try {
        m = JSON.parse(readFileSync(mark, 'utf8'));
      } catch {}
      if (m === null && Date.now() < deadline) return setTimeout(poll, 10);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      if (m === null) reject(new Error(`${cmd}: no first-frame mark within 20 s`));
      else resolve({ wall: m.wallMs, cpu: (m.cpu.user + m.cpu.system) / 1000 });
    };
    poll();
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = Object.fromEntries(variants.map((v) => [v.name, { version: [], frame: [] }]));
try {
  for (let i = 0; i < runs; i++) {
    for (const v of i % 2 ? [...variants].reverse() : variants) {
      results[v.name].version.push(toExit([...v.argv, '--version']));
      results[v.name].frame.push(await toFirstFrame(v.argv, `${v.name.length}-${i}`));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ms = (x) => `${x.toFixed(0).padStart(5)} ms`;
console.log(`runs: ${runs} each, alternating; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const duBytes = (...paths) => Number(spawnSync('du', ['-scb', ...paths], { encoding: 'utf8' }).stdout.trim().split('\n').pop().split('\t')[0]);
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
console.log(`size: ${SEA} ${mib(statSync(SEA).size)}; node dist/cli.js: ${mib(duBytes('dist/cli.js', 'dist/chunks'))} of dist/ plus node_modules/ssh2 ${mib(duBytes('node_modules/ssh2'))} plus Node.js itself (${mib(statSync(process.execPath).size)})`);
const summary = {};
for (const [name, r] of Object.entries(results)) {
  summary[name] = {
    versionWall: median(r.version.map((x) => x.wall)),
    versionCpu: median(r.version.map((x) => x.cpu)),
    frameWall: median(r.frame.map((x) => x.wall)),
    frameCpu: median(r.frame.map((x) => x.cpu)),
  };
  const s = summary[name];
  console.log(`${name.padEnd(18)} --version wall ${ms(s.versionWall)} cpu ${ms(s.versionCpu)} | first frame wall ${ms(s.frameWall)} cpu ${ms(s.frameCpu)}  (medians)`);
}
const [node, sea] = [summary['node dist/cli.js'], summary['single executable']];
const ratio = (a, b) => (a / b).toFixed(2);
const versionOk = sea.versionWall <= 2 * node.versionWall;
const frameOk = sea.frameWall <= 1.5 * node.frameWall;
console.log(`--version: single executable / node = ${ratio(sea.versionWall, node.versionWall)} wall, ${ratio(sea.versionCpu, node.versionCpu)} cpu (target <= 2): ${versionOk ? 'yes' : 'NO'}`);
console.log(`first frame: single executable / node = ${ratio(sea.frameWall, node.frameWall)} wall, ${ratio(sea.frameCpu, node.frameCpu)} cpu (target <= 1.5): ${frameOk ? 'yes' : 'NO'}`);
process.exitCode = versionOk && frameOk ? 0 : 1;
