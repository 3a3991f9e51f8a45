// This node and its peer: how each is reached. "local" is the machine running the wizard; the peer is
// user@host[:port] over SSH (its host key is confirmed when probing starts). Both may be remote.
import { formStep } from './form-step.js';
import { setDefault } from './draft.js';
import { pickService } from './defaults.js';

export const nodesStep = formStep({
  id: 'nodes',
  title: 'The two nodes',
  help:
    'hanfs-wizard runs on the first node ("local") and reaches the second over SSH as user@host[:port]. ' +
    'To run from a third machine, give both nodes as user@host. The first connection shows the peer\'s SSH ' +
    'host key fingerprint (SHA256:...): compare it with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` ' +
    'on the peer before accepting. The cluster name is Corosync\'s cluster_name.',
  fields: () => [
    { path: 'nodes[0].ssh', label: 'First node (this one)', kind: 'text', hint: '"local" for this machine, or user@host[:port] when the wizard runs elsewhere.' },
    { path: 'nodes[1].ssh', label: 'Peer node (SSH)', kind: 'text', hint: 'user@host[:port] of the second node, e.g. root@192.168.1.12; you confirm its host key next.' },
    { path: 'cluster.name', label: 'Cluster name', kind: 'text', hint: '1-32 of a-z, 0-9 and -, starting with a letter; Corosync\'s cluster_name.' },
  ],
  prefill: (d, ctx) => {
    let out = setDefault(d, 'version', 1);
    out = setDefault(out, 'nodes[0].ssh', 'local');
    out = setDefault(out, 'cluster.name', 'hanfs');
    // In the demo the peer is known: suggest reaching it on its service address, as a user would type it.
    const [f0, f1] = ctx.facts ?? [];
    if (ctx.demo && f0 && f1) {
      const svc = pickService(f0, f1);
      if (svc) out = setDefault(out, 'nodes[1].ssh', `root@${svc.addr1.split('/')[0]}`);
    }
    return out;
  },
  notes: (_d, ctx) => {
    const f = ctx.facts?.[0];
    if (ctx.demo) return ['DEMO: both nodes are replayed from the embedded demo lab; nothing is contacted.'];
    if (!f) return [];
    return [`this node: ${f.hostname}, ${f.os?.prettyName ?? 'unknown OS'}, kernel ${f.kernel ?? '?'}`];
  },
});
