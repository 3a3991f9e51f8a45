// Bundled and run by bench/monitor-latency.mjs: renders the live view (Ink) to an 80x24 fake terminal and
// measures how long a streamed events2 line takes from the collector's dispatch to the terminal write.
import { Writable } from 'node:stream';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { render } from 'ink';
import { MonitorApp } from '../../src/screens/monitor/monitor-app.js';
import { createStore } from '../../src/monitor/store.js';
import { initialState } from '../../src/monitor/model.js';

const runs = Number(process.argv[2] ?? 50);
const dir = new URL('../../test/fixtures/monitor/', import.meta.url).pathname;
// Real lines of the lab: node1's standby-failover stream starts Secondary and ends "change ... role:Primary".
const lines = readFileSync(dir + 'drbdsetup_events2_timestamps_statistics_all.pcmk-standby-failover.node1.txt', 'utf8').trim().split('\n');
const toPrimary = lines.find((l) => l.includes('change resource name:r0 role:Primary'))!;
const toSecondary = lines.find((l) => l.includes('exists resource name:r0 role:Secondary'))!;

let written = '';
let onWrite: (() => void) | null = null;
const stdout = Object.assign(
  new Writable({
    write(chunk, _enc, cb) {
      written += String(chunk);
      onWrite?.();
      cb();
    },
  }),
  { columns: 80, rows: 24, isTTY: true },
) as unknown as NodeJS.WriteStream;
const stdin = Object.assign(new EventEmitter(), { isTTY: true, setRawMode() {}, setEncoding() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null }) as unknown as NodeJS.ReadStream;

const store = createStore(initialState([{ name: 'node1', target: 'replay' }, { name: 'node2', target: 'replay' }], Date.now()));
for (const l of lines.slice(0, 5)) store.dispatch({ type: 'events2-line', node: 'node1', at: Date.now(), line: l });
const app = render(<MonitorApp store={store} onQuit={() => {}} onRefresh={() => {}} noColor />, { stdout, stdin, patchConsole: false, exitOnCtrlC: false });
await new Promise((r) => setTimeout(r, 300));

const samples: number[] = [];
for (let i = 0; i < runs; i++) {
  const primary = i % 2 === 0;
  const want = primary ? 'DRBD r0: Primary' : 'DRBD r0: Secondary';
  written = '';
  const t0 = performance.now();
  const seen = new Promise<void>((resolve) => {
    onWrite = () => {
      if (written.includes(want)) resolve();
    };
  });
  store.dispatch({ type: 'events2-line', node: 'node1', at: Date.now(), line: primary ? toPrimary : toSecondary });
  await seen;
  samples.push(performance.now() - t0);
  onWrite = null;
  await new Promise((r) => setTimeout(r, 50));
}
app.unmount();
samples.sort((a, b) => a - b);
const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
process.stdout.write(JSON.stringify({ runs, p50: q(0.5), p95: q(0.95), max: samples[samples.length - 1] }) + '\n');
process.exit(0);
