// Collectors: turn what each node's Runner prints into MonitorEvents for the reducer. One runner per node
// (one SSH connection carries everything: a live round in two batches, a one-shot in one). DRBD through the
// `drbdsetup events2` stream (DRBD 9 and 8.4 alike) plus /proc/drbd polls (8.4's events2 prints no resync
// progress); crm_mon XML and /proc/mdstat every interval; LVM, NFS, the CIB and the clock every SLOW_EVERY
// rounds; ping only where Pacemaker's pingd attribute does not already say every target answers. Every loop stops on the abort signal and
// clears its timer; a failed command is an event, never an exception.
import type { Argv, Runner, RunResult } from '../exec/runner.js';
import { runAll } from '../exec/run-all.js';
import { parseCrmMon } from '../probes/crm-mon.js';
import type { MonitorEvent } from './reducer.js';
import { AdaptiveTimeout } from './timeouts.js';
import { SLOW_EVERY, STALE_INTERVALS, type Component } from './model.js';
import { CONFIG_ARGV, CONFIG_EVERY_MS, CONFIG_KEYS, cibEpoch, dispatchNodeConfig, readNodeConfig } from './collect-config.js';

export const MONITOR_ARGV = {
  events2Stream: ['drbdsetup', 'events2', '--timestamps', '--statistics', 'all'],
  events2Now: ['drbdsetup', 'events2', '--now', '--statistics', 'all'],
  procDrbd: ['cat', '/proc/drbd'],
  crmMon: ['crm_mon', '-1', '--output-as=xml'],
  cib: ['cibadmin', '-Q'],
  mdstat: ['cat', '/proc/mdstat'],
  vgs: ['vgs', '--reportformat', 'json', '--units', 'b'],
  lvs: ['lvs', '-o', '+snap_percent,lv_time', '--reportformat', 'json', '--units', 'b'],
  nfsActive: ['systemctl', 'is-active', 'nfs-server'],
  exportfs: ['exportfs', '-v'],
  date: ['date', '+%s.%N'],
  // One echo request, one second to answer: only run where Pacemaker's ping resource does not already
  // ping (its pingd attribute is the reading), or to name the target that pingd says is lost.
  ping: (target: string): Argv => ['ping', '-c', '1', '-W', '1', target],
} as const;

export interface MonitoredNode {
  name: string;
  runner: Runner;
  /** Addresses this node pings (the answers' ping targets, or the peer). */
  pingTargets: string[];
  /** This node's command budget (timeouts.ts); created on first use when absent. */
  timeouts?: AdaptiveTimeout;
}

export type Dispatch = (e: MonitorEvent) => void;

/**
 * The base budget of one round of commands. The live view refreshes every few seconds, and --check is run
 * by Nagios/Icinga with its own budget (60 s by default in both; ours stays well inside it): 10 s. A
 * one-shot --once/--json read has nobody waiting for the next refresh and is read at the worst moments (a
 * node taking over the service, nfsd in grace, the cluster's agents forking): there a slow answer is worth
 * more than "timed out" (the lab's survivor took longer than 10 s for crm_mon during a failover under
 * emulation). The live loop adapts between TIMEOUT_MS and LIVE_TIMEOUT_CAP_MS (timeouts.ts).
 */
export const TIMEOUT_MS = 10_000;
export const ONE_SHOT_TIMEOUT_MS = 45_000;
export const LIVE_TIMEOUT_CAP_MS = 40_000;

/** One line saying why a command failed (errors can span lines; the view has one line for each). */
function failure(r: RunResult): string {
  const text = r.error ?? (r.timedOut ? `timed out after ${(r.durationMs / 1000).toFixed(1)} s` : r.stderr.trim() || `exit ${r.exitCode}`);
  return text.split('\n')[0]!.trim();
}

/** One round of every polled probe on one node. Returns true when the node answered at all. */
export interface PollOptions {
  signal?: AbortSignal;
  withEvents2Now?: boolean;
  withPing?: boolean;
  /**
   * The live view passes a map here: a probe whose output did not change since its last poll is not
   * dispatched again, so an idle cluster costs no reducer work and no re-render (issue 7: < 1 % CPU).
   */
  last?: Map<string, string>;
  /**
   * Also read LVM, NFS, the CIB and the clock (default true). The live loop does so every SLOW_EVERY
   * rounds only: vgs/lvs scan devices and take locks, and these change slowly.
   */
  slow?: boolean;
  /** Each command's timeout (default: the node's adaptive budget, else TIMEOUT_MS). */
  timeoutMs?: number;
  /** Live loop: when the next round comes, said while the node is unreachable. */
  retryInMs?: number;
  /** Also read the configuration files (collect-config.ts) with the state, in the same exchange. */
  withConfig?: boolean;
  /**
   * Everything in one batch (the one-shot): one SSH session per node instead of one per group. The live
   * loop keeps Pacemaker's tools apart, so its short budget cannot cost the kernel's readings.
   */
  oneBatch?: boolean;
  /** Live loop: dispatch a `fresh` event for the readings that succeeded unchanged at most this often. */
  freshEveryMs?: number;
}

