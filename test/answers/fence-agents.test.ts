// The wizard's fence agent table against the agents' own metadata: the captures kept as fixtures
// (test/fixtures/fence-agents/, SOURCE.md), and those captures against the agents installed here.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { childEl, childEls, parseXml } from '../../src/probes/xml.js';
import { FENCE_AGENTS, initialParams, missingParams } from '../../src/answers/fence-agents.js';
import { SECRET_PARAMETER } from '../../src/answers/serialize.js';

interface MetaParam {
  name: string;
  required: boolean;
  deprecated: boolean;
  obsoletes: string | undefined;
  type: string | undefined;
  default: string | undefined;
}

function metaParams(xml: string): Map<string, MetaParam> {
  const root = parseXml(xml);
  if (!root) throw new Error('metadata is not XML');
  const out = new Map<string, MetaParam>();
  for (const p of childEls(childEl(root, 'parameters'), 'parameter')) {
    const content = childEl(p, 'content');
    out.set(p.attrs['name']!, {
      name: p.attrs['name']!,
      required: p.attrs['required'] === '1',
      deprecated: p.attrs['deprecated'] === '1',
      obsoletes: p.attrs['obsoletes'],
      type: content?.attrs['type'],
      default: content?.attrs['default'],
    });
  }
  return out;
}

const fixture = (agent: string) => readFileSync(new URL(`../fixtures/fence-agents/${agent}.xml`, import.meta.url), 'utf8');

describe.each(FENCE_AGENTS.map((a) => [a.agent, a] as const))('%s', (name, agent) => {
  const meta = metaParams(fixture(name));

  it('the fixture is that agent\'s metadata', () => {
    expect(parseXml(fixture(name))!.attrs['name']).toBe(name);
  });

  it('every parameter asked for or fixed exists under its current name, not a deprecated alias', () => {
    const asked = [...agent.params.map((p) => p.name), ...Object.keys(agent.fixed ?? {})];
    for (const n of asked) {
      expect(meta.has(n), `${n} is not a parameter of ${name}`).toBe(true);
      expect(meta.get(n)!.deprecated, `${n} is deprecated in ${name}`).toBe(false);
    }
  });

  it('every parameter the metadata requires is asked for (and required) or has a default', () => {
    for (const m of meta.values()) {
      if (!m.required || m.deprecated) continue;
      const p = agent.params.find((x) => x.name === m.name);
      const defaulted = m.default !== undefined || agent.fixed?.[m.name] !== undefined || p?.default !== undefined;
      expect(p !== undefined || defaulted, `${name} requires ${m.name}: ask for it or give a default`).toBe(true);
      if (p && p.default === undefined) expect(p.required, `${m.name} is required by ${name}`).toBe(true);
    }
  });

  it('the deprecated alias of each parameter is the one the metadata names', () => {
    for (const p of agent.params) expect(p.obsoletes, p.name).toBe(meta.get(p.name)!.obsoletes);
  });

  it('flags are the agent\'s booleans; fixed values are booleans set on', () => {
    for (const p of agent.params.filter((x) => x.kind === 'flag')) expect(meta.get(p.name)!.type, p.name).toBe('boolean');
    for (const [k, v] of Object.entries(agent.fixed ?? {})) {
      expect(meta.get(k)!.type, k).toBe('boolean');
      expect(v).toBe('1');
    }
  });

  it('secret parameters are the ones the export redacts, and only those', () => {
    for (const p of agent.params) expect(SECRET_PARAMETER.test(p.name), p.name).toBe(p.secret);
  });

  it('a node with only the defaults lacks exactly the required parameters without one (and each anyOf group)', () => {
    const missing = missingParams(agent, 'nfs1', initialParams(agent, 'nfs1')).map((m) => m.param);
    const expected = [
      ...agent.params.filter((p) => p.required && p.default === undefined).map((p) => p.name),
      ...(agent.anyOf ?? []).map((g) => g[0]!),
    ];
    expect(missing).toEqual(expected);
    for (const m of missingParams(agent, 'nfs1', {})) expect(m.message).toMatch(new RegExp(`^${name} needs .+: set \\S+`));
  });

  it('the installed agent still publishes the parameters of the fixture', async () => {
    const bin = name === 'fence_xvm' ? 'fence_xvm' : name;
    const r = await execa(bin, ['-o', 'metadata'], { reject: false, env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
    expect(r.exitCode, `${bin} must be installed (test/setup/install-tools.sh): ${r.shortMessage ?? ''}`).toBe(0);
    expect([...metaParams(String(r.stdout)).values()]).toEqual([...meta.values()]);
  });
});

describe('the table', () => {
  it('offers the common agents of two-node clusters, each once', () => {
    const names = FENCE_AGENTS.map((a) => a.agent);
    expect(names).toEqual(expect.arrayContaining(['fence_ipmilan', 'fence_redfish', 'fence_virsh', 'fence_vmware_rest', 'fence_xvm']));
    expect(new Set(names).size).toBe(names.length);
  });

  it('the plug of a virtual machine defaults to the node name (as Pacemaker would pass it)', () => {
    expect(initialParams(FENCE_AGENTS.find((a) => a.agent === 'fence_virsh')!, 'nfs2')).toEqual({ plug: 'nfs2' });
    expect(initialParams(FENCE_AGENTS.find((a) => a.agent === 'fence_vmware_rest')!, 'nfs2')).toEqual({ ssl: '1', plug: 'nfs2', ssl_insecure: '0' });
  });

  it('a deprecated alias is reported as such, with the current name', () => {
    const redfish = FENCE_AGENTS.find((a) => a.agent === 'fence_redfish')!;
    const m = missingParams(redfish, 'nfs1', { ip: '10.0.0.1', login: 'admin', password: 'x' });
    expect(m).toEqual([
      { param: 'username', message: "login is the deprecated name of username (a user of nfs1's BMC): fence_redfish still takes it, but rename it to username", deprecatedAlias: 'login' },
    ]);
  });
});
