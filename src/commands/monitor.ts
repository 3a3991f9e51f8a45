// `hanfs-wizard monitor`: the live view of both nodes, or one snapshot (--once text, --json, --check for
// Nagios/Icinga). Nodes come from --demo, --answers FILE, --node USER@HOST flags, or the local
// corosync.conf nodelist. Bad input: one line `error: <flag>: ...`, exit 2 (3 with --check: the plugin
// convention for "could not even run").
import { parseArgs } from 'node:util';
import type { Runner } from '../exec/runner.js';
import { optionError } from './cli-options.js';
import { localNodelist, splitDemoFlag } from './local-nodelist.js';
import type { MonitoredNode } from '../monitor/collect.js';
import type { Answers } from '../answers/schema.js';
import { renderCommandHelp } from './help-source.js';

export const MONITOR_HELP = renderCommandHelp('monitor');

type Mode = 'live' | 'once' | 'json' | 'check' | 'prometheus' | 'listen';

interface Resolved {
  nodes: MonitoredNode[];
  answers?: Answers;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

const DEFAULT_DEMO = 'running';

/** Why an action key runs as a dry run on the demo. */
export const DEMO_DRY_RUN = 'the demo lab is a recording, nothing can change on it';

/**
 * What each demo node pings, as in the lab captures: the peers of the Debian 12 scenarios (node1, node2);
 * the Debian 13 lab's answers target, its service network's gateway (lab1, lab2: demo-lab/make-trixie.mjs).
 */
export const DEMO_PING: Record<string, string[]> = { node1: ['192.168.100.12'], node2: ['192.168.100.11'], lab1: ['192.168.101.1'], lab2: ['192.168.101.1'] };

async function resolveNodes(opts: { demo: string | null; answers?: string; node?: string[] }): Promise<Outcome<Resolved>> {
  if (opts.demo !== null) {
    const { tryCreateDemoRunners } = await import('../exec/demo-lab.js');
    const r = tryCreateDemoRunners(opts.demo);
    if (!r.ok) return { ok: false, error: `--demo: ${r.error}` };
    const nodes = r.runners.map((runner) => ({ name: runner.label, runner, pingTargets: DEMO_PING[runner.label] ?? [] }));
    if (opts.answers === undefined) return { ok: true, value: { nodes } };
    const { loadAnswersFile, formatProblems } = await import('../answers/load.js');
    const loaded = await loadAnswersFile(opts.answers);
    if (!loaded.ok) return { ok: false, error: formatProblems(loaded.problems).replace(/^error: /, '') };
    return { ok: true, value: { nodes, answers: loaded.answers } };
  }
  if (opts.answers !== undefined) {
    const { loadAnswersFile, formatProblems } = await import('../answers/load.js');
    const loaded = await loadAnswersFile(opts.answers);
    if (!loaded.ok) return { ok: false, error: formatProblems(loaded.problems).replace(/^error: /, '') };
    const nodes: MonitoredNode[] = [];
    for (const n of loaded.answers.nodes) {
      const runner = await runnerFor(n.ssh ?? 'local', n.name);
      if (!runner.ok) return { ok: false, error: `--answers: nodes[${n.name}].ssh: ${runner.error}` };
      nodes.push({ name: n.name, runner: runner.value, pingTargets: loaded.answers.ping.targets });
    }
    return { ok: true, value: { nodes, answers: loaded.answers } };
  }
  if (opts.node !== undefined && opts.node.length > 0) {
    const nodes: MonitoredNode[] = [];
    for (const spec of opts.node) {
      const runner = await runnerFor(spec, null);
      if (!runner.ok) return { ok: false, error: `--node: ${spec}: ${runner.error}` };
      nodes.push({ name: runner.value.label, runner: runner.value, pingTargets: [] });
    }
    return { ok: true, value: { nodes } };
  }
  const local = await localNodelist();
  if (!local.ok) return { ok: false, error: local.error };
  const nodes: MonitoredNode[] = [];
  for (const n of local.nodes) {
    const runner = await runnerFor(n.spec, n.name);
    if (!runner.ok) return { ok: false, error: `corosync.conf: node ${n.name}: ${runner.error}` };
    nodes.push({ name: n.name, runner: runner.value, pingTargets: n.peers });
  }
  return { ok: true, value: { nodes } };
}

async function runnerFor(spec: string, name: string | null): Promise<Outcome<Runner>> {
  const { parseNodeTarget } = await import('../exec/node-target.js');
  const t = parseNodeTarget(spec, { defaultUser: 'root' });
  if (!t.ok) return { ok: false, error: t.error };
  const { openRunners } = await import('../exec/open-runners.js');
  // The monitor never asks about unknown host keys: it runs unattended. Known hosts only (the question
  // is put to no one, so an unknown key is "not accepted").
  const [runner] = openRunners([{ target: t.target, label: name ?? (t.target.kind === 'local' ? 'local' : t.target.label) }], { hostKeys: 'ask', ask: async () => false });
  return { ok: true, value: runner! };
}

function parseTimeout(v: string | undefined): Outcome<number | null> {
  if (v === undefined) return { ok: true, value: null };
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) < 0.1 || Number(v) > 600) {
    return { ok: false, error: `--timeout: "${v}" is not a number of seconds between 0.1 and 600` };
  }
  return { ok: true, value: Math.round(Number(v) * 1000) };
}

