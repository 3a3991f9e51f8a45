// Which node a fence race spares, read from the cluster's own configuration (issue 26, the drill of the
// cut link between the nodes): when both nodes lose each other, each asks to fence the other, and the
// fencer waits each request's delay before it runs the agent. The node whose fence waits longer shoots
// first and survives. That delay is, per target: the static pcmk_delay_base of the device that fences it
// (a plain duration, or a per-target map "node:5s;other:0s"), plus priority-fencing-delay when the
// target has the highest total resource priority (Pacemaker adds a promoted instance's +1 to its
// clone's priority; in this project only the DRBD clone carries one: src/generate/fencing.ts).
// Small regex readers of the CIB XML as `cibadmin -Q` prints it, independent of src/ on purpose (the
// harness judges what the wizard generated); checked against the generated CIB run through cibadmin
// itself by fence-delay.test.ts.
import type { NodeName } from './lab.js';

export interface FenceDelays {
  /** crm_config priority-fencing-delay in seconds (0 when not set). */
  priorityFencingDelayS: number;
  /** The static pcmk_delay_base of the device(s) that fence each node, in seconds. */
  delayBaseS: Record<string, number>;
  /** The DRBD clone's priority meta attribute (0 when not set). */
  drbdPriority: number;
  /** Devices with a random delay (pcmk_delay_max): a race they join cannot be predicted. */
  randomDelayDevices: string[];
}

const attr = (tag: string, name: string): string | null => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;

/** A Pacemaker duration ("10s", "10", "5000ms", "1min", "1h") in seconds; null when it is none. */
export function durationSeconds(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/i.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  if (unit === 'ms' || unit === 'msec') return n / 1000;
  if (unit === 'm' || unit === 'min') return n * 60;
  if (unit === 'h' || unit === 'hr') return n * 3600;
  return n;
}

/** The nvpairs of the first <NAME>...</NAME> block in xml (name -> value). */
function nvpairsIn(xml: string, block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of xml.matchAll(new RegExp(`<${block}\\b[^>]*>([\\s\\S]*?)</${block}>`, 'g'))) {
    for (const p of b[1]!.matchAll(/<nvpair\s[^>]*>/g)) {
      const name = attr(p[0], 'name');
      const value = attr(p[0], 'value');
      if (name !== null && value !== null && !out.has(name)) out.set(name, value);
    }
  }
  return out;
}

function seconds(v: string, what: string): number {
  const s = durationSeconds(v);
  if (s === null) throw new Error(`fence delays: ${what} "${v}" is no duration`);
  return s;
}

