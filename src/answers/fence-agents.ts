// The fence agents the wizard offers for STONITH, with the per-node parameters each one needs. Names,
// requirements and defaults follow the agents' own metadata (`fence_<agent> -o metadata`, fence-agents and
// fence-virt 4.12.1), kept as fixtures in test/fixtures/fence-agents/ and checked against this table by
// test/answers/fence-agents.test.ts. Only current parameter names are used, never deprecated aliases
// (ipaddr, login, passwd, port), though the aliases are known so an answers file using one gets told.
// Pure data: the answers' semantic checks import it too.

export interface FenceParam {
  /** The agent's parameter name, as written in the answers file and the CIB. */
  name: string;
  /** Short label; the wizard puts the node's name in front of it. */
  label: string;
  /** What the value is, for that node: used in the hint and in error messages. */
  what: (node: string) => string;
  /** The sentence shown while the field has the focus. */
  hint: (node: string) => string;
  /** text: typed; flag: an agent boolean the wizard offers as yes ("1") / no ("0"). */
  kind: 'text' | 'flag';
  /** Flags: one plain sentence for each choice. */
  yes?: string;
  no?: string;
  /** A credential: redacted in the export (SECRET_PARAMETER in src/answers/serialize.ts matches its name). */
  secret: boolean;
  /** The wizard and the answers checks insist on a value. */
  required: boolean;
  /** Filled in when the agent is chosen; "node-name" stands for the node's own name. */
  default?: string | { nodeName: true };
  /** The deprecated name the agent still accepts for this parameter (metadata's obsoletes=). */
  obsoletes?: string;
}

export interface FenceAgent {
  agent: string;
  /** One plain sentence: what happens when this agent fences a node. */
  explain: string;
  params: FenceParam[];
  /** Parameters given a fixed value for every node, not asked (shown in the answers file). */
  fixed?: Record<string, string>;
  /** Groups of which at least one parameter must be given (e.g. a password or an SSH key). */
  anyOf?: string[][];
}

const FLAG_ON = '1';

const bmc = (proto: string): FenceParam[] => [
  {
    name: 'ip',
    label: 'BMC address',
    what: (n) => `the address of ${n}'s BMC`,
    hint: (n) => `The address of ${n}'s BMC (${proto}), on a network the other node reaches; fencing ${n} is done from there.`,
    kind: 'text',
    secret: false,
    required: true,
    obsoletes: 'ipaddr',
  },
  {
    name: 'username',
    label: 'BMC user',
    what: (n) => `a user of ${n}'s BMC`,
    hint: (n) => `A BMC user of ${n} allowed to switch it off (operator or administrator).`,
    kind: 'text',
    secret: false,
    required: true,
    obsoletes: 'login',
  },
  {
    name: 'password',
    label: 'BMC password',
    what: (n) => `the password of ${n}'s BMC user`,
    hint: () => 'Kept in the answers file (keep it 0600); the export\'s answers.yaml shows it as <redacted>.',
    kind: 'text',
    secret: true,
    required: true,
    obsoletes: 'passwd',
  },
];

const sslInsecure: FenceParam = {
  name: 'ssl_insecure',
  label: 'Skip TLS check',
  what: () => 'whether to skip the TLS certificate check',
  hint: () => 'Whether the node accepts a certificate it cannot verify.',
  kind: 'flag',
  yes: 'yes: accept a self-signed certificate (ssl_insecure); the connection is encrypted but not authenticated.',
  no: 'no: the certificate must be one the node trusts (signed by a CA in its store).',
  secret: false,
  required: false,
  default: '0',
};

const guestName = (tool: string): FenceParam => ({
  name: 'plug',
  label: tool === 'virsh' ? 'libvirt domain' : 'VM name',
  what: (n) => (tool === 'virsh' ? `${n}'s libvirt domain name` : `${n}'s VM name in vCenter`),
  hint: (n) =>
    tool === 'virsh'
      ? `${n}'s domain name on its host, as \`virsh list --all\` shows it (Pacemaker's default is the node name).`
      : `${n}'s virtual machine name as vCenter shows it (Pacemaker's default is the node name).`,
  kind: 'text',
  secret: false,
  required: true,
  default: { nodeName: true },
  obsoletes: 'port',
});

