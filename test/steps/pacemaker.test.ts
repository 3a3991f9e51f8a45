// The Pacemaker step as data: the STONITH choices, each agent's per-node fields, switching agents, and the
// validation of each node's parameters (on the demo lab's real facts).
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { NodeFacts } from '../../src/probes/types.js';
import { pacemakerStep, chooseAgent, paramPath } from '../../src/steps/pacemaker.js';
import { FENCE_AGENTS } from '../../src/answers/fence-agents.js';
import { completeDraft, getPath } from '../../src/steps/draft.js';
import type { Draft, FieldDef, StepContext } from '../../src/steps/types.js';
import { ctxOf, demoFacts } from './demo-facts.js';

let facts: NodeFacts[];
let ctx: StepContext;
beforeAll(async () => {
  facts = await demoFacts();
  ctx = ctxOf(facts);
});
/** The demo flow's complete answers (STONITH none), the draft the Pacemaker step is reached with. */
const demo = (): Draft => parse(readFileSync(new URL('../fixtures/wizard/demo-flow-answers.yaml', import.meta.url), 'utf8'));

const fieldsOf = (d: Draft): FieldDef[] => pacemakerStep.fields!(d, ctx);
const field = (d: Draft, path: string): FieldDef => {
  const f = fieldsOf(d).find((x) => x.path === path);
  if (!f) throw new Error(`no field ${path} in ${fieldsOf(d).map((x) => x.path).join(', ')}`);
  return f;
};
const write = (d: Draft, path: string, v: unknown): Draft => field(d, path).write!(d, v);
const choose = (d: Draft, agent: string) => write(d, 'pacemaker.stonith', agent);

describe('the STONITH choice', () => {
  test('offers none and every agent of the table, each with one sentence', () => {
    const f = field(demo(), 'pacemaker.stonith');
    expect(f.options!.map((o) => o.value)).toEqual(['none', 'sbd', ...FENCE_AGENTS.map((a) => a.agent)]);
    for (const o of f.options!) expect(o.explain.startsWith(`${o.value}: `)).toBe(true);
    for (const o of f.options!.slice(1)) expect(o.explain.trim().split(/(?<=\.)\s/).length, o.explain).toBe(1);
  });

  test('none keeps the explanation of the risk and the note; no node fields', () => {
    const d = demo();
    expect(field(d, 'pacemaker.stonith').options![0]!.explain).toMatch(/split brain/);
    expect(fieldsOf(d).map((f) => f.path)).toEqual(['pacemaker.stickiness', 'cluster.quorumDevice', 'pacemaker.stonith']);
    expect(pacemakerStep.notes!(d, ctx).join(' ')).toMatch(/risky with two nodes/);
    expect(pacemakerStep.validate(d, ctx)).toEqual({});
  });

  test('an agent written by hand in the file stays choosable and its parameters stay as written', () => {
    const d = { ...demo(), pacemaker: { stickiness: 100, stonith: { agent: 'fence_apc', nodes: { node1: { ip: 'pdu', plug: '3' } } } } };
    expect(field(d, 'pacemaker.stonith').options!.map((o) => o.value)).toContain('fence_apc');
    expect(fieldsOf(d)).toHaveLength(3);
    expect(getPath(d, 'pacemaker.stonith.nodes.node1.plug')).toBe('3');
  });
});

describe.each(FENCE_AGENTS.map((a) => [a.agent, a] as const))('%s', (name, agent) => {
  test('shows each of its parameters for each node, under the node\'s name', () => {
    const d = choose(demo(), name);
    const paths = fieldsOf(d).map((f) => f.path);
    expect(paths).toEqual([
      'pacemaker.stickiness',
      'cluster.quorumDevice',
      'pacemaker.stonith',
      ...['node1', 'node2'].flatMap((n) => agent.params.map((p) => paramPath(n, p.name))),
    ]);
    for (const f of fieldsOf(d).slice(3)) {
      expect(f.label).toMatch(/^node[12] /);
      expect(f.label.length).toBeLessThanOrEqual(26);
      expect(f.hint).toBeTruthy();
    }
  });

  test('chosen, it starts with the defaults only; the required parameters block Next until given', () => {
    const d = choose(demo(), name);
    const st = getPath(d, 'pacemaker.stonith') as { agent: string; nodes: Record<string, Record<string, string>> };
    expect(st.agent).toBe(name);
    expect(Object.keys(st.nodes)).toEqual(['node1', 'node2']);
    const errors = pacemakerStep.validate(d, ctx);
    const required = ['node1', 'node2'].flatMap((n) => agent.params.filter((p) => p.required && p.default === undefined).map((p) => paramPath(n, p.name)));
    for (const p of required) expect(errors[p], p).toBe('is required');
    // fence_xvm needs only the domain name, which defaults to the node name: complete at once.
    expect(pacemakerStep.isComplete(d, ctx)).toBe(required.length === 0);
  });

  test('filled in, the step is complete and the whole draft is a valid answers file', () => {
    let d = choose(demo(), name);
    for (const n of ['node1', 'node2']) {
      for (const p of agent.params.filter((x) => x.kind === 'text' && (x.required || x.name === 'password'))) {
        d = write(d, paramPath(n, p.name), p.name === 'ip' ? `10.20.0.${n.slice(-1)}` : `${p.name}-${n}`);
      }
    }
    expect(pacemakerStep.validate(d, ctx)).toEqual({});
    const done = completeDraft(d);
    expect(done.ok, JSON.stringify(done)).toBe(true);
  });
});

