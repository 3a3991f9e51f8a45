// /etc/nfs.conf.d/hanfs.conf: which NFS versions the server speaks (nfs.versions), read by rpc.nfsd and
// the other nfs-utils daemons (nfs.conf(5)). A drop-in rather than an edit of /etc/nfs.conf, so package
// upgrades keep their own file and ours stays readable.
import type { Answers } from '../answers/schema.js';
import { hostAddress } from '../answers/derived.js';

const yn = (on: boolean) => (on ? 'y' : 'n');

/** NFSv4 grace period after the server starts (nfsd's default 90 s); see docs/ha-tuning.md. */
export const NFSD_GRACE_SECONDS = 60;
/** NFSv4 lease time (default 90 s): at most the grace period, so idle clients reclaim within it. */
export const NFSD_LEASE_SECONDS = 30;

/**
 * statd's state directory (its monitor list sm/, the notify list sm.bak/, the NSM state number). Debian
 * builds nfs-utils with /var/lib/nfs itself (nfs-common's /var/lib/nfs/sm, sm.bak; sm-notify(8) FILES),
 * Red Hat with /var/lib/nfs/statd, and ocf:heartbeat:nfsnotify runs `sm-notify -P /var/lib/nfs/statd`
 * unconditionally (STATD_PATH in heartbeat/nfsnotify.in, resource-agents 4.12 and 4.16): on a stock
 * Debian node that directory does not exist and the agent notifies nobody, successfully. rpc.statd and
 * sm-notify both read `[statd] state-directory-path` from nfs.conf, so this one line moves Debian's statd
 * to where the agents look; apply creates the directory on both nodes (the nfs phase's statd-dir step),
 * which also makes ocf:heartbeat:nfsserver take it as its STATD_PATH and create sm/ and sm.bak/ in the
 * replicated state directory.
 */
export const STATD_DIR = '/var/lib/nfs/statd';

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
    L.push(
      '# After a failover the server refuses new OPENs for the grace period, so clients can first reclaim',
      `# what they held (docs/ha-tuning.md). ${NFSD_GRACE_SECONDS} s instead of 90: it must cover starting the exports and the`,
      '# virtual IP after nfsd (35 s in the emulated lab) plus every client\'s reconnect and reclaim, and the',
      '# server ends it early once every known client has reclaimed. The lease must not exceed the grace',
      `# period (an idle client notices the new server at its next renewal, within 2/3 of a lease).`,
      `grace-time=${NFSD_GRACE_SECONDS}`,
      `lease-time=${NFSD_LEASE_SECONDS}`,
    );
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
      '[statd]',
      `# ${STATD_DIR}, not Debian's /var/lib/nfs: the cluster's nfsnotify resource hands sm-notify this`,
      '# directory (fixed in the agent), so statd must keep the list of NFSv3 clients there, or after a',
      '# failover nobody is told to reclaim their locks (docs/ha-tuning.md, "NFSv3 locks").',
      `state-directory-path=${STATD_DIR}`,
      '# statd does not notify anyone itself when it starts: the nfsserver resource starts it as a bare',
      '# rpc.statd on Debian (through the init script, so without the unit\'s RPC_STATD_NO_NOTIFY), and that',
      '# sm-notify would use up the list before the virtual IP exists, from the node\'s own address and name,',
      '# which clients ignore. The nfsnotify resource notifies them after the IP is up, from the IP.',
      'no-notify=1',
    );
  }
  return `${L.join('\n')}\n`;
}

/** Where apply installs renderNfsdcldDropin's text on both nodes (then `systemctl daemon-reload`). */
export const NFSDCLD_DROPIN_PATH = '/etc/systemd/system/nfsdcld.service.d/hanfs.conf';

/**
 * A systemd drop-in that stops nfsdcld (the NFSv4 client-tracking daemon) whenever nfs-server stops.
 * nfs-server.service pulls nfsdcld in (Wants=) but never stops it, and ocf:heartbeat:nfsserver on
 * Debian drives the server through /etc/init.d/nfs-kernel-server, whose stop path does not stop it
 * either (resource-agents 4.12). nfsdcld keeps its database open under /var/lib/nfs, which the agent
 * bind-mounts from the replicated filesystem (nfs_shared_infodir) and must unmount on stop: the stop
 * fails ("Failed to unmount a bind mount"), and without fencing the service is blocked on the old node.
 * The lab's service-link drill hit exactly that (docs/ha-tuning.md); with nfsdcld stopped the same
 * stop succeeded and the service moved. PartOf= propagates the server's stop (and restart) to nfsdcld.
 */
