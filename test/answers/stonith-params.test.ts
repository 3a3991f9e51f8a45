// The answers checks of STONITH parameters: each node needs what its fence agent needs (the wizard's table,
// src/answers/fence-agents.ts, itself checked against the agents' metadata), with one line per problem
// naming the field and what to set; the export redacts the credentials and nothing else.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { formatProblems, validateAnswers } from '../../src/answers/load.js';
import { answersToYaml, REDACTED } from '../../src/answers/serialize.js';

const example = readFileSync('examples/answers.yaml', 'utf8');

function withStonith(stonith: unknown): Record<string, any> {
  const a = parse(example) as Record<string, any>;
  a.pacemaker.stonith = stonith;
  return a;
}

function problems(stonith: unknown): string[] {
  const r = validateAnswers(withStonith(stonith));
  return r.ok ? [] : formatProblems(r.problems).split('\n');
}

const virshNode = (host: string, domain: string) => ({ ip: host, username: 'root', identity_file: '/root/.ssh/id_ed25519', plug: domain });

describe('STONITH parameters per agent', () => {
  it('complete parameters pass for each offered agent', () => {
    const cases: Record<string, Record<string, string>> = {
      fence_ipmilan: { ip: '10.9.9.1', username: 'admin', password: 'pw', lanplus: '1' },
      fence_redfish: { ip: '10.9.9.1', username: 'admin', password: 'pw', ssl_insecure: '1' },
      fence_virsh: virshNode('kvm1', 'vm-nfs'),
      fence_vmware_rest: { ip: 'vcenter', username: 'fence@vsphere.local', password: 'pw', plug: 'vm-nfs', ssl: '1' },
      fence_xvm: { plug: 'vm-nfs' },
    };
    for (const [agent, params] of Object.entries(cases)) {
      expect(problems({ agent, nodes: { nfs1: params, nfs2: params } }), agent).toEqual([]);
    }
  });

  it('fence_virsh without the domain name or any credential: one line per missing parameter and node', () => {
    const lines = problems({ agent: 'fence_virsh', nodes: { nfs1: { ip: 'kvm1', username: 'root' }, nfs2: virshNode('kvm2', 'nfs2') } });
    expect(lines).toEqual([
      "error: pacemaker.stonith.nodes.nfs1.plug: fence_virsh needs nfs1's libvirt domain name: set plug",
      "error: pacemaker.stonith.nodes.nfs1.password: fence_virsh needs the SSH password on nfs1's host or the SSH key file for nfs1's host: set password or identity_file",
    ]);
  });

  it('fence_redfish without user and password; an empty value counts as missing', () => {
    const lines = problems({ agent: 'fence_redfish', nodes: { nfs1: { ip: '10.9.9.1', password: '' }, nfs2: { ip: '10.9.9.2', username: 'admin', password: 'pw' } } });
    expect(lines).toEqual([
      "error: pacemaker.stonith.nodes.nfs1.username: fence_redfish needs a user of nfs1's BMC: set username",
      "error: pacemaker.stonith.nodes.nfs1.password: fence_redfish needs the password of nfs1's BMC user: set password",
    ]);
  });

  it('a deprecated alias (ipaddr, login, passwd) still loads, with a warning naming the current name', () => {
    const r = validateAnswers(withStonith({ agent: 'fence_ipmilan', nodes: { nfs1: { ipaddr: '10.9.9.1', login: 'admin', passwd: 'pw' }, nfs2: { ip: '10.9.9.2', username: 'admin', password: 'pw' } } }));
    if (!r.ok) throw new Error(formatProblems(r.problems));
    expect(r.warnings.filter((w) => w.path.startsWith('pacemaker.stonith.')).map((w) => `${w.path}: ${w.message}`)).toEqual([
      "pacemaker.stonith.nodes.nfs1.ip: ipaddr is the deprecated name of ip (the address of nfs1's BMC): fence_ipmilan still takes it, but rename it to ip",
      "pacemaker.stonith.nodes.nfs1.username: login is the deprecated name of username (a user of nfs1's BMC): fence_ipmilan still takes it, but rename it to username",
      "pacemaker.stonith.nodes.nfs1.password: passwd is the deprecated name of password (the password of nfs1's BMC user): fence_ipmilan still takes it, but rename it to password",
    ]);
  });

  it('an agent the wizard does not offer is taken as written; a missing node is still an error', () => {
    expect(problems({ agent: 'fence_apc', nodes: { nfs1: { ip: 'pdu', plug: '1' }, nfs2: { ip: 'pdu', plug: '2' } } })).toEqual([]);
    const lines = problems({ agent: 'fence_virsh', nodes: { nfs1: virshNode('kvm1', 'nfs1') } });
    expect(lines).toEqual(['error: pacemaker.stonith.nodes: has no entry for nfs2: give the fence device parameters for every node']);
  });

  it('the export redacts the password of fence_virsh and vmware, not the host, user, key path or domain', () => {
    for (const [agent, params] of [
      ['fence_virsh', { ip: 'kvm1', username: 'root', password: 'hunter2', identity_file: '/root/.ssh/id_ed25519', plug: 'vm1' }],
      ['fence_vmware_rest', { ip: 'vcenter', username: 'fence', password: 'hunter2', plug: 'vm1', ssl: '1', ssl_insecure: '0' }],
    ] as const) {
      const r = validateAnswers(withStonith({ agent, nodes: { nfs1: params, nfs2: params } }));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const yaml = answersToYaml(r.answers, { redactSecrets: true });
      expect(yaml).not.toContain('hunter2');
      const out = parse(yaml).pacemaker.stonith.nodes.nfs1;
      expect(out).toEqual({ ...params, password: REDACTED });
    }
  });
});