function parseInterval(v: string | undefined): Outcome<number> {
  if (v === undefined) return { ok: true, value: 2000 };
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) < 0.2 || Number(v) > 3600) {
    return { ok: false, error: `--interval: "${v}" is not a number of seconds between 0.2 and 3600` };
  }
  return { ok: true, value: Math.round(Number(v) * 1000) };
}

type MonitorValues = {
  once?: boolean; json?: boolean; check?: boolean; prometheus?: boolean; listen?: string; interval?: string; timeout?: string;
  'accept-no-fencing'?: boolean; answers?: string; node?: string[]; help?: boolean;
};

/** The command line, checked: what to run, or the exit code when there is nothing to run (--help, bad input). */
interface MonitorOptions {
  mode: Mode;
  demo: string | null;
  values: MonitorValues;
  intervalMs: number;
  timeoutMs: number | null;
  listen: import('../monitor/serve.js').ListenAddress | null;
}

export async function run(argv: string[]): Promise<number> {
  const wantsCheck = argv.includes('--check');
  const fail = (msg: string): number => {
    process.stderr.write(`error: ${msg}\n`);
    return wantsCheck ? 3 : 2;
  };
  const parsed = await parseMonitorArgs(argv, fail);
  if ('exit' in parsed) return parsed.exit;
  const { mode, demo, values, intervalMs } = parsed;

  // The modules load side by side (one await, not five): --check runs every minute from Nagios.
  const [resolved, { initialState }, { createStore }, { ONE_SHOT_TIMEOUT_MS, TIMEOUT_MS }, , { expectedFromAnswers }] = await Promise.all([
    resolveNodes({ demo, answers: values.answers, node: values.node }),
    import('../monitor/model.js'),
    import('../monitor/store.js'),
    import('../monitor/collect.js'),
    import('../monitor/format.js'),
    import('../monitor/expected.js'),
  ]);
  if (!resolved.ok) return fail(resolved.error);
  const nodes = resolved.value.nodes;
  const answers = resolved.value.answers;
  // --check keeps the short budget (its caller has its own); --once/--json/--prometheus wait longer.
  const budget = parsed.timeoutMs ?? (mode === 'check' ? TIMEOUT_MS : ONE_SHOT_TIMEOUT_MS);
  // A one-shot reads each component once: whatever it read within its own budget is this snapshot's
  // reading, so staleness is judged against the budget, not the live loop's interval (the lab's e2e saw
  // a just-rebooted node's first batch called stale because the snapshot as a whole took over 6 s).
  const oneShot = mode !== 'live' && mode !== 'listen';
  const start = initialState(nodes.map((n) => ({ name: n.name, target: n.runner.label })), Date.now(), intervalMs);
  const store = createStore({ ...start, budgetMs: oneShot ? budget : null, expected: answers ? expectedFromAnswers(answers) : null, acceptNoFencing: values['accept-no-fencing'] === true });
  try {
    if (mode === 'listen') return await runListen(store, nodes, intervalMs, parsed.listen ?? { host: '127.0.0.1', port: 0 }, fail);
    if (mode !== 'live') return await printSnapshot(mode, store, nodes, budget, answers === undefined, fail);
    const { runLive } = await import('../screens/monitor/monitor-live.js');
    return await runLive(store, nodes, intervalMs, demo !== null ? { dryRunReason: DEMO_DRY_RUN } : { answersPath: values.answers ?? null });
  } finally {
    await Promise.all(nodes.map((n) => n.runner.close()));
  }
}

