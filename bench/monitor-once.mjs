// `monitor --once` on the replayed two-node cluster (demo-lab/running) next to crmsh's `crm status` and
// `crm_mon -1`, both reading the same CIB file (CIB_file=, the lab's cibadmin -Q of the running cluster),
// measured side by side, interleaved, in one run. Targets (issue 7): monitor <= 0.5x crm status, <= 4x
// crm_mon -1.   node bench/monitor-once.mjs [runs]
import { spawnSync } from 'node:child_process';
import { monitorCommand, root } from './monitor-bundle.mjs';

const runs = Number(process.argv[2] ?? 10);
const cib = '/work/shared/lab-captures/pacemaker/cibadmin_Q.nfs-running-with-ping.node2.xml';
const mon = await monitorCommand();

const contenders = {
  'monitor --once (replay)': [process.execPath, [...mon.argv, '--demo=running', '--once'], {}],
  'crm status (crmsh)': ['crm', ['status'], { CIB_file: cib }],
  'crm_mon -1': ['crm_mon', ['-1'], { CIB_file: cib }],
};
const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const [name, [cmd, args, env]] of Object.entries(contenders)) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    if (i > 0) samples[name].push(ms); // the first round warms caches
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
console.log(`monitor: ${mon.how}; ${runs} interleaved runs each, median wall time`);
for (const [k, v] of Object.entries(m)) console.log(`  ${k.padEnd(26)} ${v.toFixed(1).padStart(8)} ms`);
const vsCrm = m['monitor --once (replay)'] / m['crm status (crmsh)'];
const vsMon = m['monitor --once (replay)'] / m['crm_mon -1'];
console.log(`  monitor / crm status = ${vsCrm.toFixed(2)} (target <= 0.5) ${vsCrm <= 0.5 ? 'PASS' : 'FAIL'}`);
console.log(`  monitor / crm_mon -1 = ${vsMon.toFixed(2)} (target <= 4)   ${vsMon <= 4 ? 'PASS' : 'FAIL'}`);
process.exitCode = vsCrm <= 0.5 && vsMon <= 4 ? 0 : 1;
