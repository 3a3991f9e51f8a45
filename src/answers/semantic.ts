// Cross-field checks of the answers: what the schema alone cannot see. Each problem names the field an
// admin must change and says what to do. Warnings are choices that work but that an admin should make
// knowingly; they are shown in the review and written into the export's README.
import { isAgentStonith, sbdOf, type Answers } from './schema.js';
import { checkFencingAnswers } from './fencing-checks.js';
import { contains, isNetworkOrBroadcast, parseCidr, sameSubnet, type Cidr } from './net.js';
import { nfsStateDir } from './derived.js';
import { fenceAgent, missingParams } from './fence-agents.js';
import { checkExportClients, checkExportOptions } from './export-options.js';

export interface Problem {
  /** Field path as in the file: nodes[1].replication.address */
  path: string;
  message: string;
}

const SYSTEM_DIRS = new Set(['/', '/etc', '/usr', '/var', '/boot', '/proc', '/sys', '/dev', '/run', '/bin', '/sbin', '/lib', '/lib64', '/tmp', '/root']);

function isUnder(path: string, dir: string): boolean {
  const d = dir.replace(/\/+$/, '');
  const p = path.replace(/\/+$/, '');
  return p === d || p.startsWith(`${d}/`);
}

type Report = (path: string, message: string) => void;

/**
 * The checks run in the order of the file's sections (nodes, addresses, virtual IP, ping, filesystem and
 * exports, fencing), so the problems are listed in that order; each part reports through err and warn.
 */
export function checkAnswers(a: Answers): { errors: Problem[]; warnings: Problem[] } {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const err: Report = (path, message) => errors.push({ path, message });
  const warn: Report = (path, message) => warnings.push({ path, message });
  checkNodes(a, err, warn);
  const all = nodeAddresses(a);
  checkAddresses(a, all, err, warn);
  checkVirtualIp(a, all, err, warn);
  checkPing(a, all, err, warn);
  checkStorage(a, err, warn);
  checkFencing(a, err, warn);
  return { errors, warnings };
}

/** Names, ssh, disks and their recorded identities. */
function checkNodes(a: Answers, err: Report, warn: Report): void {
  const [n0, n1] = a.nodes;

  if (n0.name.toLowerCase() === n1.name.toLowerCase()) {
    err('nodes[1].name', `${n1.name} is already the name of nodes[0]: the two nodes need distinct names`);
  }
  if (n0.ssh === 'local' && n1.ssh === 'local') {
    err('nodes[1].ssh', 'both nodes are "local": give the peer as user@host[:port]');
  }

  a.nodes.forEach((n, i) => {
    if (n.disks[0] === n.disks[1]) {
      err(`nodes[${i}].disks[1]`, `${n.disks[1]} is listed twice: RAID1 needs two different disks`);
    }
    // Kernel names follow probe order: after a reboot that reorders disks, /dev/sdb can be another disk,
    // and apply wipes what the answers name. The by-id link names the disk itself (model and serial).
    n.disks.forEach((d, j) => {
      if (!d.startsWith('/dev/disk/by-id/')) {
        warn(`nodes[${i}].disks[${j}]`, `${d} is not a /dev/disk/by-id/ name: a kernel name can point at another disk after a reboot that reorders them; give the disk's /dev/disk/by-id/ link (ls -l /dev/disk/by-id/ on ${n.name})${n.diskIdentity?.[d] ? '' : '; apply pins the disk it finds there at the first confirmed wipe (docs/apply.md)'}`);
      }
    });
    // The first node may also record SBD's shared disk: it writes the slots (cluster/sbd-create), and
    // --yes wipes only a disk whose identity is recorded (docs/apply.md), the SBD disk too.
    const sbdDisk = i === 0 ? sbdOf(a.pacemaker.stonith)?.device : undefined;
    for (const d of Object.keys(n.diskIdentity ?? {})) {
      if (!n.disks.includes(d) && d !== sbdDisk) err(`nodes[${i}].diskIdentity`, `${d} is not one of nodes[${i}].disks (${n.disks.join(', ')})${i === 0 ? ' nor the SBD disk (pacemaker.stonith.sbd.device)' : ''}: record the identity under the disk's name as disks gives it`);
    }
  });
}

// Addresses: every one parsed already by the schema, so parseCidr cannot fail here.
const addr = (s: string) => parseCidr(s)!;
type Named = { path: string; cidr: Cidr; text: string };

