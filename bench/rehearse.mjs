// The whole rehearsal matrix (every scenario of src/rehearse/scenarios.ts, Pacemaker's crm_simulate,
// crm_attribute and crm_mon for real) must run in under 5 s on the 2-core machine.
// For each answers file (the example and every varied one): the median wall time over the rounds, and
// the CPU time its child processes used (from /proc/self/stat), which does not depend on what else the
// machine runs. The load average is printed too: a busy machine stretches wall time, not CPU time.
//   node bench/rehearse.mjs [rounds]       exits 1 when a median is above 5 s
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { importSources, root } from './helpers/import-sources.mjs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const rounds = Number(process.argv[2] ?? 3);
const LIMIT_MS = 5000;
const { mod, dir: out } = await importSources(`export { rehearse } from './src/rehearse/engine.ts';
export { loadAnswersFile } from './src/answers/load.ts';`);
const { rehearse, loadAnswersFile } = mod;

/** CPU seconds used by this process's finished children (utime + stime of waited-for children). */
function childCpu() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After "pid (comm) ": state is field 3; cutime and cstime are fields 16 and 17.
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}

const files = ['examples/answers.yaml', ...readdirSync(join(root, 'examples/varied')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `examples/varied/${f}`)];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let failed = 0;
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2 cores: above 2 means other work competes)`);
console.log('answers file'.padEnd(48), 'scenarios', 'median ms', 'child CPU s', 'holds');
for (const f of files) {
  const loaded = await loadAnswersFile(join(root, f));
  if (!loaded.ok) throw new Error(`${f}: invalid answers`);
  const walls = [];
  const cpus = [];
  let last;
  for (let i = 0; i < rounds; i++) {
    const c0 = childCpu();
    last = await rehearse(loaded.answers);
    if (!last.ok) throw new Error(`${f}: ${last.message}`);
    walls.push(last.durationMs);
    cpus.push(childCpu() - c0);
  }
  const m = median(walls);
  if (m > LIMIT_MS || !last.holds) failed++;
  console.log(f.padEnd(48), String(last.scenarios.length).padStart(9), String(m).padStart(9), median(cpus).toFixed(2).padStart(11), String(last.holds).padStart(5));
}
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(failed ? `${failed} answers file(s) above ${LIMIT_MS} ms or not holding` : `every matrix under ${LIMIT_MS} ms`);
rmSync(out, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