/** The live loop reads LVM, NFS, the CIB and the clock every SLOW_EVERY polls (every 10 s at 2 s). */
export { SLOW_EVERY };

type CrmOk = Extract<ReturnType<typeof parseCrmMon>, { ok: true }>;

/**
 * Whether Pacemaker's ping resource already covers this node's targets: it runs here and its pingd
 * attribute is at the expected value (every target answers). Then we need not ping at all.
 */
export function pingdCovers(crm: CrmOk | null, node: string): boolean {
  if (crm === null) return false;
  const runs = crm.resources.some((r) => r.agent.endsWith(':ping') && r.active && r.nodes.includes(node));
  const a = crm.attributes[node]?.['pingd'];
  return runs && a !== undefined && a.expected !== null && Number(a.value) >= Number(a.expected) && Number(a.value) > 0;
}

/** pingdCovers on crm_mon's XML, parsed again only when it changed (the live loop's `last` remembers). */
function coversCached(xml: string, node: string, last: Map<string, string> | undefined): boolean {
  if (last !== undefined && last.get('#pingd-xml') === xml) return last.get('#pingd-covers') === '1';
  const parsed = xml.includes('<') ? parseCrmMon(xml) : null;
  const covers = pingdCovers(parsed !== null && parsed.ok ? parsed : null, node);
  last?.set('#pingd-xml', xml);
  last?.set('#pingd-covers', covers ? '1' : '0');
  return covers;
}