/** The nodes' four addresses, each with the field that gives it. */
function nodeAddresses(a: Answers): Named[] {
  const all: Named[] = [];
  a.nodes.forEach((n, i) => {
    all.push({ path: `nodes[${i}].service.address`, cidr: addr(n.service.address), text: n.service.address });
    all.push({ path: `nodes[${i}].replication.address`, cidr: addr(n.replication.address), text: n.replication.address });
  });
  return all;
}

function checkAddresses(a: Answers, all: Named[], err: Report, warn: Report): void {
  const [n0, n1] = a.nodes;
  for (const x of all) {
    if (isNetworkOrBroadcast(x.cidr)) err(x.path, `${x.text} is the network or broadcast address of its subnet: use a host address`);
  }
  // Same address twice anywhere among the nodes' four addresses.
  for (let i = 0; i < all.length; i++) {
    for (let j = 0; j < i; j++) {
      if (all[i]!.cidr.value === all[j]!.cidr.value) {
        // Name the other node when the clash is across nodes (as docs/answers.md's example), else the field.
        const nodeOf = (p: string) => p.slice(0, p.indexOf(']') + 1);
        const other = nodeOf(all[j]!.path) === nodeOf(all[i]!.path) ? all[j]!.path : nodeOf(all[j]!.path);
        err(all[i]!.path, `${all[i]!.text} is already used by ${other}`);
      }
    }
  }

  const s0 = addr(n0.service.address);
  const s1 = addr(n1.service.address);
  const r0 = addr(n0.replication.address);
  const r1 = addr(n1.replication.address);
  if (!sameSubnet(s0, s1)) {
    err('nodes[1].service.address', `${n1.service.address} is not in the subnet of nodes[0].service.address (${n0.service.address}): the virtual IP must be able to move between them`);
  }
  if (!sameSubnet(r0, r1)) {
    err('nodes[1].replication.address', `${n1.replication.address} is not in the subnet of nodes[0].replication.address (${n0.replication.address}): DRBD and Corosync need the two replication addresses in one subnet`);
  }
  a.nodes.forEach((n, i) => {
    if (n.service.interface === n.replication.interface) {
      warn(`nodes[${i}].replication.interface`, `replication shares ${n.service.interface} with the service NIC: DRBD's mirror traffic competes with clients, and one cable failure takes out both Corosync links`);
    }
  });
}

function checkVirtualIp(a: Answers, all: Named[], err: Report, warn: Report): void {
  const [n0, n1] = a.nodes;
  const s0 = addr(n0.service.address);
  const vip = parseCidr(a.virtualIp.address)!;
  if (!contains(s0, vip.value) || vip.prefix !== s0.prefix) {
    err('virtualIp.address', `${a.virtualIp.address} is not in the service subnet ${n0.service.address.replace(/\.\d+\//, '.0/')}: use an unused address of that subnet with the same prefix`);
  }
  if (isNetworkOrBroadcast(vip)) err('virtualIp.address', `${a.virtualIp.address} is the network or broadcast address: use a host address`);
  for (const x of all) {
    if (x.cidr.value === vip.value) err('virtualIp.address', `${a.virtualIp.address} is already used by ${x.path}: the virtual IP must be an address no node has`);
  }
  if (a.virtualIp.interface !== n0.service.interface && a.virtualIp.interface !== n1.service.interface) {
    warn('virtualIp.interface', `${a.virtualIp.interface} is neither node's service interface (${n0.service.interface}, ${n1.service.interface})`);
  }
}

function checkPing(a: Answers, all: Named[], err: Report, warn: Report): void {
  const vip = addr(a.virtualIp.address);
  // Ping targets prove the service NIC reaches the network; pinging our own addresses proves nothing.
  const seenTargets = new Set<string>();
  a.ping.targets.forEach((t, i) => {
    const path = `ping.targets[${i}]`;
    if (seenTargets.has(t)) err(path, `${t} is listed twice`);
    seenTargets.add(t);
    const value = parseCidr(`${t}/32`)!.value;
    if (value === vip.value) err(path, `${t} is the virtual IP: a ping target must be outside the cluster (the gateway is usual)`);
    for (const x of all) {
      if (x.cidr.value === value) err(path, `${t} is ${x.path}: a node's own address proves nothing about the network; use the gateway`);
    }
  });
  if (a.ping.whenAllLost === 'stay') {
    warn('ping.whenAllLost', 'stay: when no node can ping, the service keeps running where it is, even if its clients cannot reach it');
  }
}

