// DIR/README.md of an export: what each file is, where it goes, the order to apply by hand, and the
// warnings of the answers. It is built from the answers alone: no secret can reach it (the secrets live
// only in the 0600 per-node files it points to).
import type { Answers } from '../answers/schema.js';
import type { Problem } from '../answers/semantic.js';
import { MD_HOMEHOST, lvPath, mdArrayName, nfsStateDir } from '../answers/derived.js';
import { NFSD_LEASE_SECONDS, STATD_DIR } from './nfs-conf.js';

/** The lines of the README go through one `out`, section by section. */
export function renderExportReadme(a: Answers, warnings: Problem[]): string {
  const L: string[] = [];
  const out = (s = '') => L.push(s);
  intro(a, out);
  cautions(a, warnings, out);
  fileTable(a, out);
  byHand(a, out);
  out('## Exports');
  out();
  for (const e of a.nfs.exports) out(`- \`${e.path}\` to \`${e.clients}\` (${e.options})`);
  out();
  clients(a, out);
  return `${L.join('\n')}\n`;
}

/**
 * How clients should mount, and why: what they see while the service moves is decided on their side too.
 * The numbers are the Linux client's (net/sunrpc/xprtsock.c, fs/nfs/nfs4renewd.c; docs/ha-tuning.md).
 */
function clients(a: Answers, out: (s?: string) => void): void {
  const vip = a.virtualIp.address.split('/')[0];
  const path = a.nfs.exports[0]?.path ?? a.filesystem.mount;
  const v4 = a.nfs.versions.includes(4);
  out('## Clients');
  out();
  out('Mount through the virtual IP, never a node\'s own address:');
  out();
  out(`    mount -t nfs -o ${v4 ? 'vers=4.2' : 'vers=3'},hard ${vip}:${path} /mnt`);
  out();
  out('- `hard` (the default; never `soft` or `softerr`): while the service moves to the other node (a failover,');
  out('  a switchover, a node put in standby) I/O waits and then resumes; a soft mount returns errors to the');
  out('  applications instead.');
  if (v4) {
    out(`- NFSv4.1 or later: the Linux client (6.1) times its TCP connection by the server's lease (${NFSD_LEASE_SECONDS} s here): it`);
    out(`  gives up a connection that gets no answer after ${NFSD_LEASE_SECONDS} s and waits at most ${NFSD_LEASE_SECONDS / 2} s before the next attempt, so`);
    out('  it finds the moved address within seconds to tens of seconds, and reclaims its open files and locks.');
  }
  out('- `timeo`/`retrans` need no change for this: on Linux 6.1 over TCP they time the RPC retries and the');
  out('  "server not responding" message, not the reconnect.');
  out();
}

/** What the export sets up, in one paragraph. */
function intro(a: Answers, out: (s?: string) => void): void {
  const [n0, n1] = a.nodes;
  const res = a.drbd.resource;
  out(`# hanfs-wizard export: cluster \`${a.cluster.name}\` (${n0.name}, ${n1.name})`);
  out();
  out(`Highly available NFS: ${n0.disks.length} disks per node -> RAID1 \`${a.raid.device}\` -> LVM \`${lvPath(a)}\` ->`);
  out(`DRBD \`${a.drbd.device}\` (resource \`${res}\`, DRBD ${a.drbd.version}) -> ${a.filesystem.type} on \`${a.filesystem.mount}\` -> NFS ${a.nfs.versions.map((v) => `v${v}`).join('+')},`);
  out(`served at \`${a.virtualIp.address}\`. Pacemaker + Corosync decide which node is DRBD Primary and run the services there.`);
  out();
}

/** No fencing, and the warnings of the answers: what to decide knowingly. */
function cautions(a: Answers, warnings: Problem[], out: (s?: string) => void): void {
  if (a.pacemaker.stonith === 'none') {
    out('> **WARNING: NO STONITH (FENCING) IS CONFIGURED.**');
    out('> The cluster runs with `stonith-enabled=false`. If a node stops answering but keeps writing (hung, or cut');
    out('> off on both Corosync links), nothing can power it off: both nodes may run the service and the data');
    out('> can diverge (split brain). DRBD resource-level fencing narrows this window but does not close it.');
    out('> Configure a fence device (`pacemaker.stonith` in the answers, e.g. fence_ipmilan) before production.');
    out();
  }
  if (warnings.length) {
    out('## Warnings');
    out();
    out('These answers work, but each is a choice to make knowingly:');
    out();
    for (const w of warnings) out(`- \`${w.path}\`: ${w.message}`);
    out();
  }
}

