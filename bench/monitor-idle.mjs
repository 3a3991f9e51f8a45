// Idle cost of the live view: CPU share of one core and resident memory of the monitor process, in a real
// terminal (tmux 80x24), after a warm-up. Measured two ways, never mixed up:
//
// LAB (--lab): watching the project's QEMU lab after an apply (two real nodes over SSH, the default
// --interval 2: crm_mon, /proc/drbd, mdstat every 2 s, LVM and NFS every 10 s, events2 streamed, ping)
// for 5 minutes. This is the figure that says what keeping the monitor open costs. Issue 29's targets:
// under 1 % of one core, under 120 MB RSS.
// REPLAY (always): watching demo-lab/running, where every command is answered at once from a file:
// start-up, parsing and drawing only (issue 7's targets, same numbers).
//
// usage: node bench/monitor-idle.mjs [seconds]                           replay only (default 30 s)
//        node bench/monitor-idle.mjs --lab [--fresh] [--seconds N]       the lab (default 300 s), then the replay
//   --lab uses the lab that is up (it must hold the applied, healthy cluster: `LAB_KEEP=1 npm run test:e2e`
//   leaves one); --fresh boots a new lab and applies it first (about 10 min), and stops it at the end.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorCommand, root } from './monitor-bundle.mjs';

const argv = process.argv.slice(2);
const lab = argv.includes('--lab');
const fresh = argv.includes('--fresh');
const secAt = argv.indexOf('--seconds');
const seconds = Number(secAt >= 0 ? argv[secAt + 1] : (argv.find((a) => /^\d+$/.test(a)) ?? (lab ? 300 : 30)));
if (!Number.isFinite(seconds) || seconds < 1) {
  console.error('error: seconds: a number of at least 1');
  process.exit(2);
}
const mon = await monitorCommand();
const tmux = (...a) => execFileSync('tmux', a, { encoding: 'utf8' }).trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
/** `env -u VAR K=V ... node monitor ARGS` as one tmux command line; every word quoted for sh. */
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** Starts the live monitor in its own tmux session, measures it for `secs` after `warmupMs`, stops it. */
async function measure(label, args, env, secs, warmupMs) {
  const session = `hanfs-idle-${process.pid}-${label}`;
  const envWords = [...(env.unset ?? []).flatMap((k) => ['-u', k]), ...Object.entries(env.set ?? {}).map(([k, v]) => `${k}=${v}`)];
  const cmd = ['exec', 'env', ...envWords, process.execPath, ...mon.argv, ...args].map((w, i) => (i === 0 ? w : q(w))).join(' ');
  tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-c', root, cmd);
  try {
    const pid = Number(tmux('display', '-p', '-t', session, '#{pane_pid}'));
    const cpu = () => {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      // utime + stime, and its waited-for children's (the monitor's SSH runs in-process, via ssh2)
      return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / ticks;
    };
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
    await sleep(warmupMs); // start-up, the SSH handshakes and the first polls are not idle
    const screen = tmux('capture-pane', '-p', '-t', session);
    if (!screen.includes('hanfs monitor')) throw new Error(`${label}: the monitor did not start:\n${screen}`);
    if (/unreachable/.test(screen)) throw new Error(`${label}: a node is unreachable:\n${screen}`);
    const c0 = cpu();
    const t0 = Date.now();
    let maxRss = 0;
    while (Date.now() - t0 < secs * 1000) {
      await sleep(1000);
      maxRss = Math.max(maxRss, rss());
    }
    const share = ((cpu() - c0) / ((Date.now() - t0) / 1000)) * 100;
    const last = tmux('capture-pane', '-p', '-t', session);
    if (/unreachable/.test(last)) throw new Error(`${label}: a node became unreachable during the measure:\n${last}`);
    return { share, maxRss };
  } finally {
    tmux('kill-session', '-t', session);
  }
}

const verdict = (r) => `CPU ${r.share.toFixed(2)} % of one core (target < 1 %) ${r.share < 1 ? 'PASS' : 'FAIL'}; RSS ${r.maxRss.toFixed(1)} MB max (target < 120 MB) ${r.maxRss < 120 ? 'PASS' : 'FAIL'}`;
const ok = (r) => r.share < 1 && r.maxRss < 120;
let failed = false;

if (lab) {
  const { labModule, appliedLab } = await import('./helpers/lab-cluster.mjs');
  const L = await labModule();
  let labError = null;
  try {
    const { lab: info } = await appliedLab(L, { fresh, log: (m) => console.log(m) });
    // As the e2e test runs the wizard against the lab: its ~/.ssh is .lab/home/.ssh, no agent.
    const r = await measure('lab', ['--answers', info.answers], { set: { HOME: info.home }, unset: ['SSH_AUTH_SOCK'] }, seconds, 20_000);
    console.log(`LAB: live view watching the project's QEMU lab after an apply (2 real nodes over SSH, ${info.vcpus} vCPUs and ${info.memMiB} MiB per VM, ${info.accel}; --interval 2), ${seconds} s after a 20 s warm-up (monitor: ${mon.how})`);
    console.log(`  ${verdict(r)}`);
    failed ||= !ok(r);
  } catch (e) {
    labError = e instanceof Error ? e.message : String(e);
  } finally {
    if (fresh) await L.labDown(); // --fresh started it: stopped also when the run failed
  }
  if (labError !== null) {
    console.error(`error: --lab: ${labError}`);
    process.exit(2);
  }
}

const replaySeconds = lab ? 30 : seconds;
const r = await measure('replay', ['--demo=running'], {}, replaySeconds, 5000);
console.log(`REPLAY: live view watching demo-lab/running (2 replayed nodes, every command answered at once from a file; --interval 2), ${replaySeconds} s after a 5 s warm-up (monitor: ${mon.how})`);
console.log(`  ${verdict(r)}`);
failed ||= !ok(r);
process.exitCode = failed ? 1 : 0;
