// Collectors: turn what each node's Runner prints into MonitorEvents for the reducer. One runner per node
// (one SSH connection carries everything). DRBD through the `drbdsetup events2` stream (DRBD 9 and 8.4
// alike) plus /proc/drbd polls (8.4's events2 prints no resync progress); crm_mon XML, /proc/mdstat, LVM
// and NFS polled every interval; ping in its own loop per target. Every loop stops on the abort signal and
// clears its timer; a failed command is an event, never an exception.
import type { Argv, Runner, RunResult } from '../exec/runner.js';
import type { MonitorEvent } from './reducer.js';

export const MONITOR_ARGV = {
  events2Stream: ['drbdsetup', 'events2', '--timestamps', '--statistics', 'all'],
  events2Now: ['drbdsetup', 'events2', '--now', '--statistics', 'all'],
  procDrbd: ['cat', '/proc/drbd'],
  crmMon: ['crm_mon', '-1', '--output-as=xml'],
  mdstat: ['cat', '/proc/mdstat'],
  vgs: ['vgs', '--reportformat', 'json', '--units', 'b'],
  lvs: ['lvs', '-o', '+snap_percent,lv_time', '--reportformat', 'json', '--units', 'b'],
  nfsActive: ['systemctl', 'is-active', 'nfs-server'],
  exportfs: ['exportfs', '-v'],
  ping: (target: string): Argv => ['ping', '-c', '3', '-W', '1', target],
} as const;

export interface MonitoredNode {
  name: string;
  runner: Runner;
  /** Addresses this node pings (the answers' ping targets, or the peer). */
  pingTargets: string[];
}

export type Dispatch = (e: MonitorEvent) => void;

/**
 * How long one probe command may take. The live view refreshes every few seconds, and --check is run by
 * Nagios/Icinga with its own short budget: 10 s. A one-shot --once/--json read has nobody waiting for the
 * next refresh, and it is read at the worst moments (a node taking over the service, nfsd in grace, the
 * cluster's agents forking): there a slow answer is worth more than "timed out" (the lab's survivor took
 * longer than 10 s for crm_mon during a failover under emulation).
 */
export const TIMEOUT_MS = 10_000;
export const ONE_SHOT_TIMEOUT_MS = 45_000;

/** One line saying why a command failed (errors can span lines; the view has one line for each). */
function failure(r: RunResult): string {
  const text = r.error ?? (r.timedOut ? 'timed out' : r.stderr.trim() || `exit ${r.exitCode}`);
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
   * Also read LVM and NFS (default true). The live loop does so every SLOW_EVERY rounds only: vgs/lvs
   * scan devices and take locks, and free space or exports change slowly.
   */
  slow?: boolean;
  /** Each command's timeout (default TIMEOUT_MS). */
  timeoutMs?: number;
}

/** The live loop reads LVM and NFS every this many polls (every 10 s at the default 2 s interval). */
export const SLOW_EVERY = 5;

