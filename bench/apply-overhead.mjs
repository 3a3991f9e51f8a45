// apply's own overhead beyond the tools' run time, from the journal's timings: the whole plan is assessed
// and walked on the embedded demo lab (replay runner, so tool time is ~0 and what remains is apply's own
// work: planning, checks' parsing, journal writes, event formatting), next to `node -e 0` (Node's start).
// Compared with the real lab's fastest full run (LAB.md: 198 s) the ratio must stay far under 10%.
// Run after `npm run build`: node bench/apply-overhead.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 10);
const LAB_RUN_MS = 198_000;
const dir = mkdtempSync(join(tmpdir(), 'apply-bench-'));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const node0 = [];
const wall = [];
const tool = [];
let commands = 0;
for (let i = 0; i < runs; i++) {
  let t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  node0.push(Number(process.hrtime.bigint() - t0) / 1e6);
  const log = join(dir, `j${i}.log`);
  t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['dist/cli.js', 'apply', '--demo', '--dry-run', '--json', '--log', log, '--answers', 'test/fixtures/apply/demo-answers.yaml'], { encoding: 'utf8' });
  wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (r.status !== 0) throw new Error(`apply exited ${r.status}: ${r.stderr}`);
  const durations = [...readFileSync(log, 'utf8').matchAll(/^ {2}exit \S+ in (\d+) ms/gm)].map((m) => Number(m[1]));
  commands = durations.length;
  tool.push(durations.reduce((a, b) => a + b, 0));
}
rmSync(dir, { recursive: true, force: true });
const overhead = median(wall) - median(node0) - median(tool);
console.log(`apply --dry-run on the demo lab: ${runs} runs, ${commands} commands journaled per run`);
console.log(`  wall ${median(wall).toFixed(0)} ms, node start ${median(node0).toFixed(0)} ms, tool time (journal) ${median(tool).toFixed(0)} ms`);
console.log(`  apply's own overhead ${overhead.toFixed(0)} ms = ${((overhead / LAB_RUN_MS) * 100).toFixed(2)}% of the lab's fastest full run (${LAB_RUN_MS / 1000} s)`);
if (overhead / LAB_RUN_MS > 0.1) {
  console.error('FAIL: overhead above 10%');
  process.exit(1);
}
