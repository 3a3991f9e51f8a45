// Which nodes a command that changes them (apply, the actions) talks to, and how: from the answers file
// (its nodes' ssh), from --node USER@HOST flags, from the local corosync.conf nodelist (run on a cluster
// node with nothing else), or the demo lab's recordings. Host keys: known only, as apply (a command that
// changes nodes never trusts a key nobody confirmed); the error says how to trust one.
import type { Answers } from '../answers/schema.js';
import { qnetdLane } from '../generate/qdevice.js';
import { openRunners, type OpenTarget } from '../exec/open-runners.js';
import { parseNodeTarget, type NodeTarget } from '../exec/node-target.js';
import { succeeded, type Runner } from '../exec/runner.js';
import type { ActionNode } from '../apply/action-run.js';
import { localNodelist } from './local-nodelist.js';

export interface ConnectOptions {
  identity?: string;
  knownHosts?: string;
  /** apply: the quorum device's qnetd host too, third (its package and certificates are plan steps). */
  qnetd?: boolean;
}

const advice = ({ target: t }: { target: NodeTarget }) =>
  t.kind === 'local' ? '' : `if it matches, trust it first: ssh ${t.port === 22 ? '' : `-p ${t.port} `}${t.user}@${t.host} and answer yes (or give --known-hosts FILE holding it), then run the command again`;

/**
 * The nodes opened under apply's host-key policy (known only; the refusal says how to trust a key). Also
 * used by rehearse --on: a command that trusts what a node answers never trusts a key nobody confirmed.
 */
export function openKnownOnly(targets: OpenTarget[], o: ConnectOptions): Runner[] {
  return openRunners(targets, {
    hostKeys: 'known-only',
    unknownHostKeyAdvice: advice,
    ...(o.identity ? { identityFile: o.identity } : {}),
    ...(o.knownHosts ? { knownHostsPath: o.knownHosts } : {}),
  });
}

/** The answers' nodes, opened: one error line per node whose ssh is not USER@HOST[:PORT] or local. */
export function answerRunners(a: Answers, o: ConnectOptions): { ok: true; runners: Runner[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const targets: OpenTarget[] = [];
  for (const [i, n] of a.nodes.entries()) {
    const t = parseNodeTarget(n.ssh);
    if (!t.ok || (t.target.kind !== 'ssh' && n.ssh !== 'local')) {
      errors.push(`error: nodes[${i}].ssh: ${t.ok ? 'expected user@host[:port]' : t.error}`);
      continue;
    }
    targets.push({ target: t.target, label: n.name });
  }
  const q = a.cluster.quorumDevice;
  if (o.qnetd && q?.ssh !== undefined) {
    const t = parseNodeTarget(q.ssh);
    if (!t.ok || t.target.kind !== 'ssh') errors.push(`error: cluster.quorumDevice.ssh: ${t.ok ? 'expected user@host[:port]' : t.error}`);
    else targets.push({ target: t.target, label: qnetdLane(q) });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, runners: openKnownOnly(targets, o) };
}

export type ResolvedNodes = { ok: true; nodes: ActionNode[]; answers?: Answers } | { ok: false; error: string };

export interface NodeSource extends ConnectOptions {
  /** A demo scenario (the recordings answer; nothing can change there). */
  demo: string | null;
  answers?: string;
  node?: string[];
}

export async function resolveActionNodes(o: NodeSource): Promise<ResolvedNodes> {
  if (o.demo !== null) {
    const { tryCreateDemoRunners } = await import('../exec/demo-lab.js');
    const d = tryCreateDemoRunners(o.demo);
    if (!d.ok) return { ok: false, error: `--demo: ${d.error}` };
    return { ok: true, nodes: d.runners.map((r) => ({ name: r.label, runner: r })) };
  }
  if (o.answers !== undefined) {
    const { loadAnswersFile, formatProblems } = await import('../answers/load.js');
    const loaded = await loadAnswersFile(o.answers);
    if (!loaded.ok) return { ok: false, error: formatProblems(loaded.problems).replace(/^error: /, '') };
    const made = answerRunners(loaded.answers, o);
    if (!made.ok) return { ok: false, error: made.errors.join('\n').replace(/^error: /, '') };
    return { ok: true, nodes: loaded.answers.nodes.map((n, i) => ({ name: n.name, runner: made.runners[i]! })), answers: loaded.answers };
  }
  if (o.node?.length) {
    const targets: OpenTarget[] = [];
    for (const spec of o.node) {
      const t = parseNodeTarget(spec, { defaultUser: 'root' });
      if (!t.ok) return { ok: false, error: `--node: ${spec}: ${t.error}` };
      targets.push({ target: t.target, label: t.target.label });
    }
    // The cluster knows a node by its name, not by the address it was reached at: ask each.
    const runners = openKnownOnly(targets, o);
    const names = await Promise.all(runners.map((r) => r.run(['crm_node', '-n'], { timeoutMs: 20_000 })));
    return { ok: true, nodes: runners.map((r, i) => ({ name: succeeded(names[i]!) ? names[i]!.stdout.trim() || r.label : r.label, runner: r })) };
  }
  const local = await localNodelist();
  if (!local.ok) return { ok: false, error: local.error };
  const targets: OpenTarget[] = [];
  for (const n of local.nodes) {
    const t = parseNodeTarget(n.spec);
    if (!t.ok) return { ok: false, error: `corosync.conf: node ${n.name}: ${t.error}` };
    targets.push({ target: t.target, label: n.name });
  }
  const runners = openKnownOnly(targets, o);
  return { ok: true, nodes: runners.map((r, i) => ({ name: local.nodes[i]!.name, runner: r })) };
}
