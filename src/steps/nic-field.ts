// NIC choice fields shared by the DRBD (replication) and network (service) steps: the options are the
// node's probed NICs, and changing the NIC moves the address along unless one was typed.
import { getPath, setPath } from './draft.js';
import { ipv4Of, usableNics } from './defaults.js';
import type { Draft, FieldDef, StepContext } from './types.js';

export function nicFields(ctx: StepContext, node: 0 | 1, role: 'service' | 'replication', label: string): FieldDef[] {
  const facts = ctx.facts?.[node];
  const nics = facts ? usableNics(facts) : [];
  const host = facts?.hostname ?? `node ${node + 1}`;
  const nicPath = `nodes[${node}].${role}.interface`;
  const addrPath = `nodes[${node}].${role}.address`;
  return [
    {
      path: nicPath,
      label: `${label} NIC (${host})`.slice(0, 26),
      kind: 'select',
      options: nics.map((n) => ({
        value: n.name,
        explain: `${n.name}: ${n.state}${n.speedMbps ? `, ${n.speedMbps} Mb/s` : ''}, ${n.addresses.filter((a) => !a.includes(':')).join(', ') || 'no IPv4 address'}`,
      })),
      write: (d: Draft, v: unknown) => {
        const old = nics.find((n) => n.name === getPath(d, nicPath));
        const typed = getPath(d, addrPath);
        let out = setPath(d, nicPath, v);
        if (typed === undefined || typed === '' || typed === ipv4Of(old)) out = setPath(out, addrPath, ipv4Of(nics.find((n) => n.name === v)) ?? '');
        return out;
      },
    },
    { path: addrPath, label: `  address`, kind: 'text', hint: `${label} address of ${host} with its prefix, e.g. 192.168.1.11/24.` },
  ];
}
