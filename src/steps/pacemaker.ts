// Pacemaker: how strongly the service stays where it runs, the quorum device (quorum-device-fields.ts),
// and STONITH: none, SBD (sbd-fields.ts), or one of the fence agents of src/answers/fence-agents.ts with
// that agent's parameters for each node.
import { getPath, schemaErrors, setDefault, setPath } from './draft.js';
import { chooseSbd, sbdErrors, sbdFields, sbdNotes, sbdOfDraft } from './sbd-fields.js';
import { QDEVICE_PATH, quorumDeviceErrors, quorumDeviceFields, quorumDeviceNotes } from './quorum-device-fields.js';
import { FENCE_AGENTS, fenceAgent, initialParams, missingParams, type FenceAgent, type FenceParam } from '../answers/fence-agents.js';
import type { Draft, FieldDef, FieldErrors, FieldOption, Step, StepContext } from './types.js';

const SBD_EXPLAIN =
  'sbd: SBD, fencing through each node\'s watchdog and a small disk both nodes share (sbd(8)), or through the watchdog alone with a quorum device.';
const NONE_RISK =
  'none: with two nodes and no fencing, a node that stops answering but still runs can keep writing while its peer takes over: a split brain. Pacemaker runs with stonith-enabled=false.';

const STONITH_PATH = 'pacemaker.stonith';
const LABEL_WIDTH = 26;

