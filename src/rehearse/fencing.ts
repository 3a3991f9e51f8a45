// The fencing invariants, read from one transition graph (crm_simulate -G) of the transition that
// follows a node's loss. The graph lists, for each action, the actions it waits for: that is exactly
// what the controller will do when a fence fails (every action waiting on the failed fence is never
// run; the transition is aborted and the fence retried). Pure: the parsed graph in, violations out.
import { ancestorsOf, type GraphAction } from './graph.js';
import type { Violation } from './invariants.js';

/** The fence of `node` in this transition, if any. */
export function fenceOf(actions: GraphAction[], node: string): GraphAction | undefined {
  return actions.find((a) => a.operation === 'stonith' && a.node === node);
}

/** The priority-fencing-delay the scheduler gave the fence of `node` (seconds; 0 when none). */
export function priorityDelayS(actions: GraphAction[], node: string): number | null {
  const f = fenceOf(actions, node);
  if (!f) return null;
  return Number(f.attrs['CRM_meta_priority_fencing_delay'] ?? '0');
}

/** What makes the survivor take over: DRBD promoted, or DRBD or a service resource started, on a node not lost. */
function takeovers(actions: GraphAction[], lost: string[], drbd: string, service: string[]): GraphAction[] {
  const svc = new Set(service);
  return actions.filter(
    (a) =>
      a.rsc !== null &&
      a.node !== null &&
      !lost.includes(a.node) &&
      ((a.rsc === drbd && (a.operation === 'promote' || a.operation === 'start')) || (svc.has(a.rsc) && a.operation === 'start')),
  );
}

const describe = (a: GraphAction) => `${a.rsc} ${a.operation} on ${a.node}`;

/**
 * - fenced-before-takeover: every lost node is fenced in this transition, and every promote/start on a
 *   survivor waits for that fence (it is among the action's ancestors).
 * - failed-fence-freezes: what would still run if every fence failed (actions with no fence among their
 *   ancestors) promotes and starts nothing: no promote without a confirmed fence.
 */
export function fencingViolations(actions: GraphAction[], lost: string[], drbd: string, service: string[]): Violation[] {
  const anc = ancestorsOf(actions);
  const out: Violation[] = [];
  const moves = takeovers(actions, lost, drbd, service);
  for (const node of lost) {
    const fence = fenceOf(actions, node);
    if (!fence) {
      out.push({ invariant: 'fenced-before-takeover', message: `${node} was lost and is not fenced${moves.length ? `, yet ${moves.map(describe).join(', ')}` : ''}` });
      continue;
    }
    const early = moves.filter((m) => !anc(m.id).has(fence.id));
    if (early.length) out.push({ invariant: 'fenced-before-takeover', message: `${early.map(describe).join(', ')} without waiting for ${node}'s fence` });
  }
  const fenceIds = new Set(actions.filter((a) => a.operation === 'stonith').map((a) => a.id));
  const unguarded = moves.filter((m) => ![...anc(m.id)].some((id) => fenceIds.has(id)));
  if (unguarded.length) {
    out.push({ invariant: 'failed-fence-freezes', message: `if the fence failed, ${unguarded.map(describe).join(', ')} would still happen` });
  }
  return out;
}

/** Least head start (s) the surviving side's fence needs over the other's: its agent must switch the loser off before the loser's own request leaves. */
export const SPLIT_MARGIN_S = 5;

const seconds = (t: string | undefined): number => {
  const m = /^(\d+)(ms|s|m)?$/.exec(t ?? '');
  if (!m) return 0;
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60 }[m[2] ?? 's'] ?? 1);
};

/**
 * A pcmk_delay_base value for one target: a plain time, or the per-target map "nfs1:5s;nfs2:0s" the
 * generator writes (the entry naming `node`; a map without it delays `node` by nothing).
 */
function delayFor(value: string | undefined, node: string): number {
  if (value === undefined || !value.includes(':')) return seconds(value);
  for (const part of value.split(/[;\s]+/)) {
    const i = part.indexOf(':');
    if (i > 0 && part.slice(0, i) === node) return seconds(part.slice(i + 1));
  }
  return 0;
}

/**
 * The static delay (pcmk_delay_base, seconds) of the fence device that fences `node`, read from the CIB
 * itself (a mutated CIB is judged by what it says). Agent devices name their target in pcmk_host_list;
 * a device without one (SBD's) fences either node and says the delay per target in its map.
 */
export function deviceDelayS(cibXml: string, node: string): number {
  for (const m of cibXml.matchAll(/<primitive\b[^>]*class="stonith"[^>]*>([\s\S]*?)<\/primitive>/g)) {
    const body = m[1]!;
    const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1];
    const hosts = value('pcmk_host_list');
    if (hosts === undefined ? value('pcmk_delay_base')?.includes(':') : hosts.split(/[\s,]+/).includes(node)) return delayFor(value('pcmk_delay_base'), node);
  }
  return 0;
}

/** split-favours-active: the fence of the active node must leave at least SPLIT_MARGIN_S after the passive's. */
export function splitViolations(active: string, activeDelayS: number | null, passive: string, passiveDelayS: number | null): Violation[] {
  if (activeDelayS === null || passiveDelayS === null) return [];
  if (activeDelayS - passiveDelayS >= SPLIT_MARGIN_S) return [];
  return [
    {
      invariant: 'split-favours-active',
      message: `in a split, ${passive} fences ${active} after ${activeDelayS} s and ${active} fences ${passive} after ${passiveDelayS} s: the active node needs a head start of at least ${SPLIT_MARGIN_S} s to survive`,
    },
  ];
}
