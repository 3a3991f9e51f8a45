// Time from process start to the wizard's first frame: `node dist/cli.js --demo` in a pseudo-terminal
// (util-linux `script`), against `node -e 0` started the same way. Goal: first frame within 400 ms of
// process start on this machine; no probe or rehearsal may block it. Run after `npm run build`:
//   node bench/first-frame.mjs [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 10);
const LIMIT_MS = 400;
const dir = mkdtempSync(join(tmpdir(), 'hanfs-first-frame-'));

/** Spawns cmd in a pty; resolves with ms until `until` appears on the terminal (or until exit when null). */
function timeIt(cmd, until) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
      env: { ...process.env, COLUMNS: '80', LINES: '24', TERM: 'xterm-256color' },
    });
    let out = '';
    let done = false;
    const finish = (ms) => {
      if (done) return;
      done = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve(ms);
    };
    child.stdout.on('data', (d) => {
      out += d.toString();
      if (until !== null && out.includes(until)) finish(Number(process.hrtime.bigint() - t0) / 1e6);
    });
    child.on('exit', () => {
      if (until === null) finish(Number(process.hrtime.bigint() - t0) / 1e6);
      else if (!done) reject(new Error(`exited before "${until}" appeared; output:\n${out}`));
    });
    setTimeout(() => !done && reject(new Error(`no "${until}" within 10 s; output:\n${out}`)), 10_000).unref();
  });
}

async function series(cmd, until) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await timeIt(cmd, until));
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples.at(-1) };
}

try {
  const base = await series(`${process.execPath} -e 0`, null);
  const wizard = await series(`${process.execPath} dist/cli.js --demo --answers ${join(dir, 'answers.yaml')}`, 'hanfs-wizard ·');
  const fmt = (s) => `median ${s.median.toFixed(0)} ms  min ${s.min.toFixed(0)} ms  max ${s.max.toFixed(0)} ms`;
  console.log(`runs: ${runs} (each in a pty via script(1)); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`node -e 0 (to exit)            ${fmt(base)}`);
  console.log(`wizard --demo (to first frame) ${fmt(wizard)}  (+${(wizard.median - base.median).toFixed(0)} ms over node -e 0)`);
  const ok = wizard.median <= LIMIT_MS;
  console.log(`first frame within ${LIMIT_MS} ms of process start: ${ok ? 'yes' : 'NO (regression)'}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