/** Dispatches one poll's readings (results matched by argv); says which components were read. */
function dispatchReadings(
  name: string, get: (argv: Argv) => RunResult | null, dispatch: Dispatch, at: number, started: number, ended: number,
): { read: Set<Component>; crm: RunResult } {
  const ev2 = get(MONITOR_ARGV.events2Now);
  if (ev2 !== null) {
    if (ev2.exitCode === 0) for (const line of ev2.stdout.split('\n')) if (line.trim() !== '') dispatch({ type: 'events2-line', node: name, at, line });
    if (ev2.exitCode !== 0) dispatch({ type: 'probe-error', node: name, at, probe: 'events2', error: failure(ev2) });
  }
  // /proc/drbd exists only with the module loaded: cat's "No such file" is the parser's "module not loaded".
  // A read that timed out has no output to parse: it is said as a timeout.
  const proc = get(MONITOR_ARGV.procDrbd)!;
  if (proc.error !== undefined || proc.timedOut) dispatch({ type: 'probe-error', node: name, at, probe: '/proc/drbd', error: failure(proc) });
  else dispatch({ type: 'proc-drbd', node: name, at, text: proc.exitCode === 0 ? proc.stdout : proc.stdout + proc.stderr });
  const crm = get(MONITOR_ARGV.crmMon)!;
  // Exit 0 without XML is garbage, not silence: the parser says so ("not crm_mon XML output").
  if (crm.stdout.includes('<') || (crm.exitCode === 0 && crm.stdout.trim() !== '')) dispatch({ type: 'crm-mon', node: name, at, xml: crm.stdout });
  else dispatch({ type: 'crm-mon', node: name, at, xml: '', error: failure(crm) });
  const cib = get(MONITOR_ARGV.cib);
  if (cib !== null) {
    if (cib.exitCode === 0) dispatch({ type: 'cib', node: name, at, xml: cib.stdout });
    else dispatch({ type: 'probe-error', node: name, at, probe: 'cib', error: `cibadmin -Q: ${failure(cib)}` });
  }
  const md = get(MONITOR_ARGV.mdstat)!;
  if (md.exitCode === 0) dispatch({ type: 'mdstat', node: name, at, text: md.stdout });
  else dispatch({ type: 'probe-error', node: name, at, probe: '/proc/mdstat', error: failure(md) });
  const vgs = get(MONITOR_ARGV.vgs);
  const lvs = get(MONITOR_ARGV.lvs);
  if (vgs !== null && lvs !== null) {
    if (vgs.exitCode === 0 && lvs.exitCode === 0) dispatch({ type: 'lvm', node: name, at, text: vgs.stdout + '\n' + lvs.stdout });
    else dispatch({ type: 'probe-error', node: name, at, probe: 'lvm', error: failure(vgs.exitCode === 0 ? lvs : vgs) });
  }
  // is-active exits 3 for inactive: that is an answer, not a failure. An exportfs that did not answer
  // (one batch: it can time out alone) is a failed read, not "no exports".
  const nfs = get(MONITOR_ARGV.nfsActive);
  const exp = get(MONITOR_ARGV.exportfs);
  const unanswered = (r: RunResult) => r.error !== undefined || r.timedOut;
  if (nfs !== null && exp !== null) {
    if (!unanswered(nfs) && !unanswered(exp)) dispatch({ type: 'nfs', node: name, at, systemctl: nfs.stdout, exportfs: exp.exitCode === 0 ? exp.stdout : '' });
    else dispatch({ type: 'probe-error', node: name, at, probe: 'nfs', error: failure(unanswered(nfs) ? nfs : exp) });
  }
  const date = get(MONITOR_ARGV.date);
  if (date !== null) {
    // The node's clock against ours at the middle of the batch: good to the batch's duration, enough to
    // see the 2 s skew that matters (Kerberos, NFS leases, log correlation).
    const t = Number(date.stdout.trim());
    const ok = date.exitCode === 0 && Number.isFinite(t) && t > 0;
    dispatch({ type: 'clock', node: name, at, offsetMs: ok ? Math.round(t * 1000 - (started + ended) / 2) : null, ...(ok ? {} : { error: failure(date) }) });
  }
  const read = new Set<Component>();
  const okRun = (r: RunResult | null) => r !== null && r.exitCode === 0;
  if (okRun(proc) || okRun(ev2)) read.add('drbd');
  if (crm.stdout.includes('<')) read.add('pacemaker');
  if (okRun(cib)) read.add('cib');
  if (okRun(md)) read.add('raid');
  if (okRun(vgs) && okRun(lvs)) read.add('lvm');
  if (nfs !== null && exp !== null && !unanswered(nfs) && !unanswered(exp)) read.add('nfs');
  return { read, crm };
}

