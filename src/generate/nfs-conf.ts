// /etc/nfs.conf.d/hanfs.conf: which NFS versions the server speaks (nfs.versions), read by rpc.nfsd and
// the other nfs-utils daemons (nfs.conf(5)). A drop-in rather than an edit of /etc/nfs.conf, so package
// upgrades keep their own file and ours stays readable.
import type { Answers } from '../answers/schema.js';

const yn = (on: boolean) => (on ? 'y' : 'n');

export function renderNfsConf(a: Answers): string {
  const v3 = a.nfs.versions.includes(3);
  const v4 = a.nfs.versions.includes(4);
  const L = [
    `# NFS versions for hanfs-wizard cluster ${a.cluster.name}: ${a.nfs.versions.map((v) => `NFSv${v}`).join(' and ')}.`,
    '# Install as /etc/nfs.conf.d/hanfs.conf on both nodes. Pacemaker (ocf:heartbeat:nfsserver) starts',
    '# the server on the DRBD Primary only: do not enable nfs-server.service at boot.',
    '[nfsd]',
    // NFSv2 is obsolete and unsafe (no large files, weak semantics); kernels may still offer it.
    'vers2=n',
    `vers3=${yn(v3)}`,
    `vers4=${yn(v4)}`,
  ];
  if (v4) {
    // NFSv4.0 keeps its client state differently and recovers worse after failover; 4.1 and 4.2 are on
    // by default and are what current clients use. 4.0 stays on for older clients.
    L.push('vers4.1=y', 'vers4.2=y');
  }
  if (v4 && !v3) {
    L.push(
      '# NFSv4 only: NFSv4 needs neither rpcbind nor rpc.statd (NLM locking is NFSv3). They are not switched',
      '# off here, because nfs.conf cannot do it safely: the nfsserver resource agent starts and checks',
      '# them unless its nfsv4_only=true parameter is set. Masking rpcbind and rpc-statd is therefore done',
      '# together with nfsv4_only=true, never alone.',
    );
  }
  if (v3) {
    L.push(
      '# NFSv3: rpc.statd and sm-notify keep lock state; the cluster keeps it on the replicated filesystem',
      '# (nfsserver and nfsnotify resources), so clients reclaim their locks after a failover.',
    );
  }
  return `${L.join('\n')}\n`;
}
