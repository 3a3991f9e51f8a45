// Fencing as the monitor shows it (issue 26, point 7): each fence device's state (the stonith resources
// of crm_mon), the fencer's last events (crm_mon's fence_history, the same records
// `stonith_admin --history '*' --verbose` lists: src/probes/stonith-history.ts), and a node fenced or
// waiting for its fence as CRITICAL with what to do. Read from the freshest node's crm_mon, which the
// monitor reads every interval anyway: no command of its own. Pure: state in, view and problems out.
import type { FenceEvent } from '../probes/stonith-history.js';
import type { MonitorState, NodeState } from './model.js';
import type { Problem } from './problem.js';

/** How many of the fencer's events the outputs carry (newest first). */
export const FENCE_EVENTS_SHOWN = 5;

export interface FenceDeviceView {
  id: string;
  /** The agent without its class: fence_ipmilan, fence_sbd. */
  agent: string;
  role: string;
  /** Where it runs (a device runs on a node other than the one it fences). */
  nodes: string[];
  failed: boolean;
}

export interface FencingView {
  /** stonith-enabled as crm_mon reports it; null when not reported. */
  enabled: boolean | null;
  devices: FenceDeviceView[];
  /** Newest first, at most FENCE_EVENTS_SHOWN. */
  events: FenceEvent[];
  /** Nodes Pacemaker holds UNCLEAN: they must be fenced before anything of theirs moves. */
  unclean: string[];
  /** Every node crm_mon lists (for series that must say 0, not go missing). */
  nodes: string[];
}

/** The freshest node that reports Pacemaker. */
function freshest(state: MonitorState): NodeState | null {
  let best: NodeState | null = null;
  for (const n of Object.values(state.nodes)) {
    if (n.pacemaker.status === null) continue;
    if (best === null || (n.pacemaker.updatedAt ?? 0) > (best.pacemaker.updatedAt ?? 0)) best = n;
  }
  return best;
}

/** Null until some node's crm_mon answered. */
export function fencingView(state: MonitorState): FencingView | null {
  const pn = freshest(state);
  const status = pn?.pacemaker.status;
  if (!pn || !status) return null;
  const devices = status.resources
    .filter((r) => r.agent.startsWith('stonith:'))
    .map((r) => ({ id: r.id, agent: r.agent.slice('stonith:'.length), role: r.role, nodes: r.nodes, failed: r.failed }));
  return {
    enabled: pn.pacemaker.extras?.stonithEnabled ?? null,
    devices,
    events: (pn.pacemaker.extras?.fenceEvents ?? []).slice(0, FENCE_EVENTS_SHOWN),
    unclean: status.nodes.filter((n) => n.unclean).map((n) => n.name),
    nodes: status.nodes.map((n) => n.name),
  };
}

const crit = (score: number, node: string, text: string): Problem => ({ severity: 'CRITICAL', score, node, subject: 'fencing', text });

/** What an admin does when a fence does not come: find why, and confirm by hand only a node surely off. */
function checkDevice(target: string): string {
  return `check ${target}'s fence device (stonith_admin --history ${target} --verbose; the agent's -o status from the peer); only once ${target} is surely powered off: stonith_admin --confirm ${target}`;
}