describe('switching agents', () => {
  test('keeps nothing of the previous agent, not even parameters of the same name', () => {
    let d = choose(demo(), 'fence_ipmilan');
    d = write(d, paramPath('node1', 'ip'), '10.20.0.1');
    d = write(d, paramPath('node1', 'password'), 'secret');
    d = choose(d, 'fence_virsh');
    expect(getPath(d, 'pacemaker.stonith')).toEqual({ agent: 'fence_virsh', nodes: { node1: { plug: 'node1' }, node2: { plug: 'node2' } } });
    expect(field(d, paramPath('node1', 'ip')).read!(d)).toBeUndefined();
    d = choose(d, 'none');
    expect(getPath(d, 'pacemaker.stonith')).toBe('none');
    expect(fieldsOf(d)).toHaveLength(3);
  });

  test('cycling through every choice and back to one agent ends with that agent\'s defaults only', () => {
    let d = demo();
    for (const o of field(d, 'pacemaker.stonith').options!) d = choose(d, String(o.value));
    d = choose(d, 'fence_vmware_rest');
    expect(getPath(d, 'pacemaker.stonith.nodes')).toEqual({
      node1: { ssl: '1', plug: 'node1', ssl_insecure: '0' },
      node2: { ssl: '1', plug: 'node2', ssl_insecure: '0' },
    });
  });
});