/** The filesystem, its exports and the LVM room for snapshots. */
function checkStorage(a: Answers, err: Report, warn: Report): void {
  // Filesystem and exports
  const mount = a.filesystem.mount.replace(/\/+$/, '') || '/';
  if (SYSTEM_DIRS.has(mount)) err('filesystem.mount', `${a.filesystem.mount} is a system directory: mount the replicated filesystem on its own directory such as /srv/nfs`);
  const seenPaths = new Set<string>();
  a.nfs.exports.forEach((e, i) => {
    const path = `nfs.exports[${i}]`;
    if (!isUnder(e.path, mount)) err(`${path}.path`, `${e.path} is not under filesystem.mount (${a.filesystem.mount}): only the replicated filesystem survives failover`);
    if (isUnder(e.path, nfsStateDir(a))) err(`${path}.path`, `${e.path} is inside the NFS state directory ${nfsStateDir(a)}: export another directory`);
    const key = e.path.replace(/\/+$/, '');
    if (seenPaths.has(key)) err(`${path}.path`, `${e.path} is exported twice: put several clients in one export per path`);
    seenPaths.add(key);
    const opts = e.options.split(',');
    if (opts.some((o) => o.startsWith('fsid='))) err(`${path}.options`, 'fsid is set by hanfs-wizard (a stable one per export, so clients survive failover): remove it');
    // exports(5) as nfs-utils 2.6 reads it (export-options.ts): unknown or contradictory options would
    // fail only when the exportfs agent starts on the live cluster.
    const o = checkExportOptions(e.options);
    for (const m of o.errors) err(`${path}.options`, m);
    for (const m of o.warnings) warn(`${path}.options`, m);
    const c = checkExportClients(e.clients);
    for (const m of c.errors) err(`${path}.clients`, m);
    for (const m of c.warnings) warn(`${path}.clients`, m);
  });
  const versions = new Set(a.nfs.versions);
  if (versions.size !== a.nfs.versions.length) err('nfs.versions', 'lists a version twice');

  // LVM must keep room for the snapshots that make backups possible.
  if (/^100%/.test(a.lvm.size)) {
    err('lvm.size', `${a.lvm.size} leaves no free space for the LVM snapshots that backups.snapshots needs: use at most 90%VG`);
  } else if (/^(9[1-9])%/.test(a.lvm.size)) {
    warn('lvm.size', `${a.lvm.size} leaves little room for snapshots: each lives as long as its copy-on-write space lasts`);
  }
}

function checkFencing(a: Answers, err: Report, warn: Report): void {
  // STONITH and DRBD fencing
  const st = a.pacemaker.stonith;
  if (st === 'none') {
    warn('pacemaker.stonith', 'none: without fencing, a node that stops answering but still writes can cause a split brain; the cluster runs with stonith-enabled=false');
    if (a.drbd.fencing === 'resource-and-stonith') {
      err('drbd.fencing', 'resource-and-stonith freezes I/O until a node is fenced, which cannot happen with pacemaker.stonith: none. Use resource-only, or configure STONITH');
    }
  } else if (isAgentStonith(st)) {
    const names = a.nodes.map((n) => n.name);
    for (const name of names) {
      if (!(name in st.nodes)) err(`pacemaker.stonith.nodes`, `has no entry for ${name}: give the fence device parameters for every node`);
    }
    for (const key of Object.keys(st.nodes)) {
      if (!names.includes(key)) err(`pacemaker.stonith.nodes.${key}`, `${key} is not one of the nodes (${names.join(', ')})`);
    }
    // The agents the wizard offers have known needs (from their metadata); any other agent is taken as written.
    const agent = fenceAgent(st.agent);
    if (agent) {
      for (const name of names) {
        const params = st.nodes[name];
        if (!params) continue;
        // A deprecated alias (ipaddr, login, passwd) still works with fence-agents 4.x: a warning.
        for (const m of missingParams(agent, name, params)) (m.deprecatedAlias ? warn : err)(`pacemaker.stonith.nodes.${name}.${m.param}`, m.message);
      }
    }
  }
  // SBD and the quorum device (issue 26): their own file, so the checks above stay as they were.
  checkFencingAnswers(a, err, warn);
  if (a.drbd.fencing === 'none') {
    warn('drbd.fencing', 'none: an outdated node could be promoted after a replication-link failure');
  }
  if (a.drbd.protocol !== 'C') {
    warn('drbd.protocol', `${a.drbd.protocol} acknowledges writes before the peer has them on disk: a failover can lose the last writes`);
  }
}
