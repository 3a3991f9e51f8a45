// Runs every benchmark under bench/ one after another (never in parallel: they measure time on a
// 2-core machine), after a fresh build. `npm run bench`, or `npm run bench -- NAME...` for some.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const benches = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs')
  // lab-* benchmarks boot the two QEMU VMs (tens of minutes): only when named, `npm run bench -- lab`.
  .filter((f) => (only.length === 0 ? !f.startsWith('lab-') : only.some((o) => f.includes(o))))
  .sort();

spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
let failed = 0;
for (const b of benches) {
  console.log(`\n== bench/${b}`);
  const r = spawnSync(process.execPath, [`bench/${b}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(`\n${benches.length - failed} benchmarks ran, ${failed} reported a problem`);
process.exitCode = failed ? 1 : 0;
