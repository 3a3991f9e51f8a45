// Collectors: turn what each node's Runner prints into MonitorEvents for the reducer. One runner per node
// (one SSH connection carries everything; each round, live or one-shot, is ONE batch: one SSH session). DRBD
// through the `drbdsetup events2` stream (DRBD 9 and 8.4 alike) plus /proc/drbd polls (8.4's events2 prints
// no resync progress); crm_mon XML and /proc/mdstat every interval; LVM (one `lvm fullreport`), NFS, the CIB
// and the clock every SLOW_EVERY rounds; ping only where Pacemaker's pingd attribute does not already say
// every target answers. Every loop stops on the abort signal and clears its timer; a failed command is an
// event, never an exception.
import type { Argv, Runner, RunResult } from '../exec/runner.js';
import { runAll } from '../exec/run-all.js';
import { parseCrmMon } from '../probes/crm-mon.js';
import type { MonitorEvent } from './reducer.js';
import { AdaptiveTimeout } from './timeouts.js';
import { SLOW_EVERY, STALE_INTERVALS, type Component } from './model.js';
import { CONFIG_ARGV, CONFIG_EVERY_MS, CONFIG_KEYS, cibEpoch, dispatchNodeConfig } from './collect-config.js';

export const MONITOR_ARGV = {
  events2Stream: ['drbdsetup', 'events2', '--timestamps', '--statistics', 'all'],
  events2Now: ['drbdsetup', 'events2', '--now', '--statistics', 'all'],
  procDrbd: ['cat', '/proc/drbd'],
  crmMon: ['crm_mon', '-1', '--output-as=xml'],
  cib: ['cibadmin', '-Q'],
  mdstat: ['cat', '/proc/mdstat'],
  // One LVM command instead of vgs + lvs (each scans the devices and takes the locks: ~0.5 s apiece on the
  // lab's nodes). fullreport lists every VG, an empty one too (vgs with LV fields drops it), each with its
  // visible LVs, under one per-VG lock (lvm-fullreport(8)); the three other subreports are cut to one field.
  lvm: ['lvm', 'fullreport', '--reportformat', 'json', '--units', 'b',
    '--configreport', 'vg', '-o', 'vg_name,vg_size,vg_free',
    '--configreport', 'lv', '-o', 'vg_name,lv_name,lv_attr,lv_size,origin,snap_percent,lv_time',
    '--configreport', 'pv', '-o', 'pv_name', '--configreport', 'pvseg', '-o', 'pvseg_start', '--configreport', 'seg', '-o', 'segtype'],
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
   * rounds only: LVM scans the devices and takes locks, and these change slowly.
   */
  slow?: boolean;
  /** Each command's timeout (default: the node's adaptive budget, else TIMEOUT_MS). */
  timeoutMs?: number;
  /** Live loop: when the next round comes, said while the node is unreachable. */
  retryInMs?: number;
  /** Also read the configuration files (collect-config.ts) with the state, in the same batch. */
  withConfig?: boolean;
  /** With withConfig, once the node answered: whether it answered any of the files (dispatchNodeConfig). */
  onConfig?: (answered: boolean) => void;
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
  const lvm = get(MONITOR_ARGV.lvm);
  if (lvm !== null) {
    if (lvm.exitCode === 0) dispatch({ type: 'lvm', node: name, at, text: lvm.stdout });
    else dispatch({ type: 'probe-error', node: name, at, probe: 'lvm', error: failure(lvm) });
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
  if (okRun(lvm)) read.add('lvm');
  if (nfs !== null && exp !== null && !unanswered(nfs) && !unanswered(exp)) read.add('nfs');
  return { read, crm };
}

/** The live view's dispatch: what did not change since the last poll is not dispatched again (PollOptions.last). */
function unchangedSkipped(last: Map<string, string> | undefined, dispatchAll: Dispatch): Dispatch {
  return (e) => {
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
}

export async function pollNode(node: MonitoredNode, dispatchAll: Dispatch, now: () => number, opts: PollOptions = {}): Promise<boolean> {
  const { runner, name } = node;
  const last = opts.last;
  const dispatch = unchangedSkipped(last, dispatchAll);
  node.timeouts ??= new AdaptiveTimeout(TIMEOUT_MS, LIVE_TIMEOUT_CAP_MS);
  const timeoutMs = opts.timeoutMs ?? node.timeouts.current();
  const slow = opts.slow !== false;
  const started = Date.now();
  // ONE batch per round, live or one-shot (one SSH session, one shell on the node, each command its own
  // fork side by side): the state, and the configuration files when asked. A slow crm_mon cannot take the
  // rest with it: at the budget the runner kills what still runs and keeps what had ended (runMany).
  const stateArgv: Argv[] = [
    MONITOR_ARGV.crmMon, ...(slow ? [MONITOR_ARGV.cib] : []), MONITOR_ARGV.procDrbd, MONITOR_ARGV.mdstat,
    ...(slow ? [MONITOR_ARGV.lvm, MONITOR_ARGV.nfsActive, MONITOR_ARGV.exportfs, MONITOR_ARGV.date] : []),
    ...(opts.withEvents2Now ? [MONITOR_ARGV.events2Now] : []),
  ];
  const configArgv: Argv[] = opts.withConfig ? CONFIG_KEYS.map((k) => CONFIG_ARGV[k]) : [];
  const results = await runAll(runner, [...stateArgv, ...configArgv], { timeoutMs, signal: opts.signal });
  const ended = Date.now();
  if (opts.signal?.aborted) return false;
  // Results come back in the order asked (runAll): matched by position, not by what a runner echoes.
  const all = results.slice(0, stateArgv.length);
  const config = results.slice(stateArgv.length);
  const byArgv = new Map<Argv, RunResult>();
  stateArgv.forEach((a, i) => all[i] !== undefined && byArgv.set(a, all[i]!));
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
  if (configArgv.length > 0) {
    const configAnswered = dispatchNodeConfig(name, config, dispatch, now);
    opts.onConfig?.(configAnswered);
  }
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
 * where pingd does not cover them. timeoutMs: each batch's budget. readConfig: false when --answers says
 * what should exist (the files would tell nothing the verdict uses).
 */
export async function snapshotOnce(nodes: MonitoredNode[], dispatch: Dispatch, now: () => number, timeoutMs = TIMEOUT_MS, readConfig = true): Promise<void> {
  // Per node ONE exchange: the state, events2 --now and the configuration files (what should exist, when
  // no --answers says it) in one batch; the nodes side by side. A second exchange only where crm_mon's
  // pingd attribute does not already say every ping target answers.
  await Promise.all(nodes.map((n) => pollNode(n, dispatch, now, { withEvents2Now: true, withPing: true, withConfig: readConfig, timeoutMs })));
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
  /** Read the nodes' configuration files (what should exist); false when --answers says it. @default true */
  readConfig?: boolean;
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
        // The configuration files ride in the round's one batch when due: after an epoch the last CIB read
        // moved, in the next round (one interval later), never in a session of their own.
        const withConfig = opts.readConfig !== false && (full || now() - configAt >= CONFIG_EVERY_MS || epochSeen !== epochRead);
        const cfg = { answered: false };
        // Readings must be re-dated before they turn stale (STALE_INTERVALS), and not every round (idle cost).
        const up = await pollNode(node, watch, now, {
          signal, last, slow, withPing: true, withConfig, onConfig: (ok) => (cfg.answered = ok), retryInMs: intervalMs, freshEveryMs: intervalMs * (STALE_INTERVALS - 1),
        });
        if (up && withConfig) {
          // Read in the same batch as this round's CIB (if it was a slow round): they say the same epoch.
          epochRead = epochSeen;
          // A node that answered none of the files is asked again a few rounds later, not every round.
          configAt = cfg.answered ? now() : now() - CONFIG_EVERY_MS + SLOW_EVERY * intervalMs;
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
