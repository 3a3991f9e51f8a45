// What the operation drills (switchover.ts, standby-maintenance.ts) share: how they call the CLI under
// test, read the cluster's own word on the nodes (crm_mon, the CIB's location constraints), and read
// `monitor --json`. The e2e passes the context (its built CLI, the wizard's environment, the answers,
// the VIP and the export) so the drills need nothing of its module state.
import { run, sshOk, type NodeName, NODES } from '../lab.js';
import { parseCrmMonXml, type CrmState } from '../truth.js';

export interface OpsDrillContext {
  /** The built CLI the e2e runs (.lab/dist/cli.js). */
  cli: string;
  /** The wizard's environment (HOME with the lab's key and known_hosts). */
  env: NodeJS.ProcessEnv;
  /** The lab's answers file. */
  answers: string;
  vip: string;
  exportPath: string;
  /** How long the cluster may take to settle (the e2e's SETTLE_MS). */
  settleMs: number;
  /** The monitor's refresh interval (2 s by default): a state must show within it. */
  monitorIntervalMs: number;
  /** Where to keep the actions' output (the e2e's .lab/e2e). */
  logDir: string;
}

export interface CliRun {
  argv: string[];
  code: number | null;
  seconds: number;
  stdout: string;
  stderr: string;
  startedAt: number;
  endedAt: number;
}

/** Runs `hanfs-wizard <words> --answers ... --yes` (the action's own plan, lock, journal and read-back). */
export async function action(ctx: OpsDrillContext, words: string[], timeoutMs = 20 * 60_000): Promise<CliRun> {
  const argv = ['node', ctx.cli, ...words, '--answers', ctx.answers, '--yes'];
  const startedAt = Date.now();
  const r = await run(argv, { env: ctx.env, timeoutMs });
  return { argv, code: r.code, seconds: r.seconds, stdout: r.stdout, stderr: r.stderr, startedAt, endedAt: Date.now() };
}

/** crm_mon on the first node that answers. */
export async function crmState(): Promise<CrmState> {
  let last: unknown = null;
  for (const n of NODES) {
    try {
      const s = parseCrmMonXml(await sshOk(n, 'crm_mon -1 --output-as=xml', 60_000));
      if (s.connected) return s;
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`no node's crm_mon answered: ${String(last)}`);
}

/** The node where the virtual IP (IPaddr2) is started, as Pacemaker says. */
export function activeNode(s: CrmState): NodeName | null {
  const ip = s.resources.find((r) => r.agent.endsWith(':IPaddr2') && r.active);
  const n = ip?.nodes[0];
  return n === 'lab1' || n === 'lab2' ? n : null;
}

/** The ids of the cli-prefer/cli-ban location constraints in the CIB (crm_resource --move/--ban leave them). */
export async function cliConstraints(node: NodeName): Promise<string[]> {
  const xml = await sshOk(node, 'cibadmin -Q -o constraints', 60_000);
  return [...xml.matchAll(/<rsc_location\s[^>]*id="(cli-(?:prefer|ban)-[^"]*)"/g)].map((m) => m[1]!);
}

export interface MonitorView {
  nodes: { name: string; online: boolean; standby: boolean; maintenance: boolean }[];
  problems: { subject: string; text: string }[];
}

/** One `monitor --json` snapshot of the lab. */
export async function monitorView(ctx: OpsDrillContext): Promise<MonitorView> {
  const r = await run(['node', ctx.cli, 'monitor', '--answers', ctx.answers, '--json'], { env: ctx.env, timeoutMs: 120_000 });
  if (r.stdout.trim() === '') throw new Error(`monitor --json printed nothing (exit ${r.code}): ${r.stderr.trim()}`);
  const doc = JSON.parse(r.stdout) as { cluster: { nodes: MonitorView['nodes'] } | null; problems: MonitorView['problems'] };
  return { nodes: doc.cluster?.nodes ?? [], problems: doc.problems };
}

/**
 * Whether `monitor --json` shows the state: read once after the action returned (it read the state back
 * already), and once more after one refresh interval if not yet. Returns how long it took, or null.
 */
export async function monitorShows(ctx: OpsDrillContext, what: (v: MonitorView) => boolean): Promise<number | null> {
  const t0 = Date.now();
  if (what(await monitorView(ctx))) return (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, ctx.monitorIntervalMs));
  return what(await monitorView(ctx)) ? (Date.now() - t0) / 1000 : null;
}

/** The longest pause between two successful reads inside [from, to] (host ms), in seconds. */
export function maxStall(reads: number[], from: number, to: number): number {
  const inside = reads.filter((t) => t >= from && t <= to);
  const points = [from, ...inside, ...(reads.find((t) => t > to) !== undefined ? [reads.find((t) => t > to)!] : [to])];
  let max = 0;
  for (let i = 1; i < points.length; i++) max = Math.max(max, points[i]! - points[i - 1]!);
  return max / 1000;
}