export function renderNfsdcldDropin(a: Answers): string {
  return [
    `# hanfs-wizard cluster ${a.cluster.name}: stop the NFSv4 client-tracking daemon with the NFS server, so`,
    '# the cluster can unmount the replicated NFS state directory it keeps open (docs/ha-tuning.md).',
    '[Unit]',
    'PartOf=nfs-server.service',
    '',
  ].join('\n');
}

/** Where apply installs renderFsiddDropin's text on both nodes (then `systemctl daemon-reload`). */
export const FSIDD_DROPIN_PATH = '/etc/systemd/system/fsidd.service.d/hanfs.conf';

/**
 * The same for fsidd, nfs-utils 2.8's FSID daemon (Debian 13; fsidd.service is RequiredBy nfs-server and
 * nfs-mountd, so the server's start starts it, its stop does not stop it). fsidd keeps
 * /var/lib/nfs/reexpdb.sqlite3 open inside the bind mount of the replicated state directory: the first
 * graceful move on the Debian 13 lab failed on it exactly as nfsdcld's did on Debian 12 ("Failed to unmount
 * a bind mount", `fuser -vm /var/lib/nfs`: fsidd; docs/lab.md). Debian 12's nfs-utils 2.6.2 has no fsidd:
 * there the drop-in belongs to no unit and changes nothing.
 */
export function renderFsiddDropin(a: Answers): string {
  return [
    `# hanfs-wizard cluster ${a.cluster.name}: stop nfs-utils' FSID daemon with the NFS server, so the cluster`,
    '# can unmount the replicated NFS state directory it keeps its database in (docs/ha-tuning.md).',
    '[Unit]',
    'PartOf=nfs-server.service',
    '',
  ].join('\n');
}

/** Where apply installs renderNfsScopeDropin's text on both nodes (then `systemctl daemon-reload`). */
export const NFS_SCOPE_DROPIN_PATH = '/etc/systemd/system/nfs-server.service.d/hanfs-scope.conf';

/** The program nfs-server.service starts (Debian 12 and RHEL alike: ExecStart=/usr/sbin/rpc.nfsd). */
export const RPC_NFSD = '/usr/sbin/rpc.nfsd';

/**
 * A systemd drop-in that starts nfsd with the virtual IP as its host name, in a UTS namespace of its own
 * (the rest of the node keeps its name): nfsd takes the NFSv4.1 server scope from the host name when it
 * starts, and a client reclaims its open and lock state after a failover only from a server with the
 * same scope (RFC 8881 8.4.2.1). One scope on both nodes: the survivor is the same server to the client.
 *
 * This is what ocf:heartbeat:nfsserver does for its nfs_server_scope parameter, with the same unshare
 * line, but the agent writes its drop-in under /run at every start, removes it at every stop and runs
 * `systemctl daemon-reload` both times: 30-40 s of every failover in the emulated lab, and a reload of
 * systemd on a node in the middle of taking over a service. Installed once here, nothing is reloaded
 * when the service moves; the generated CIB leaves the parameter out so the agent does not reload either.
 * `nfsd` is only a parameter so a test can run the same line with a harmless program in its place.
 */
export function renderNfsScopeDropin(a: Answers, nfsd = RPC_NFSD): string {
  const scope = hostAddress(a.virtualIp.address);
  return [
    `# hanfs-wizard cluster ${a.cluster.name}: the NFS server's scope is the virtual IP ${scope} on both nodes, so`,
    '# clients reclaim their NFSv4 state after a failover (docs/ha-tuning.md). nfsd alone gets the name,',
    '# in a UTS namespace of its own; the node keeps its host name.',
    '[Service]',
    'ExecStart=',
    `ExecStart=/usr/bin/unshare --uts /bin/sh -c 'hostname ${scope} && exec ${nfsd}'`,
    '',
  ].join('\n');
}
