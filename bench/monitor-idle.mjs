// Idle cost of the live view watching two replayed nodes (demo-lab/running): CPU share of one core and
// resident memory of the monitor process, in a real terminal (tmux 80x24), after a warm-up.
// Targets (issue 7): CPU < 1 % of one core, RSS < 120 MB.   node bench/monitor-idle.mjs [seconds]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorCommand, root } from './monitor-bundle.mjs';

const seconds = Number(process.argv[2] ?? 30);
const mon = await monitorCommand();
const session = `hanfs-idle-${process.pid}`;
const tmux = (...a) => execFileSync('tmux', a, { encoding: 'utf8' }).trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-c', root, `exec ${process.execPath} ${mon.argv.join(' ')} --demo=running`);
try {
  const pid = Number(tmux('display', '-p', '-t', session, '#{pane_pid}'));
  const cpu = () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / ticks; // utime + stime, seconds
  };
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  await sleep(5000); // start-up and the first polls are not idle
  if (!tmux('capture-pane', '-p', '-t', session).includes('hanfs monitor')) throw new Error('the monitor did not start');
  const c0 = cpu();
  const t0 = Date.now();
  let maxRss = 0;
  while (Date.now() - t0 < seconds * 1000) {
    await sleep(1000);
    maxRss = Math.max(maxRss, rss());
  }
  const share = ((cpu() - c0) / ((Date.now() - t0) / 1000)) * 100;
  console.log(`monitor: ${mon.how}; live view, demo-lab/running (2 nodes, --interval 2), ${seconds} s after 5 s warm-up`);
  console.log(`  CPU  ${share.toFixed(2)} % of one core (target < 1 %)  ${share < 1 ? 'PASS' : 'FAIL'}`);
  console.log(`  RSS  ${maxRss.toFixed(1)} MB max (target < 120 MB)    ${maxRss < 120 ? 'PASS' : 'FAIL'}`);
  process.exitCode = share < 1 && maxRss < 120 ? 0 : 1;
} finally {
  tmux('kill-session', '-t', session);
}
