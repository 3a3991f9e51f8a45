// The service side: the NIC clients use on each node, the virtual IP they mount, and the ping targets
// that prove a node's service NIC still reaches the network.
import { formStep } from './form-step.js';
import { getPath, setDefault } from './draft.js';
import { defaultService, suggestPingTarget } from './defaults.js';
import { nicFields } from './nic-field.js';

export const networkStep = formStep({
  id: 'network',
  title: 'Service network and virtual IP',
  help:
    'Clients mount the virtual IP, which Pacemaker moves to the active node. It must be in the service ' +
    'subnet and used by no machine. Each node pings the targets; a node that loses them hands the service to ' +
    'its peer. The default gateway is the usual target.',
  fields: (_d, ctx) => [
    ...nicFields(ctx, 0, 'service', 'Service'),
    ...nicFields(ctx, 1, 'service', 'Service'),
    { path: 'virtualIp.address', label: 'Virtual IP', kind: 'text', hint: 'An unused address of the service subnet, with its prefix, e.g. 192.168.1.100/24.' },
    { path: 'ping.targets', label: 'Ping targets', kind: 'list', hint: 'Addresses outside the cluster, comma-separated; the default gateway is usual.' },
    {
      path: 'ping.whenAllLost',
      label: 'When no node can ping',
      kind: 'select',
      options: [
        { value: 'stop', explain: 'stop: no node reaches the network, so the service stops (the rehearsal shows it stopped) and starts where ping returns.' },
        { value: 'stay', explain: 'stay: the service keeps running where it is (the rehearsal shows it staying), ready the moment the network returns.' },
      ],
    },
  ],
  prefill: (d, ctx) => {
    let out = d;
    const [f0, f1] = ctx.facts ?? [];
    const svc = f0 && f1 ? defaultService(f0, f1) : null;
    if (svc) {
      out = setDefault(out, 'nodes[0].service.interface', svc.nic0);
      out = setDefault(out, 'nodes[0].service.address', svc.addr0);
      out = setDefault(out, 'nodes[1].service.interface', svc.nic1);
      out = setDefault(out, 'nodes[1].service.address', svc.addr1);
    }
    out = setDefault(out, 'virtualIp.address', '');
    const ping = suggestPingTarget(f0, getPath(out, 'nodes[0].service.address') as string | undefined);
    if (ping) out = setDefault(out, 'ping.targets', [ping.target]);
    return setDefault(out, 'ping.whenAllLost', 'stop');
  },
  // The file's check names the later of two equal addresses, which may be a replication field of the DRBD
  // step: say it here too, where the service address is being typed.
  extraErrors: (d) => {
    const errors: Record<string, string> = {};
    for (const i of [0, 1]) {
      const svc = getPath(d, `nodes[${i}].service.address`);
      for (const j of [0, 1]) {
        const rep = getPath(d, `nodes[${j}].replication.address`);
        if (typeof svc === 'string' && svc !== '' && typeof rep === 'string' && svc.split('/')[0] === rep.split('/')[0]) {
          errors[`nodes[${i}].service.address`] = `${svc} is already used by nodes[${j}].replication.address`;
        }
      }
    }
    return errors;
  },
  notes: (d, ctx) => {
    const ping = suggestPingTarget(ctx.facts?.[0], getPath(d, 'nodes[0].service.address') as string | undefined);
    return ping ? [`ping target suggested: ${ping.why}`] : [];
  },
});