export async function pollNode(node: MonitoredNode, dispatchAll: Dispatch, now: () => number, opts: PollOptions = {}): Promise<boolean> {
  const { runner, name } = node;
  const last = opts.last;
  const dispatch: Dispatch = (e) => {
    if (last !== undefined && e.type !== 'tick' && e.type !== 'events2-line') {
      const { at: _at, retryAt: _r, ...rest } = e as MonitorEvent & { retryAt?: number };
      const key = e.type === 'ping' ? `ping ${e.target}` : e.type === 'probe-error' ? `error ${e.probe}` : e.type;
      const raw = JSON.stringify(rest);
      if (last.get(key) === raw) return;
      last.set(key, raw);
    }
    dispatchAll(e);
  };
  const timeoutMs = opts.timeoutMs ?? TIMEOUT_MS;
  const run = (argv: Argv) => runner.run(argv, { timeoutMs, signal: opts.signal });
  // ping -c 3 takes two seconds on a real link: started first, it runs while the rest is read.
  const pingsDone = opts.withPing ? Promise.all(node.pingTargets.map((t) => run(MONITOR_ARGV.ping(t)))) : null;
  const slow = opts.slow !== false;
  const skip = Promise.resolve(null);
  const [proc, crm, md, vgs, lvs, nfs, exp, ev2] = await Promise.all([
    run(MONITOR_ARGV.procDrbd), run(MONITOR_ARGV.crmMon), run(MONITOR_ARGV.mdstat),
    slow ? run(MONITOR_ARGV.vgs) : skip, slow ? run(MONITOR_ARGV.lvs) : skip,
    slow ? run(MONITOR_ARGV.nfsActive) : skip, slow ? run(MONITOR_ARGV.exportfs) : skip,
    opts.withEvents2Now ? run(MONITOR_ARGV.events2Now) : skip,
  ]);
  if (opts.signal?.aborted) return false;
  const all = [proc, crm, md, vgs, lvs, nfs, exp].filter((r): r is RunResult => r !== null);
  // Every command failing to even start means the node (or its SSH connection) is gone, not a probe.
  const reachable = !all.every((r) => r.error !== undefined);
  const at = now();
  if (!reachable) {
    dispatch({ type: 'reachability', node: name, at, reachable: false, error: proc.error ?? 'no answer' });
    return false;
  }
  dispatch({ type: 'reachability', node: name, at, reachable: true });
  if (ev2 !== null) {
    if (ev2.exitCode === 0) for (const line of ev2.stdout.split('\n')) if (line.trim() !== '') dispatch({ type: 'events2-line', node: name, at, line });
  }
  // /proc/drbd exists only with the module loaded: cat's "No such file" is the parser's "module not loaded".
  // A read that timed out has no output to parse: it is said as a timeout (under emulation a loaded node
  // let cat /proc/drbd time out, and the view said "not /proc/drbd output" instead).
  if (proc.error !== undefined || proc.timedOut) dispatch({ type: 'probe-error', node: name, at, probe: '/proc/drbd', error: failure(proc) });
  else dispatch({ type: 'proc-drbd', node: name, at, text: proc.exitCode === 0 ? proc.stdout : proc.stdout + proc.stderr });
  if (crm.stdout.includes('<')) dispatch({ type: 'crm-mon', node: name, at, xml: crm.stdout });
  else dispatch({ type: 'crm-mon', node: name, at, xml: '', error: failure(crm) });
  if (md.exitCode === 0) dispatch({ type: 'mdstat', node: name, at, text: md.stdout });
  else dispatch({ type: 'probe-error', node: name, at, probe: '/proc/mdstat', error: failure(md) });
  if (vgs !== null && lvs !== null) {
    if (vgs.exitCode === 0 && lvs.exitCode === 0) dispatch({ type: 'lvm', node: name, at, text: vgs.stdout + '\n' + lvs.stdout });
    else dispatch({ type: 'probe-error', node: name, at, probe: 'lvm', error: failure(vgs.exitCode === 0 ? lvs : vgs) });
  }
  // is-active exits 3 for inactive: that is an answer, not a failure.
  if (nfs !== null && exp !== null) {
    if (nfs.error === undefined) dispatch({ type: 'nfs', node: name, at, systemctl: nfs.stdout, exportfs: exp.exitCode === 0 ? exp.stdout : '' });
    else dispatch({ type: 'probe-error', node: name, at, probe: 'nfs', error: failure(nfs) });
  }
  if (pingsDone !== null) {
    const pings = await pingsDone;
    pings.forEach((r, i) => dispatch({ type: 'ping', node: name, at: now(), target: node.pingTargets[i]!, output: r.stdout || failure(r) }));
  }
  return true;
}

/**
 * Everything once, for --once/--json/--check: events2 --now instead of the stream, pings included.
 * timeoutMs: each command's (--check passes TIMEOUT_MS, --once/--json ONE_SHOT_TIMEOUT_MS).
 */
export async function snapshotOnce(nodes: MonitoredNode[], dispatch: Dispatch, now: () => number, timeoutMs = TIMEOUT_MS): Promise<void> {
  await Promise.all(nodes.map((n) => pollNode(n, dispatch, now, { withEvents2Now: true, withPing: true, timeoutMs })));
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
    loops.push((async () => {
      for (let round = 0; !signal.aborted; round++) {
        const slow = round % SLOW_EVERY === 0 || fullNext.delete(node.name);
        const ok = await pollNode(node, dispatch, now, { signal, last, slow });
        if (!ok && !signal.aborted) {
          dispatch({ type: 'reachability', node: node.name, at: now(), reachable: false, error: 'no answer', retryAt: now() + intervalMs });
        }
        await pause(intervalMs, signal, wake);
      }
    })());
    loops.push((async () => {
      while (!signal.aborted) {
        const r = await node.runner.stream(MONITOR_ARGV.events2Stream, {
          signal,
          onLine: (line) => dispatch({ type: 'events2-line', node: node.name, at: now(), line }),
        });
        if (signal.aborted) break;
        dispatch({ type: 'events2-ended', node: node.name, at: now(), error: `drbdsetup events2 ended: ${failure(r)}` });
        await pause(Math.max(intervalMs, 2000), signal, new EventTarget());
      }
    })());
    for (const target of node.pingTargets) {
      loops.push((async () => {
        while (!signal.aborted) {
          const r = await node.runner.run(MONITOR_ARGV.ping(target), { timeoutMs: TIMEOUT_MS, signal });
          if (signal.aborted) break;
          const output = r.stdout || failure(r);
          if (last.get(`ping ${target}`) !== output) {
            last.set(`ping ${target}`, output);
            dispatch({ type: 'ping', node: node.name, at: now(), target, output });
          }
          await pause(intervalMs, signal, new EventTarget());
        }
      })());
    }
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