export function fencingProblems(state: MonitorState): Problem[] {
  const v = fencingView(state);
  if (v === null) return [];
  const out: Problem[] = [];
  const online = new Set(Object.values(state.nodes).flatMap((n) => n.pacemaker.status?.nodes.filter((x) => x.online).map((x) => x.name) ?? []));
  // The newest event per target decides (Pacemaker lists newest first, pending ones on top).
  const latest = new Map<string, FenceEvent>();
  for (const e of v.events) if (!latest.has(e.target)) latest.set(e.target, e);
  const targets = new Set([...latest.keys(), ...v.unclean]);
  for (const t of targets) {
    const e = latest.get(t);
    const by = e?.origin ? ` asked by ${e.origin}` : '';
    if (e?.status === 'pending') {
      out.push(crit(93, t, `fence of ${t} pending (${e.action}${by}): nothing ${t} ran moves until it completes; if it does not complete: ${checkDevice(t)}`));
    } else if (v.unclean.includes(t)) {
      const last = e?.status === 'failed' ? `the last fence failed${e.exitReason ? ` (${e.exitReason})` : ''}, Pacemaker retries` : 'no fence is running';
      out.push(crit(92, t, `${t} is UNCLEAN and must be fenced before its resources move; ${last}: ${checkDevice(t)}`));
    } else if (e?.status === 'failed') {
      // A failed fence of a node that is back (or was never lost): the device did not work when asked.
      out.push({ severity: online.has(t) ? 'WARNING' : 'CRITICAL', score: online.has(t) ? 45 : 88, node: t, subject: 'fencing',
        text: `the last fence of ${t} failed${e.completed ? ` at ${e.completed}` : ''}${e.exitReason ? ` (${e.exitReason})` : ''}: the device may not work when it is needed; check it (the agent's -o status from the peer), then clear the record: stonith_admin --history ${t} --cleanup` });
    } else if (e?.status === 'success' && !online.has(t)) {
      out.push(crit(85, t, `${t} was fenced (${e.action}${e.delegate ? ` by ${e.delegate}` : ''}${e.completed ? ` at ${e.completed}` : ''}) and is not back: it should boot and rejoin by itself; if it does not, look at its console or BMC (why it was fenced: the peer's journal, pacemaker-fenced)`));
    }
  }
  return out;
}

/** The text snapshot's lines: the devices, then the last events. */
export function fencingLines(v: FencingView | null): string[] {
  if (v === null || (v.devices.length === 0 && v.events.length === 0)) return [];
  const out = [`Fencing${v.enabled === false ? ' (stonith-enabled=false)' : ''}:`];
  for (const d of v.devices) out.push(`  device ${d.id} (${d.agent}): ${d.failed ? 'FAILED' : d.role}${d.nodes.length ? ` on ${d.nodes.join(', ')}` : ''}`);
  for (const e of v.events) {
    const when = e.completed ?? 'now';
    out.push(`  ${e.action} of ${e.target}: ${e.status}${e.exitReason ? ` (${e.exitReason})` : ''}${e.delegate ? ` by ${e.delegate}` : ''}${e.origin ? ` for ${e.origin}` : ''}, ${when}`);
  }
  return out;
}

/** "2026-12-07 12:29:38Z" (Pacemaker's completed time) in seconds since the epoch, or null. */
export function fenceTimeSeconds(completed: string | null): number | null {
  if (completed === null) return null;
  const t = Date.parse(completed.replace(' ', 'T'));
  return Number.isNaN(t) ? null : t / 1000;
}

type Add = (name: string, help: string, labels: Record<string, string>, value: number) => void;

/** The Prometheus series (docs/monitor-prometheus.md). */
export function fencingMetrics(v: FencingView | null, add: Add): void {
  if (v === null) return;
  for (const d of v.devices) {
    add('hanfs_fence_device_info', 'A fence device (stonith resource) with its agent and role (value 1).', { device: d.id, agent: d.agent, role: d.failed ? 'FAILED' : d.role }, 1);
    add('hanfs_fence_device_started', 'Whether a fence device is started (and not failed).', { device: d.id }, d.role === 'Started' && !d.failed ? 1 : 0);
  }
  const seen = new Set<string>();
  for (const e of v.events) {
    if (seen.has(e.target)) continue;
    seen.add(e.target);
    add('hanfs_fence_pending', 'Whether a fence of the node is pending now.', { target: e.target }, e.status === 'pending' ? 1 : 0);
    add('hanfs_fence_last_failed', 'Whether the newest fence of the node failed.', { target: e.target }, e.status === 'failed' ? 1 : 0);
  }
  for (const t of seen) {
    const ok = v.events.find((e) => e.target === t && e.status === 'success');
    const at = fenceTimeSeconds(ok?.completed ?? null);
    if (at !== null) add('hanfs_fence_last_success_timestamp_seconds', 'When the node was last fenced successfully (among the events the fencer lists).', { target: t }, at);
  }
  for (const n of v.nodes) add('hanfs_fence_unclean', 'Whether Pacemaker holds the node UNCLEAN (it must be fenced).', { node: n }, v.unclean.includes(n) ? 1 : 0);
}