type Params = Record<string, unknown>;
interface StonithObject {
  agent: string;
  nodes: Record<string, Params>;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function stonithOf(d: Draft): StonithObject | null {
  const s = getPath(d, STONITH_PATH);
  if (!isObject(s)) return null;
  return { agent: String(s.agent ?? ''), nodes: isObject(s.nodes) ? (s.nodes as Record<string, Params>) : {} };
}

export const agentOf = (d: Draft): string => (sbdOfDraft(d) ? 'sbd' : stonithOf(d)?.agent ?? 'none');

/** The two node names the STONITH parameters are keyed by: the answers' names, else the probed hostnames. */
function nodeNames(d: Draft, ctx: StepContext | null): string[] {
  return [0, 1].map((i) => String(getPath(d, `nodes[${i}].name`) ?? ctx?.facts?.[i]?.hostname ?? `node${i + 1}`));
}

/** One node's parameter, by key (node names may contain dots, so not through a field path). */
function setParam(d: Draft, node: string, name: string, value: string | undefined): Draft {
  const st = stonithOf(d);
  if (!st) return d;
  const params = { ...(st.nodes[node] ?? {}) };
  if (value === undefined) delete params[name];
  else params[name] = value;
  return setPath(d, STONITH_PATH, { ...(getPath(d, STONITH_PATH) as object), nodes: { ...st.nodes, [node]: params } });
}

/**
 * DRBD's fencing follows the STONITH choice (the DRBD step comes first and pre-fills resource-only): a
 * fence device makes it resource-and-stonith, with the crm-fence-peer handlers (writes freeze until the
 * peer is fenced: the default every guide gives when STONITH exists, docs/answers.md drbd.fencing); no
 * device turns resource-and-stonith back into resource-only, which the answers' checks would otherwise
 * refuse. An explicit none stays none.
 */
function drbdFencingFollows(d: Draft, stonith: boolean): Draft {
  const f = getPath(d, 'drbd.fencing');
  if (stonith && (f === undefined || f === 'resource-only')) return setPath(d, 'drbd.fencing', 'resource-and-stonith');
  if (!stonith && f === 'resource-and-stonith') return setPath(d, 'drbd.fencing', 'resource-only');
  return d;
}

/** Choosing an agent starts from that agent's fixed values and defaults only: nothing of the previous one. */
export function chooseAgent(d: Draft, value: string, ctx: StepContext | null = null): Draft {
  if (value === 'none') return drbdFencingFollows(setPath(d, STONITH_PATH, 'none'), false);
  if (value === 'sbd') return drbdFencingFollows(chooseSbd(d, ctx), true);
  const agent = fenceAgent(value);
  const nodes = Object.fromEntries(nodeNames(d, ctx).map((n) => [n, agent ? initialParams(agent, n) : {}]));
  return drbdFencingFollows(setPath(d, STONITH_PATH, { agent: value, nodes }), true);
}

export const paramPath = (node: string, name: string) => `${STONITH_PATH}.nodes.${node}.${name}`;

function paramField(node: string, p: FenceParam): FieldDef {
  // The node's name leads the label, shortened so the parameter's own label always shows.
  const label = `${node.slice(0, Math.max(1, LABEL_WIDTH - 1 - p.label.length))} ${p.label}`;
  const read = (d: Draft) => {
    const v = stonithOf(d)?.nodes[node]?.[p.name];
    return v === undefined || v === null ? undefined : String(v);
  };
  if (p.kind === 'flag') {
    return {
      path: paramPath(node, p.name),
      label,
      kind: 'select',
      options: [
        { value: '1', label: 'yes', explain: p.yes ?? p.hint(node) },
        { value: '0', label: 'no', explain: p.no ?? p.hint(node) },
      ],
      hint: p.hint(node),
      read,
      write: (d, v) => setParam(d, node, p.name, String(v)),
    };
  }
  return {
    path: paramPath(node, p.name),
    label,
    kind: 'text',
    hint: p.hint(node),
    ...(p.secret ? { secret: true } : {}),
    read,
    // An optional parameter left empty is left out, so the agent's own default applies.
    write: (d, v) => setParam(d, node, p.name, v === '' && !p.required ? undefined : String(v)),
  };
}

function agentOptions(d: Draft): FieldOption[] {
  const options: FieldOption[] = [
    { value: 'none', explain: NONE_RISK },
    { value: 'sbd', explain: SBD_EXPLAIN },
    ...FENCE_AGENTS.map((a) => ({ value: a.agent, explain: a.explain })),
  ];
  // An agent written by hand in the answers file stays choosable, with its parameters as written.
  const current = agentOf(d);
  if (current !== 'none' && current !== 'sbd' && !fenceAgent(current)) {
    options.push({ value: current, explain: `${current}: from the answers file; its parameters are kept as written there (edit them in the file).` });
  }
  return options;
}

function fields(d: Draft, ctx: StepContext): FieldDef[] {
  const agent = fenceAgent(agentOf(d));
  return [
    { path: 'pacemaker.stickiness', label: 'Stickiness', kind: 'number', hint: 'How much Pacemaker prefers to leave the service where it runs (100 keeps it there after a failback).' },
    // Before STONITH: diskless SBD is offered only once a quorum device is set.
    ...quorumDeviceFields(d),
    {
      path: STONITH_PATH,
      label: 'STONITH',
      kind: 'select',
      options: agentOptions(d),
      read: agentOf,
      write: (dd: Draft, v: unknown) => chooseAgent(dd, String(v), ctx),
    },
    ...(agent ? nodeNames(d, ctx).flatMap((n) => agent.params.map((p) => paramField(n, p))) : []),
    ...(sbdOfDraft(d) ? sbdFields(d, ctx) : []),
  ];
}

function validate(d: Draft, ctx: StepContext): FieldErrors {
  const fs = fields(d, ctx);
  // The STONITH and quorum device selects own every path below theirs: list them last so a node
  // parameter's (an SBD field's, the qnetd host's) problem lands on that field.
  const owners = [STONITH_PATH, QDEVICE_PATH];
  const paths = [...fs.filter((f) => !owners.includes(f.path)), ...fs.filter((f) => owners.includes(f.path))].map((f) => f.path);
  const errors = { ...schemaErrors(d, paths), ...quorumDeviceErrors(d), ...sbdErrors(d, ctx) };
  const agent: FenceAgent | undefined = fenceAgent(agentOf(d));
  if (agent) {
    const st = stonithOf(d)!;
    for (const n of nodeNames(d, ctx)) {
      for (const m of missingParams(agent, n, st.nodes[n] ?? {})) {
        // A required field left empty says so, as on every form; a group (password or key) says which.
        const required = agent.params.find((p) => p.name === m.param)?.required;
        const group = agent.anyOf?.find((g) => g[0] === m.param) ?? [];
        const others = group.slice(1).map((g) => agent.params.find((p) => p.name === g)?.label ?? g);
        errors[paramPath(n, m.param)] = required || others.length === 0 ? 'is required' : `this or ${others.join(' or ')} is required`;
      }
    }
  }
  for (const f of fs) {
    if (f.path === 'pacemaker.stickiness' || f.path === STONITH_PATH) {
      const v = f.read ? f.read(d) : getPath(d, f.path);
      if (v === undefined || v === '') errors[f.path] = 'is required';
    }
  }
  return errors;
}

export const pacemakerStep: Step = {
  id: 'pacemaker',
  title: 'Pacemaker',
  help:
    'Pacemaker starts DRBD, the filesystem, NFS and the virtual IP on one node, in that order, and moves them ' +
    'when that node fails. Stickiness keeps them where they run when a failed node returns. STONITH switches ' +
    'a node off before its peer takes over: the only sure protection against both writing. Choose the agent ' +
    'that can switch your nodes off: their BMC (fence_ipmilan, fence_redfish) for hardware, the hypervisor ' +
    '(fence_virsh, fence_xvm, fence_vmware_rest) for virtual machines; or SBD, where a small disk both nodes ' +
    'share (never the RAID disks, an md, LV or DRBD device) and each node\'s watchdog do it. A quorum ' +
    'device (corosync-qnetd on a third host) gives a split cluster a third vote; diskless SBD needs one.',
  fields,
  prefill: (d, ctx) => {
    let out = setDefault(setDefault(d, 'pacemaker.stickiness', 100), STONITH_PATH, 'none');
    const st = stonithOf(out);
    const agent = st ? fenceAgent(st.agent) : undefined;
    if (st && agent) {
      // Entries for the current nodes only (a node renamed since leaves nothing behind); a node without
      // parameters gets the agent's defaults; given values are never overwritten.
      const names = nodeNames(out, ctx);
      const nodes = Object.fromEntries(names.map((n) => [n, { ...initialParams(agent, n), ...(st.nodes[n] ?? {}) }]));
      out = setPath(out, STONITH_PATH, { ...(getPath(out, STONITH_PATH) as object), nodes });
    }
    return out;
  },
  validate,
  notes: (d) => [
    ...quorumDeviceNotes(d),
    ...(agentOf(d) === 'none'
      ? ['STONITH none is risky with two nodes: one that hangs but still writes can split the data.']
      : getPath(d, 'drbd.fencing') === 'resource-and-stonith' ? ['DRBD fencing is resource-and-stonith: writes freeze until the lost peer is fenced (crm-fence-peer handlers).'] : []),
    ...sbdNotes(d),
  ],
  isComplete: (d, ctx) => Object.keys(validate(d, ctx)).length === 0,
  screen: 'form',
};