async function parseMonitorArgs(argv: string[], fail: (msg: string) => number): Promise<MonitorOptions | { exit: number }> {
  // --demo takes an optional scenario: --demo=syncing (a bare --demo means the running cluster).
  const { demo, rest } = splitDemoFlag(argv, DEFAULT_DEMO);
  let values: MonitorValues;
  try {
    values = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        once: { type: 'boolean' },
        json: { type: 'boolean' },
        check: { type: 'boolean' },
        prometheus: { type: 'boolean' },
        listen: { type: 'string' },
        interval: { type: 'string' },
        timeout: { type: 'string' },
        'accept-no-fencing': { type: 'boolean' },
        answers: { type: 'string' },
        node: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    return { exit: fail(optionError(e)) };
  }
  if (values.help) {
    process.stdout.write(MONITOR_HELP);
    return { exit: 0 };
  }
  // --once is what --json, --check and --prometheus are already (a one-shot read): accepted beside them.
  const chosen = (['check', 'json', 'prometheus', 'listen'] as const).filter((m) => values[m] !== undefined && values[m] !== false);
  if (chosen.length > 1) return { exit: fail(`--${chosen[1]}: cannot be combined with --${chosen[0]}; choose one`) };
  if (values.once && chosen[0] === 'listen') return { exit: fail('--listen: cannot be combined with --once; --listen serves the live state') };
  // --demo with --answers: the demo lab's nodes, judged against what the answers file says should exist.
  const sources = [demo !== null ? '--demo' : null, values.answers !== undefined && demo === null ? '--answers' : null, values.node ? '--node' : null].filter((x) => x !== null);
  if (sources.length > 1) return { exit: fail(`${sources[1]}: cannot be combined with ${sources[0]}; choose where the nodes come from`) };
  if (demo !== null && !/^[A-Za-z0-9._-]+$/.test(demo)) return { exit: fail(`--demo: "${demo}" is not a scenario name`) };
  const interval = parseInterval(values.interval);
  if (!interval.ok) return { exit: fail(interval.error) };
  const timeout = parseTimeout(values.timeout);
  if (!timeout.ok) return { exit: fail(timeout.error) };
  const { parseListen } = await import('../monitor/serve.js');
  const listen = values.listen === undefined ? null : parseListen(values.listen);
  if (listen !== null && !listen.ok) return { exit: fail(listen.error) };
  let mode: Mode = chosen[0] ?? (values.once ? 'once' : 'live');
  // Without a terminal there is nobody to watch a live view (and no keys to read): print one snapshot, as
  // crm_mon does.
  if (mode === 'live' && (!process.stdout.isTTY || !process.stdin.isTTY)) mode = 'once';
  return { mode, demo, values, intervalMs: interval.value, timeoutMs: timeout.value, listen: listen?.ok ? listen.value : null };
}

/** --once, --json, --check, --prometheus: one read of every component, printed; the exit code of the mode. */
async function printSnapshot(
  mode: Exclude<Mode, 'live' | 'listen'>, store: import('../monitor/store.js').MonitorStore, nodes: MonitoredNode[], budget: number,
  readConfig: boolean, fail: (msg: string) => number,
): Promise<number> {
  // Loaded already by run (side by side with the nodes): these imports only name them.
  const [{ snapshotOnce }, { formatCheck, formatJson, formatText }] = await Promise.all([import('../monitor/collect.js'), import('../monitor/format.js')]);
  // With --answers, what should exist is known: the nodes' configuration files are not read.
  await snapshotOnce(nodes, store.dispatch, Date.now, budget, readConfig);
  store.dispatch({ type: 'tick', at: Date.now() });
  const state = store.getState();
  // An answers file that describes another cluster: every verdict would be about the wrong thing.
  const mismatch = answersMismatch(state);
  if (mismatch !== null) return fail(mismatch);
  if (mode === 'check') {
    const c = formatCheck(state);
    process.stdout.write(c.line + '\n');
    return c.exitCode;
  }
  if (mode === 'prometheus') {
    const { formatPrometheus } = await import('../monitor/prometheus.js');
    process.stdout.write(formatPrometheus(state));
    return 0;
  }
  process.stdout.write(mode === 'json' ? formatJson(state) : formatText(state));
  return 0;
}

/** The answers' node names against the names the cluster itself reports (crm_mon); null when they agree. */
export function answersMismatch(state: import('../monitor/model.js').MonitorState): string | null {
  const want = state.expected?.nodes ?? [];
  if (want.length === 0) return null;
  const have = new Set<string>();
  for (const n of Object.values(state.nodes)) for (const cn of n.pacemaker.status?.nodes ?? []) have.add(cn.name);
  if (have.size === 0) return null;
  const missing = want.filter((w) => !have.has(w));
  if (missing.length === 0) return null;
  return `--answers: node ${missing.join(', ')} of the answers file is not in the cluster the nodes report (${[...have].join(', ')}): is this the answers file of this cluster?`;
}

/** --listen: the live collectors without a screen, their state served as /metrics until SIGINT/SIGTERM. */
async function runListen(
  store: import('../monitor/store.js').MonitorStore, nodes: MonitoredNode[], intervalMs: number,
  addr: import('../monitor/serve.js').ListenAddress, fail: (msg: string) => number,
): Promise<number> {
  const [{ serveMetrics }, { formatPrometheus }, { startCollectors }] = await Promise.all([
    import('../monitor/serve.js'), import('../monitor/prometheus.js'), import('../monitor/collect.js'),
  ]);
  const served = await serveMetrics(addr, () => formatPrometheus({ ...store.getState(), now: Date.now() }));
  if (!served.ok) return fail(served.error);
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stderr.write(`hanfs-wizard monitor: serving http://${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${addr.port}/metrics (Ctrl-C stops)\n`);
  // No screen: the clock need not tick (each scrape computes ages from the time of the scrape).
  const live = startCollectors(nodes, { intervalMs, dispatch: store.dispatch, now: Date.now, signal: ac.signal, fastTick: () => false, readConfig: store.getState().expected === null });
  await live.done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await new Promise<void>((resolve) => served.server.close(() => resolve()));
  return 0;
}