/** Reads the fence delays of a two-node CIB; throws where the CIB holds something this model does not cover. */
export function readFenceDelays(cib: string, nodes: readonly string[]): FenceDelays {
  const config = /<crm_config>([\s\S]*?)<\/crm_config>/.exec(cib)?.[1] ?? '';
  const pfd = nvpairsIn(config, 'cluster_property_set').get('priority-fencing-delay');
  const delayBaseS: Record<string, number> = Object.fromEntries(nodes.map((n) => [n, 0]));
  const randomDelayDevices: string[] = [];
  const resources = /<resources>([\s\S]*?)<\/resources>/.exec(cib)?.[1] ?? '';
  for (const m of resources.matchAll(/<primitive\s([^>]*?)>([\s\S]*?)<\/primitive>/g)) {
    const tag = ` ${m[1]!}`;
    if (attr(tag, 'class') !== 'stonith') continue;
    const id = attr(tag, 'id') ?? '?';
    const params = nvpairsIn(m[2]!, 'instance_attributes');
    const max = params.get('pcmk_delay_max');
    if (max !== undefined && (durationSeconds(max) ?? 1) > 0) randomDelayDevices.push(id);
    const hosts = params.get('pcmk_host_list')?.split(/[\s,;]+/).filter((h) => h !== '') ?? [];
    const base = params.get('pcmk_delay_base');
    if (base === undefined) continue;
    if (base.includes(':')) {
      // Per target: "lab1:5s;lab2:0s" (Pacemaker 2.1's map form, as the SBD device gets it).
      for (const part of base.split(/[;\s]+/).filter((p) => p !== '')) {
        const [host, d] = part.split(':');
        if (host && d !== undefined && host in delayBaseS) delayBaseS[host] = Math.max(delayBaseS[host]!, seconds(d, `${id} pcmk_delay_base ${host}`));
      }
    } else {
      if (hosts.length === 0) throw new Error(`fence delays: ${id} has a pcmk_delay_base but no pcmk_host_list: which node it delays is not in the CIB`);
      for (const h of hosts) if (h in delayBaseS) delayBaseS[h] = Math.max(delayBaseS[h]!, seconds(base, `${id} pcmk_delay_base`));
    }
  }
  // Resource priorities: only the DRBD clone's is modelled; a default or another resource's would change the sums.
  const defaults = /<rsc_defaults>([\s\S]*?)<\/rsc_defaults>/.exec(cib)?.[1] ?? '';
  if (nvpairsIn(defaults, 'meta_attributes').has('priority')) throw new Error('fence delays: rsc_defaults sets a priority; this model only counts the DRBD clone\'s');
  let drbdPriority = 0;
  for (const c of resources.matchAll(/<clone\s([^>]*?)>([\s\S]*?)<\/clone>/g)) {
    const inner = c[2]!;
    const own = inner.replace(/<primitive\b[\s\S]*?<\/primitive>/g, '');
    const prio = nvpairsIn(own, 'meta_attributes').get('priority');
    const isDrbd = /<primitive\s[^>]*type="drbd"/.test(inner);
    if (prio !== undefined && Number(prio) !== 0 && !isDrbd) throw new Error(`fence delays: clone ${attr(` ${c[1]!}`, 'id')} has priority ${prio}; this model only counts the DRBD clone's`);
    if (isDrbd && prio !== undefined) drbdPriority = Number(prio);
  }
  const others: string[] = [];
  for (const p of resources.matchAll(/<primitive\s([^>]*?)>([\s\S]*?)<\/primitive>/g)) {
    const prio = nvpairsIn(p[2]!, 'meta_attributes').get('priority');
    if (prio === undefined || Number(prio) === 0) continue;
    // The DRBD primitive's own priority counts as the clone's when the clone sets none.
    if (/\stype="drbd"/.test(` ${p[1]!}`) && drbdPriority === 0) drbdPriority = Number(prio);
    else if (!/\stype="drbd"/.test(` ${p[1]!}`)) others.push(attr(` ${p[1]!}`, 'id') ?? '?');
  }
  for (const g of resources.matchAll(/<group\s([^>]*?)>([\s\S]*?)<\/group>/g)) {
    const prio = nvpairsIn(g[2]!.replace(/<primitive\b[\s\S]*?<\/primitive>/g, ''), 'meta_attributes').get('priority');
    if (prio !== undefined && Number(prio) !== 0) others.push(attr(` ${g[1]!}`, 'id') ?? '?');
  }
  if (others.length > 0) throw new Error(`fence delays: ${others.join(', ')} carry a priority; this model only counts the DRBD clone's`);
  return { priorityFencingDelayS: pfd === undefined ? 0 : seconds(pfd, 'priority-fencing-delay'), delayBaseS, drbdPriority, randomDelayDevices };
}

export interface RacePrediction {
  /** The node whose fence waits longer: it shoots first and survives. */
  survivor: NodeName;
  loser: NodeName;
  /** Each node's fence delay in seconds (how long a request to fence it waits). */
  fenceDelayS: Record<NodeName, number>;
  why: string;
}

/**
 * The node a fence race spares, given who runs the promoted DRBD instance (null: nobody). Null when the
 * delays are equal or a device adds a random delay: then the race has no designated survivor.
 */
export function predictRace(d: FenceDelays, nodes: readonly [NodeName, NodeName], promoted: NodeName | null): RacePrediction | null {
  if (d.randomDelayDevices.length > 0) return null;
  // Total priority per node: the clone's priority on both (an instance runs on each), +1 for the promoted one.
  const prio = (n: NodeName) => (d.drbdPriority > 0 ? d.drbdPriority + (n === promoted ? 1 : 0) : 0);
  const [a, b] = nodes;
  const top = Math.max(prio(a), prio(b));
  const highest = (n: NodeName) => prio(n) === top && prio(a) !== prio(b);
  const delay = (n: NodeName) => (d.delayBaseS[n] ?? 0) + (highest(n) ? d.priorityFencingDelayS : 0);
  const fenceDelayS = { [a]: delay(a), [b]: delay(b) } as Record<NodeName, number>;
  if (fenceDelayS[a] === fenceDelayS[b]) return null;
  const survivor = fenceDelayS[a] > fenceDelayS[b] ? a : b;
  const loser = survivor === a ? b : a;
  const parts = nodes.map((n) => `${n}: pcmk_delay_base ${d.delayBaseS[n] ?? 0} s${highest(n) ? ` + priority-fencing-delay ${d.priorityFencingDelayS} s (priority ${prio(n)}, promoted)` : ` (priority ${prio(n)})`} = ${fenceDelayS[n]} s`);
  return { survivor, loser, fenceDelayS, why: `fencing waits ${parts.join('; ')}: ${survivor} is fenced later, so it shoots first and survives` };
}