describe('per-node fields', () => {
  test('an optional parameter emptied is left out; a required one emptied says it is required', () => {
    let d = choose(demo(), 'fence_virsh');
    d = write(d, paramPath('node1', 'identity_file'), '/root/.ssh/id_ed25519');
    expect(getPath(d, 'pacemaker.stonith.nodes.node1.identity_file')).toBe('/root/.ssh/id_ed25519');
    d = write(d, paramPath('node1', 'identity_file'), '');
    expect(Object.keys(getPath(d, 'pacemaker.stonith.nodes.node1') as object)).not.toContain('identity_file');
    d = write(d, paramPath('node1', 'plug'), '');
    expect(getPath(d, 'pacemaker.stonith.nodes.node1.plug')).toBe('');
    expect(pacemakerStep.validate(d, ctx)[paramPath('node1', 'plug')]).toBe('is required');
  });

  test('fence_virsh wants a password or an SSH key file per node; either one is enough', () => {
    let d = choose(demo(), 'fence_virsh');
    for (const n of ['node1', 'node2']) {
      d = write(d, paramPath(n, 'ip'), 'kvm-host');
      d = write(d, paramPath(n, 'username'), 'root');
    }
    let e = pacemakerStep.validate(d, ctx);
    expect(e).toEqual({
      [paramPath('node1', 'password')]: 'this or host SSH key file is required',
      [paramPath('node2', 'password')]: 'this or host SSH key file is required',
    });
    d = write(d, paramPath('node1', 'identity_file'), '/root/.ssh/id_ed25519');
    d = write(d, paramPath('node2', 'password'), 'pw');
    e = pacemakerStep.validate(d, ctx);
    expect(e).toEqual({});
  });

  test('a flag is a yes/no choice stored as the agent\'s 1/0, each choice explained', () => {
    const d = choose(demo(), 'fence_ipmilan');
    const f = field(d, paramPath('node2', 'lanplus'));
    expect(f.kind).toBe('select');
    expect(f.read!(d)).toBe('1');
    expect(f.options!.map((o) => [o.value, o.label])).toEqual([['1', 'yes'], ['0', 'no']]);
    expect(getPath(f.write!(d, '0'), 'pacemaker.stonith.nodes.node2.lanplus')).toBe('0');
    // A number from a hand-written file (lanplus: 1) reads as the same choice.
    const fromFile = { ...d, pacemaker: { stickiness: 100, stonith: { agent: 'fence_ipmilan', nodes: { node1: { lanplus: 1 }, node2: {} } } } };
    expect(field(fromFile, paramPath('node1', 'lanplus')).read!(fromFile)).toBe('1');
  });

  test('a parameter the answers file refuses (hand-edited) blocks Next with the file\'s own message', () => {
    let d = choose(demo(), 'fence_redfish');
    for (const n of ['node1', 'node2']) {
      d = write(d, paramPath(n, 'ip'), '10.20.0.1');
      d = write(d, paramPath(n, 'username'), 'admin');
      d = write(d, paramPath(n, 'password'), 'pw');
    }
    expect(pacemakerStep.validate(d, ctx)).toEqual({});
    const withNodes = (node1: Record<string, unknown>): Draft => ({
      ...d,
      pacemaker: { stickiness: 100, stonith: { agent: 'fence_redfish', nodes: { ...(getPath(d, 'pacemaker.stonith.nodes') as object), node1 } } },
    });
    // The schema reports any bad parameter on pacemaker.stonith (its union), so that is where it shows:
    // a list where one value is wanted, and a parameter no field shows (an upper-case name).
    let e = pacemakerStep.validate(withNodes({ ip: ['10.20.0.1', '10.20.0.2'], username: 'admin', password: 'pw' }), ctx);
    expect(e).toEqual({ 'pacemaker.stonith': expect.stringMatching(/must be "none", \{ agent/) });
    e = pacemakerStep.validate(withNodes({ ip: '10.20.0.1', username: 'admin', password: 'pw', Bad: 'x' }), ctx);
    expect(Object.keys(e)).toEqual(['pacemaker.stonith']);
    expect(e['pacemaker.stonith']).toMatch(/parameter names are lower-case words/);
  });
});

describe('prefill', () => {
  test('a fresh draft gets stickiness 100 and STONITH none', () => {
    const d = pacemakerStep.prefill!({ nodes: [{ name: 'node1' }, { name: 'node2' }] }, ctx);
    expect(d.pacemaker).toEqual({ stickiness: 100, stonith: 'none' });
  });

  test('a reopened agent keeps given values, adds missing defaults, and drops nodes that are no longer nodes', () => {
    const d = {
      ...demo(),
      pacemaker: { stickiness: 100, stonith: { agent: 'fence_virsh', nodes: { node1: { ip: 'kvm1', plug: 'vm-a' }, old: { ip: 'kvm9' } } } },
    };
    expect(getPath(pacemakerStep.prefill!(d, ctx), 'pacemaker.stonith.nodes')).toEqual({ node1: { ip: 'kvm1', plug: 'vm-a' }, node2: { plug: 'node2' } });
  });
});

test('chooseAgent alone names the nodes from the probes when the draft has no names yet', () => {
  expect(getPath(chooseAgent({}, 'fence_xvm', ctx), 'pacemaker.stonith.nodes')).toEqual({
    [facts[0]!.hostname]: { plug: facts[0]!.hostname },
    [facts[1]!.hostname]: { plug: facts[1]!.hostname },
  });
});

describe('DRBD fencing follows the STONITH choice (the DRBD step comes first and pre-fills resource-only)', () => {
  test('choosing a fence device turns the pre-filled resource-only into resource-and-stonith, with the crm-fence-peer handlers', async () => {
    const before = demo();
    expect(getPath(before, 'drbd.fencing')).toBe('resource-only');
    const d = choose(before, 'fence_ipmilan');
    expect(getPath(d, 'drbd.fencing')).toBe('resource-and-stonith');
    expect(pacemakerStep.notes!(d, ctx).join('\n')).toMatch(/resource-and-stonith/);
    // The whole draft, once the agent's parameters are typed, is answers whose DRBD file fences the peer.
    let filled = d;
    for (const n of ['node1', 'node2']) {
      filled = write(filled, paramPath(n, 'ip'), n === 'node1' ? '192.168.20.11' : '192.168.20.12');
      filled = write(filled, paramPath(n, 'username'), 'admin');
      filled = write(filled, paramPath(n, 'password'), 'bmc-secret');
    }
    const { parseAnswersText } = await import('../../src/answers/load.js');
    const { renderDrbdRes } = await import('../../src/generate/drbd-res.js');
    const { stringify } = await import('yaml');
    const r = parseAnswersText(stringify(filled));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.answers.drbd.fencing).toBe('resource-and-stonith');
    expect(renderDrbdRes(r.answers, 'x'.repeat(32))).toMatch(/fence-peer "\/usr\/lib\/drbd\/crm-fence-peer/);
  });

  test('back to none turns resource-and-stonith (which needs STONITH) into resource-only; an explicit none stays none', () => {
    expect(getPath(choose(choose(demo(), 'fence_ipmilan'), 'none'), 'drbd.fencing')).toBe('resource-only');
    const off = { ...demo(), drbd: { ...(demo().drbd as object), fencing: 'none' } };
    expect(getPath(choose(off, 'fence_ipmilan'), 'drbd.fencing')).toBe('none');
  });

  test('the DRBD step pre-fills resource-and-stonith when a fence device is already chosen', async () => {
    const { drbdStep } = await import('../../src/steps/drbd.js');
    const withDevice = { pacemaker: { stonith: { agent: 'fence_ipmilan', nodes: {} } } };
    expect(getPath(drbdStep.prefill!(withDevice, ctx), 'drbd.fencing')).toBe('resource-and-stonith');
    expect(getPath(drbdStep.prefill!({ pacemaker: { stonith: 'none' } }, ctx), 'drbd.fencing')).toBe('resource-only');
    expect(getPath(drbdStep.prefill!({}, ctx), 'drbd.fencing')).toBe('resource-only');
  });
});
