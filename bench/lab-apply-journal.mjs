// apply's own overhead on real nodes, from a real run's journal: the time in which no command ran on any
// node and apply was not waiting on the cluster, against the run's wall time. Every command apply runs is
// journaled with its end time and duration (src/apply/journal.ts), every poll of a wait too, so:
//   busy = union of [end - duration, end] over all commands, plus the span of each wait's polls (between
//          two polls of a wait apply sleeps while the cluster works: that is the tools' time, not ours)
//   overhead = wall - busy, where wall = first command's start .. last command's end, plus, per wait, its
//              longest pause between two polls (the most the wait can lag behind the state it waits for).
// The bar is 10%. Journals of runs before 2026-11-26 (cf7003f) did not journal every poll: their
// waits show up as overhead.
//
// usage: node bench/lab-apply-journal.mjs [JOURNAL...]   (default: the newest /var/log/hanfs-wizard/apply-*.log)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DIR = '/var/log/hanfs-wizard';
let files = process.argv.slice(2);
if (files.length === 0) {
  const all = readdirSync(DIR).filter((f) => /^apply-.*\.log$/.test(f)).map((f) => join(DIR, f));
  all.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  files = all.slice(0, 1);
}
if (files.length === 0) {
  console.error(`no journal given and none in ${DIR}`);
  process.exit(2);
}

let worst = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const cmds = [];
  for (const m of text.matchAll(/^\[(\S+)\] (\S+) (.+?): \$ .*\n {2}exit \S+ in (\d+) ms/gm)) {
    const end = Date.parse(m[1]);
    cmds.push({ start: end - Number(m[4]), end, node: m[2], label: m[3] });
  }
  if (cmds.length === 0) {
    console.log(`${file}: no commands`);
    continue;
  }
  const spans = cmds.map((c) => [c.start, c.end, c]);
  // A wait's polls: from its first poll's start to its last poll's end.
  const waits = new Map();
  // The most a wait can add beyond the cluster's own time: the state was reached just after a poll, and
  // is seen at the next one. Per wait, its longest pause between two polls; summed over the waits.
  const lastPoll = new Map();
  const maxPause = new Map();
  for (const c of cmds.filter((x) => / \((verify|resync|sync progress)\)$/.test(x.label))) {
    const k = `${c.node} ${c.label}`;
    const w = waits.get(k) ?? [c.start, c.end];
    waits.set(k, [Math.min(w[0], c.start), Math.max(w[1], c.end)]);
    if (lastPoll.has(k)) maxPause.set(k, Math.max(maxPause.get(k) ?? 0, c.start - lastPoll.get(k)));
    lastPoll.set(k, c.end);
  }
  const pollLatency = [...maxPause.values()].reduce((a, b) => a + b, 0);
  for (const [k, [s, e]] of waits) spans.push([s, e, { label: k }]);
  spans.sort((a, b) => a[0] - b[0]);
  const wallStart = spans[0][0];
  const wallEnd = Math.max(...spans.map((s) => s[1]));
  let busy = 0;
  let [cs, ce, last] = spans[0];
  const gaps = [];
  for (const [s, e, c] of spans.slice(1)) {
    if (s > ce) {
      busy += ce - cs;
      gaps.push({ ms: s - ce, before: last.label, after: c.label });
      cs = s;
      ce = e;
      last = c;
    } else if (e > ce) {
      ce = e;
      last = c;
    }
  }
  busy += ce - cs;
  const wall = wallEnd - wallStart;
  const idle = wall - busy;
  const own = idle + pollLatency;
  worst = Math.max(worst, own / wall);
  console.log(`${file}: ${cmds.length} commands, wall ${(wall / 1000).toFixed(1)} s, commands and waits ${(busy / 1000).toFixed(1)} s`);
  console.log(
    `  apply's own: ${(idle / 1000).toFixed(1)} s outside commands and waits + at most ${(pollLatency / 1000).toFixed(1)} s of poll latency ` +
      `(${maxPause.size} waits polling more than once) = ${(own / 1000).toFixed(1)} s, ${((own / wall) * 100).toFixed(1)}% of the run`,
  );
  for (const g of gaps.sort((a, b) => b.ms - a.ms).slice(0, 3)) {
    if (g.ms >= 500) console.log(`  ${(g.ms / 1000).toFixed(1)} s between "${g.before}" and "${g.after}"`);
  }
}
if (worst > 0.1) {
  console.error('above 10%');
  process.exit(1);
}
