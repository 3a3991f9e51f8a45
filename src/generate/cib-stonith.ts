// The fence devices of the CIB model: one device per node for a fence agent, or the one fence_sbd device
// of disk-based SBD (diskless SBD has none: the nodes' watchdogs fence). fencing.ts has the timings.
import { isAgentStonith, sbdOf, type Answers } from '../answers/schema.js';
import { FENCE_DELAY_BASE_S, FENCE_MONITOR, delayBaseMap } from './fencing.js';
import { idPart } from './cib-ids.js';
import type { Constraint, Primitive } from './cib-types.js';

const monitorOp = () => [{ name: 'monitor' as const, interval: FENCE_MONITOR.interval, timeout: FENCE_MONITOR.timeout }];

/** A fence agent's device per node, each kept off the node it fences. */
function agentDevices(a: Answers): { stonith: Primitive[]; constraints: Constraint[] } {
  const stonith: Primitive[] = [];
  const constraints: Constraint[] = [];
  const sto = a.pacemaker.stonith;
  if (!isAgentStonith(sto)) return { stonith, constraints };
  a.nodes.forEach((node, i) => {
    const params = Object.entries(sto.nodes[node.name] ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
    params.push(['pcmk_host_list', node.name]);
    // Two nodes that lose each other both try to fence. priority-fencing-delay (a property) favours
    // the active node; when neither is promoted, this static delay on the device that fences the
    // first node lets the first node shoot first and survive, instead of both dying (fencing.ts).
    // In the per-target map form, which 2.1.5's fencer parses without an error (fencing.ts delayBaseMap).
    if (i === 0 && !params.some(([k]) => k === 'pcmk_delay_base')) params.push(['pcmk_delay_base', delayBaseMap([[node.name, FENCE_DELAY_BASE_S]])]);
    const id = `st_${idPart(node.name)}`;
    stonith.push({ id, class: 'stonith', type: sto.agent, params, ops: monitorOp() });
    // A node never runs the device that fences itself: it could not fence itself when hung.
    constraints.push({ kind: 'location', id: `loc_${id}_not_on_self`, rsc: id, node: node.name, score: '-INFINITY' });
  });
  return { stonith, constraints };
}

/**
 * Disk-based SBD: one device fences either node by writing a message in its slot (fence_sbd,
 * fence-agents; the devices as in /etc/default/sbd). Not on the node it fences is not needed: a node
 * that must be fenced is reset by its own watchdog whether or not it reads the message. The static
 * delay favours nodes[0] as with a fence agent, through the fencer's per-target map.
 */
function sbdDevice(a: Answers): Primitive[] {
  const sbd = sbdOf(a.pacemaker.stonith);
  if (sbd?.device === undefined) return [];
  return [{
    id: 'st_sbd',
    class: 'stonith',
    type: 'fence_sbd',
    params: [
      ['devices', sbd.device],
      ['pcmk_delay_base', delayBaseMap([[a.nodes[0].name, FENCE_DELAY_BASE_S], [a.nodes[1].name, 0]])],
    ],
    ops: monitorOp(),
  }];
}

/** Every fence device and the constraints that go with them, in configuration order. */
export function stonithDevices(a: Answers): { stonith: Primitive[]; constraints: Constraint[] } {
  const agents = agentDevices(a);
  return { stonith: [...agents.stonith, ...sbdDevice(a)], constraints: agents.constraints };
}