/** Each file of the tree, where it goes, its mode. */
function fileTable(a: Answers, out: (s?: string) => void): void {
  const [n0, n1] = a.nodes;
  const res = a.drbd.resource;
  out('## Files');
  out();
  out('Per node, at the path where each file is installed (`<node>/` stands for each of');
  out(`\`${n0.name}/\` and \`${n1.name}/\`; the two copies differ only where noted):`);
  out();
  out('| File | What it is | Mode |');
  out('|---|---|---|');
  out(`| \`<node>/etc/mdadm/mdadm.conf\` | RAID1 of that node's two disks, assembled as \`${a.raid.device}\` by name \`${mdArrayName(a)}\` (per node: the disks may differ) | 0644 |`);
  out(`| \`<node>/etc/drbd.d/${res}.res\` | DRBD resource; **holds the shared secret** | 0600 |`);
  out('| `<node>/etc/corosync/corosync.conf` | Corosync membership: knet link 0 on the replication NIC, link 1 on the service NIC | 0644 |');
  out('| `<node>/etc/corosync/authkey` | Corosync key (**secret**, identical on both nodes) | 0400 |');
  out('| `<node>/etc/nfs.conf.d/hanfs.conf` | NFS versions the server offers | 0644 |');
  out('| `<node>/etc/systemd/system/nfsdcld.service.d/hanfs.conf` | stops nfsdcld with the NFS server, so the service can move | 0644 |');
  out('| `<node>/etc/systemd/system/nfs-server.service.d/hanfs-scope.conf` | the NFS server\'s scope is the virtual IP on both nodes, so clients reclaim their state after a failover | 0644 |');
  out('| `<node>/etc/systemd/system/hanfs-snapshot.service`, `.timer` | Scheduled LVM snapshots (acts only on the DRBD Primary) | 0644 |');
  out(`| \`<node>/usr/local/sbin/hanfs-snapshot\` | The snapshot script: keeps ${a.backups.snapshots.keep}, refuses to fill the VG | 0755 |`);
  out('| `monitor/hanfs-monitor-textfile.service`, `.timer` | Optional, not installed by apply: `hanfs-wizard monitor --prometheus` every minute for node_exporter\'s textfile collector (docs/monitor-prometheus.md); copy to /etc/systemd/system where node_exporter runs, then `systemctl enable --now hanfs-monitor-textfile.timer` | 0644 |');
  out('| `cluster/cib.xml` | The Pacemaker configuration, loadable with `cibadmin` | 0644 |');
  out('| `cluster/setup.crm` | The same as crmsh commands (Debian, Ubuntu, SUSE) | 0644 |');
  out('| `cluster/setup-pcs.sh` | The same as pcs commands (RHEL, Alma, Rocky) | 0755 |');
  out('| `plan/<node>.sh` | Every command for that node, in order; destructive ones marked | 0755 |');
  out('| `answers.yaml` | The answers this export was made from; secrets replaced by `<redacted>` | 0644 |');
  out();
  out('Copy the secret files with their modes (`cp -p`, `install -m 0600`); never paste them into tickets or chats.');
  out();
}

/** The order to apply by hand. */
function byHand(a: Answers, out: (s?: string) => void): void {
  const [n0] = a.nodes;
  const res = a.drbd.resource;
  out('## Applying by hand');
  out();
  out('`hanfs-wizard apply --answers FILE` (with your original answers file) does all of this; `plan/<node>.sh` lists the exact commands.');
  out('By hand, in this order (steps 1-5 on both nodes):');
  out();
  out(`1. Install the packages: mdadm, lvm2, drbd-utils (DRBD ${a.drbd.version} kernel module), pacemaker, corosync, crmsh or pcs,`);
  out('   resource-agents, nfs-kernel-server (nfs-utils), and the fence agents if you use STONITH.');
  out(`2. RAID1: create \`${a.raid.device}\` from the node's two disks (\`--homehost=${MD_HOMEHOST} --name=${mdArrayName(a).split(':')[1]}\`; **destroys their data**),`);
  out(`   install \`etc/mdadm/mdadm.conf\`. The wildcard homehost keeps the name ${a.raid.device} at boot, initramfs rebuilt or not.`);
  out(`3. LVM: \`pvcreate ${a.raid.device}\`, \`vgcreate ${a.lvm.vg}\`, \`lvcreate -n ${a.lvm.lv}\` at ${a.lvm.size}; the rest of the VG stays free for snapshots.`);
  out(`4. DRBD: install \`etc/drbd.d/${res}.res\` (0600), \`drbdadm create-md ${res}\`, \`drbdadm up ${res}\`.`);
  out(`   ${a.drbd.initialSync === 'skip' ? `Fresh disks: once both are connected, skip the initial sync on ${n0.name} only, as \`plan/${n0.name}.sh\` does (DRBD's new-current-uuid --clear-bitmap).` : `On ${n0.name} only: \`drbdadm primary --force ${res}\` starts the full initial sync.`}`);
  out(`   Then on ${n0.name}, as DRBD Primary: make the ${a.filesystem.type} filesystem on \`${a.drbd.device}\`, create the export directories`);
  out(`   and \`${nfsStateDir(a)}\` under \`${a.filesystem.mount}\`, unmount, \`drbdadm secondary ${res}\`.`);
  out(`5. Install \`etc/nfs.conf.d/hanfs.conf\`${a.nfs.versions.includes(3) ? ` (and \`mkdir -p ${STATD_DIR}/sm ${STATD_DIR}/sm.bak; chown statd:nogroup ${STATD_DIR} ${STATD_DIR}/sm ${STATD_DIR}/sm.bak\`)` : ''}, the nfsdcld and nfs-server drop-ins (\`systemctl daemon-reload\`); disable nfs-server`);
  out('   at boot (Pacemaker starts it); install the Corosync files (authkey 0400), `systemctl enable --now corosync');
  out('   pacemaker`; install the snapshot script and units and');
  out('   `systemctl enable --now hanfs-snapshot.timer`.');
  out('6. On one node, once both are online (`crm_mon -1`): load `cluster/cib.xml`');
  out('   (`cibadmin --replace --xml-file cluster/cib.xml`), or run `crm configure load update cluster/setup.crm`,');
  out('   or `sh cluster/setup-pcs.sh`: one of the three, they are the same configuration.');
  out(`7. Check: \`crm_mon -1\` shows DRBD Promoted on one node and the service there; clients mount \`${a.virtualIp.address.split('/')[0]}\`.`);
  out();
}