export async function pollNode(node: MonitoredNode, dispatchAll: Dispatch, now: () => number, opts: PollOptions = {}): Promise<boolean> {
  const { runner, name } = node;
  const last = opts.last;
  const dispatch: Dispatch = (e) => {
    if (last !== undefined && e.type !== 'tick' && e.type !== 'events2-line' && e.type !== 'clock' && e.type !== 'fresh') {
      const { at: _at, retryAt: _r, ...rest } = e as MonitorEvent & { retryAt?: number };
      const key = e.type === 'ping' ? `ping ${e.target}` : e.type === 'probe-error' ? `error ${e.probe}` : e.type;
      const raw = JSON.stringify(rest);
      if (last.get(key) === raw) return;
      // A failure must not hide the recovery that repeats the output from before it, nor a recovery the
      // failure that repeats: either way, what was remembered of the other kind goes.
      for (const k of [...last.keys()]) if (k !== key && k.startsWith('error ') === (e.type !== 'probe-error')) last.delete(k);
      last.set(key, raw);
    }
    dispatchAll(e);
  };
  node.timeouts ??= new AdaptiveTimeout(TIMEOUT_MS, LIVE_TIMEOUT_CAP_MS);
  const timeoutMs = opts.timeoutMs ?? node.timeouts.current();
  const slow = opts.slow !== false;
  const started = Date.now();
  const pcmkArgv: Argv[] = [MONITOR_ARGV.crmMon, ...(slow ? [MONITOR_ARGV.cib] : [])];
  const restArgv: Argv[] = [
    MONITOR_ARGV.procDrbd, MONITOR_ARGV.mdstat,
    ...(slow ? [MONITOR_ARGV.vgs, MONITOR_ARGV.lvs, MONITOR_ARGV.nfsActive, MONITOR_ARGV.exportfs, MONITOR_ARGV.date] : []),
    ...(opts.withEvents2Now ? [MONITOR_ARGV.events2Now] : []),
  ];
  const configArgv: Argv[] = opts.withConfig ? CONFIG_KEYS.map((k) => CONFIG_ARGV[k]) : [];
  const run = { timeoutMs, signal: opts.signal };
  let pcmk: RunResult[];
  let rest: RunResult[];
  let config: RunResult[];
  if (opts.oneBatch) {
    // The one-shot: everything in ONE batch (one SSH session, one shell on the node). A slow crm_mon
    // cannot take the rest with it: at the budget the runner kills what still runs and keeps what ended.
    const all = await runAll(runner, [...pcmkArgv, ...restArgv, ...configArgv], run);
    pcmk = all.slice(0, pcmkArgv.length);
    rest = all.slice(pcmkArgv.length, pcmkArgv.length + restArgv.length);
    config = all.slice(pcmkArgv.length + restArgv.length);
  } else {
    // Two batches (one SSH session each, runAll): Pacemaker's tools, which can be slow on a busy node,
    // and the kernel's files and the rest, which are not (the live loop's budget is short).
    [pcmk, rest, config] = await Promise.all([runAll(runner, pcmkArgv, run), runAll(runner, restArgv, run), runAll(runner, configArgv, run)]);
  }
  const ended = Date.now();
  if (opts.signal?.aborted) return false;
  const all = [...pcmk, ...rest];
  // Results come back in the order asked (runAll): matched by position, not by what a runner echoes.
  const byArgv = new Map<Argv, RunResult>();
  pcmkArgv.forEach((a, i) => pcmk[i] !== undefined && byArgv.set(a, pcmk[i]!));
  restArgv.forEach((a, i) => rest[i] !== undefined && byArgv.set(a, rest[i]!));
  const get = (argv: Argv): RunResult | null => byArgv.get(argv) ?? null;
  const timedOut = all.some((r) => r.timedOut);
  node.timeouts.record(ended - started, timedOut);
  const at = now();
  // No command answering at all means the node (or its SSH connection) is gone: unreachable, not "every
  // probe failed". A connection that black-holes shows as every command timing out.
  const answered = all.filter((r) => r.error === undefined && !r.timedOut);
  if (answered.length === 0) {
    const why = all.every((r) => r.timedOut) ? `no answer within ${(timeoutMs / 1000).toFixed(0)} s (connection or node hung)` : (all.find((r) => r.error)?.error ?? 'no answer');
    dispatch({ type: 'reachability', node: name, at, reachable: false, error: why.split('\n')[0]!, ...(opts.retryInMs !== undefined ? { retryAt: at + opts.retryInMs } : {}) });
    return false;
  }
  dispatch({ type: 'reachability', node: name, at, reachable: true });
  if (configArgv.length > 0) dispatchNodeConfig(name, config, dispatch, now);
  const { read, crm } = dispatchReadings(name, get, dispatch, at, started, ended);
  if (opts.withPing) {
    if (coversCached(crm.stdout, name, last)) {
      dispatch({ type: 'pingd', node: name, at });
      read.add('connectivity');
    } else if (node.pingTargets.length > 0) {
      const pings = await runAll(runner, node.pingTargets.map((t) => MONITOR_ARGV.ping(t)), { timeoutMs, signal: opts.signal });
      if (opts.signal?.aborted) return true;
      pings.forEach((r, i) => {
        const target = node.pingTargets[i]!;
        if (r.error !== undefined || r.timedOut) dispatch({ type: 'probe-error', node: name, at: now(), probe: `ping ${target}`, component: 'connectivity', error: failure(r) });
        else dispatch({ type: 'ping', node: name, at: now(), target, output: r.stdout || failure(r) });
      });
      if (pings.every((r) => r.error === undefined && !r.timedOut)) read.add('connectivity');
    }
  }
  // The live view skips events whose output did not change (no re-render when idle); the readings'
  // age must still advance, so a `fresh` event says which readings succeeded, at most every freshEveryMs.
  if (last !== undefined && opts.freshEveryMs !== undefined) {
    const prev = Number(last.get('#fresh') ?? 0);
    if (at - prev >= opts.freshEveryMs) {
      last.set('#fresh', String(at));
      dispatchAll({ type: 'fresh', node: name, at, components: [...read] });
    }
  }
  return true;
}

/**
 * Everything once, for --once/--json/--check/--prometheus: events2 --now instead of the stream, pings
 * where pingd does not cover them. timeoutMs: each batch's budget.
 */
