// Reads a transition graph (crm_simulate -G FILE) and checks the stack's start/stop order in it: the
// final placement alone cannot show that the filesystem was mounted before DRBD became Primary, the graph
// can (each action lists the actions it waits for). Pure: takes the graph's XML text.
import { childEl, childEls, parseXml } from '../probes/xml.js';

export interface GraphAction {
  id: string;
  operation: string;
  /** The primitive it acts on (rsc_op only). */
  rsc: string | null;
  node: string | null;
  inputs: string[];
  /** The action's <attributes> (a fence carries CRM_meta_priority_fencing_delay). */
  attrs: Record<string, string>;
}

export function parseGraph(xml: string): GraphAction[] | null {
  const root = parseXml(xml);
  if (!root || root.name !== 'transition_graph') return null;
  const out: GraphAction[] = [];
  for (const syn of childEls(root, 'synapse')) {
    const action = childEl(syn, 'action_set')?.children[0];
    if (!action) continue;
    const inputs = childEls(childEl(syn, 'inputs'), 'trigger').flatMap((t) => t.children.map((c) => c.attrs['id'] ?? ''));
    out.push({
      id: action.attrs['id'] ?? '',
      operation: action.attrs['operation'] ?? '',
      rsc: action.name === 'rsc_op' ? (childEl(action, 'primitive')?.attrs['id'] ?? null) : null,
      node: action.attrs['on_node'] ?? null,
      inputs,
      attrs: { ...(childEl(action, 'attributes')?.attrs ?? {}) },
    });
  }
  return out;
}

export function ancestorsOf(actions: GraphAction[]): (id: string) => Set<string> {
  const byId = new Map(actions.map((a) => [a.id, a]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const acc = new Set<string>();
    memo.set(id, acc); // set first: a cycle (never expected) must not loop forever
    for (const i of byId.get(id)?.inputs ?? []) {
      acc.add(i);
      for (const x of visit(i)) acc.add(x);
    }
    return acc;
  };
  return visit;
}

/**
 * Order violations in one transition: a service resource starting on a node before DRBD's promotion
 * there, or DRBD demoted on a node before a service resource there has stopped.
 */
export function orderViolations(actions: GraphAction[], drbdPrimitive: string, serviceResources: string[]): string[] {
  const anc = ancestorsOf(actions);
  const service = new Set(serviceResources);
  const out: string[] = [];
  const ofService = (op: string, node: string | null) => actions.filter((a) => a.rsc !== null && service.has(a.rsc) && a.operation === op && a.node === node);
  // One message per node and direction, naming every resource concerned, in the group's order.
  const names = (list: GraphAction[]) => serviceResources.filter((id) => list.some((a) => a.rsc === id)).join(', ');
  for (const p of actions.filter((a) => a.rsc === drbdPrimitive && a.operation === 'promote')) {
    const early = ofService('start', p.node).filter((s) => !anc(s.id).has(p.id));
    if (early.length) out.push(`${names(early)} start on ${p.node} without waiting for DRBD's promotion there`);
  }
  for (const d of actions.filter((a) => a.rsc === drbdPrimitive && a.operation === 'demote')) {
    const late = ofService('stop', d.node).filter((s) => !anc(d.id).has(s.id));
    if (late.length) out.push(`DRBD is demoted on ${d.node} without waiting for ${names(late)} to stop there`);
  }
  return out;
}