export const FENCE_AGENTS: FenceAgent[] = [
  {
    agent: 'fence_ipmilan',
    explain: 'fence_ipmilan: the survivor switches its peer off through the peer\'s BMC over IPMI (iDRAC, iLO, IMM, most server boards).',
    params: [
      ...bmc('IPMI'),
      {
        name: 'lanplus',
        label: 'IPMI 2.0 (lanplus)',
        what: () => 'whether to use IPMI 2.0',
        hint: () => 'Whether to talk IPMI 2.0 to the BMC.',
        kind: 'flag',
        yes: 'yes: IPMI 2.0 (lanplus), encrypted sessions, what current BMCs expect.',
        no: 'no: IPMI 1.5, only for old boards that lack IPMI 2.0.',
        secret: false,
        required: false,
        default: FLAG_ON,
      },
    ],
  },
  {
    agent: 'fence_redfish',
    explain: 'fence_redfish: the survivor switches its peer off through the peer\'s BMC over Redfish (HTTPS), which current iDRAC, iLO and XClarity speak.',
    params: [...bmc('Redfish'), sslInsecure],
  },
  {
    agent: 'fence_virsh',
    explain: 'fence_virsh: for KVM/libvirt guests: the survivor logs in to its peer\'s host by SSH and stops the peer\'s domain with virsh.',
    params: [
      {
        name: 'ip',
        label: 'KVM host',
        what: (n) => `the address of the KVM host that runs ${n}`,
        hint: (n) => `The libvirt host that runs ${n}, reached by SSH from the other node.`,
        kind: 'text',
        secret: false,
        required: true,
        obsoletes: 'ipaddr',
      },
      {
        name: 'username',
        label: 'host SSH user',
        what: (n) => `the SSH user on ${n}'s host`,
        hint: () => 'A user on that host allowed to run virsh (root, or a member of the libvirt group).',
        kind: 'text',
        secret: false,
        required: true,
        obsoletes: 'login',
      },
      {
        name: 'password',
        label: 'host password',
        what: (n) => `the SSH password on ${n}'s host`,
        hint: () => 'That user\'s SSH password; leave empty when an SSH key file is given. Shown as <redacted> in the export.',
        kind: 'text',
        secret: true,
        required: false,
        obsoletes: 'passwd',
      },
      {
        name: 'identity_file',
        label: 'host SSH key file',
        what: (n) => `the SSH key file for ${n}'s host`,
        hint: () => 'Path, on the other node, of a private key that logs in to the host; instead of the password.',
        kind: 'text',
        secret: false,
        required: false,
      },
      guestName('virsh'),
    ],
    anyOf: [['password', 'identity_file']],
  },
  {
    agent: 'fence_vmware_rest',
    explain: 'fence_vmware_rest: for VMware vSphere VMs: the survivor powers its peer\'s VM off through vCenter\'s REST API (HTTPS).',
    params: [
      {
        name: 'ip',
        label: 'vCenter address',
        what: () => 'the vCenter address',
        hint: () => 'The vCenter (or ESXi host) that manages both VMs, reached over HTTPS from both nodes.',
        kind: 'text',
        secret: false,
        required: true,
        obsoletes: 'ipaddr',
      },
      {
        name: 'username',
        label: 'vCenter user',
        what: () => 'a vCenter user',
        hint: () => 'A vCenter user allowed to power the VMs off and on (e.g. fence@vsphere.local).',
        kind: 'text',
        secret: false,
        required: true,
        obsoletes: 'login',
      },
      {
        name: 'password',
        label: 'vCenter password',
        what: () => 'the vCenter user\'s password',
        hint: () => 'Kept in the answers file (keep it 0600); the export\'s answers.yaml shows it as <redacted>.',
        kind: 'text',
        secret: true,
        required: true,
        obsoletes: 'passwd',
      },
      guestName('vmware'),
      sslInsecure,
    ],
    // The agent talks plain HTTP on port 80 unless told to use TLS; vCenter's REST API is HTTPS only.
    fixed: { ssl: FLAG_ON },
  },
  {
    agent: 'fence_xvm',
    explain: 'fence_xvm: for KVM guests whose host runs fence_virtd: the survivor asks the host, signed with the shared key /etc/cluster/fence_xvm.key, to stop its peer\'s domain.',
    params: [
      {
        name: 'plug',
        label: 'libvirt domain',
        what: (n) => `${n}'s libvirt domain name`,
        hint: (n) => `${n}'s domain name on its host, as \`virsh list --all\` shows it; the key file must be on both nodes and the host.`,
        kind: 'text',
        secret: false,
        required: true,
        default: { nodeName: true },
        obsoletes: 'port',
      },
    ],
  },
];

export function fenceAgent(agent: string): FenceAgent | undefined {
  return FENCE_AGENTS.find((a) => a.agent === agent);
}

/** A node's parameters when the agent is chosen: the fixed ones and the defaults, nothing else. */
export function initialParams(agent: FenceAgent, node: string): Record<string, string> {
  const out: Record<string, string> = { ...(agent.fixed ?? {}) };
  for (const p of agent.params) {
    if (p.default === undefined) continue;
    out[p.name] = typeof p.default === 'string' ? p.default : node;
  }
  return out;
}

export interface MissingParam {
  /** The parameter the problem is reported on. */
  param: string;
  message: string;
  /** The parameter is given under its deprecated name (ipaddr for ip): the agent still takes it. */
  deprecatedAlias?: string;
}

const given = (params: Record<string, unknown>, name: string) => params[name] !== undefined && String(params[name]).trim() !== '';

/**
 * What one node's parameters lack for this agent: each required parameter, and each anyOf group with
 * nothing given. Messages say what to set (and name a deprecated alias found instead).
 */
export function missingParams(agent: FenceAgent, node: string, params: Record<string, unknown>): MissingParam[] {
  const out: MissingParam[] = [];
  for (const p of agent.params) {
    if (!p.required || given(params, p.name)) continue;
    if (p.obsoletes !== undefined && given(params, p.obsoletes)) {
      out.push({ param: p.name, message: `${p.obsoletes} is the deprecated name of ${p.name} (${p.what(node)}): ${agent.agent} still takes it, but rename it to ${p.name}`, deprecatedAlias: p.obsoletes });
      continue;
    }
    out.push({ param: p.name, message: `${agent.agent} needs ${p.what(node)}: set ${p.name}` });
  }
  for (const group of agent.anyOf ?? []) {
    if (group.some((g) => given(params, g))) continue;
    const whats = group.map((g) => agent.params.find((p) => p.name === g)?.what(node) ?? g);
    out.push({ param: group[0]!, message: `${agent.agent} needs ${whats.join(' or ')}: set ${group.join(' or ')}` });
  }
  return out;
}