export async function snapshotOnce(nodes: MonitoredNode[], dispatch: Dispatch, now: () => number, timeoutMs = TIMEOUT_MS): Promise<void> {
  // Per node ONE exchange: the state, events2 --now and the configuration files (what should exist, when
  // no --answers says it) in one batch; the nodes side by side. A second exchange only where crm_mon's
  // pingd attribute does not already say every ping target answers.
  await Promise.all(nodes.map((n) => pollNode(n, dispatch, now, { withEvents2Now: true, withPing: true, withConfig: true, oneBatch: true, timeoutMs })));
}

/** Waits ms or until aborted or woken; cleans its timer and listeners. */
function pause(ms: number, signal: AbortSignal, wake: EventTarget): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wake.removeEventListener('wake', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    wake.addEventListener('wake', done, { once: true });
  });
}

export interface LiveCollectors {
  /** Polls every node now (the r key). */
  refresh(): void;
  /** Resolves when every loop has stopped after the signal aborted. */
  done: Promise<void>;
}

/** Starts the live loops for every node; they run until `signal` aborts. */
export interface CollectorOptions {
  intervalMs: number;
  dispatch: Dispatch;
  now: () => number;
  signal: AbortSignal;
  /** @default 1000 */
  tickMs?: number;
  /** Whether the screen shows a countdown now (ticks every second); default: always. */
  fastTick?: () => boolean;
}

export function startCollectors(nodes: MonitoredNode[], opts: CollectorOptions): LiveCollectors {
  const { intervalMs, dispatch, now, signal } = opts;
  const wake = new EventTarget();
  const loops: Promise<void>[] = [];
  // r (refresh) reads everything, LVM and NFS included.
  const fullNext = new Set<string>();
  wake.addEventListener('wake', () => nodes.forEach((n) => fullNext.add(n.name)));
  for (const node of nodes) {
    const last = new Map<string, string>();
    // The configuration files: at start, every CONFIG_EVERY_MS, when the CIB's epoch moves, and on r.
    let configAt = Number.NEGATIVE_INFINITY;
    let epochRead: string | null = null;
    let epochSeen: string | null = null;
    const watch: Dispatch = (e) => {
      if (e.type === 'cib') epochSeen = cibEpoch(e.xml) ?? epochSeen;
      dispatch(e);
    };
    loops.push((async () => {
      for (let round = 0; !signal.aborted; round++) {
        const full = fullNext.delete(node.name);
        const slow = round % SLOW_EVERY === 0 || full;
        // Readings must be re-dated before they turn stale (STALE_INTERVALS), and not every round (idle cost).
        const up = await pollNode(node, watch, now, { signal, last, slow, withPing: true, retryInMs: intervalMs, freshEveryMs: intervalMs * (STALE_INTERVALS - 1) });
        if (up && (full || now() - configAt >= CONFIG_EVERY_MS || epochSeen !== epochRead)) {
          epochRead = epochSeen;
          // A node that answered none of it is tried again a few rounds later, not every round.
          configAt = (await readNodeConfig(node, dispatch, now, { timeoutMs: node.timeouts?.current() ?? TIMEOUT_MS, signal })) ? now() : now() - CONFIG_EVERY_MS + SLOW_EVERY * intervalMs;
        }
        await pause(intervalMs, signal, wake);
      }
    })());
    loops.push((async () => {
      while (!signal.aborted) {
        const r = await node.runner.stream(MONITOR_ARGV.events2Stream, {
          signal,
          onLine: (line) => dispatch({ type: 'events2-line', node: node.name, at: now(), line, stream: true }),
        });
        if (signal.aborted) break;
        dispatch({ type: 'events2-ended', node: node.name, at: now(), error: `drbdsetup events2 ended: ${failure(r)}` });
        await pause(Math.max(intervalMs, 2000), signal, new EventTarget());
      }
    })());
  }
  // The clock only matters for what counts time on screen ("retrying in 4 s", snapshot ages): tick each
  // second while that is wanted, else once a minute, so an idle view does not redraw every second.
  const tickMs = opts.tickMs ?? 1000;
  let sinceTick = 0;
  const tick = setInterval(() => {
    sinceTick += tickMs;
    if (opts.fastTick?.() !== false || sinceTick >= 60_000) {
      sinceTick = 0;
      dispatch({ type: 'tick', at: now() });
    }
  }, tickMs);
  signal.addEventListener('abort', () => clearInterval(tick), { once: true });
  return {
    refresh: () => wake.dispatchEvent(new Event('wake')),
    done: Promise.all(loops).then(() => clearInterval(tick)),
  };
}
