// The resources of the CIB model: the promotable DRBD clone, the NFS service group and the ping clone.
//
// Operation timeouts: well above the agents' advertised defaults. Under slow hardware (and the QEMU
// emulation of our lab, docs/lab.md) nfsserver took 8-16 s to start and DRBD's promote several
// seconds; a timeout there is a failure, a failure is a fail-count, and a fail-count moves or stops
// the service for nothing. A generous timeout costs nothing when the operation succeeds.
import type { Answers } from '../answers/schema.js';
import { hostAddress, nfsStateDir, prefixOf } from '../answers/derived.js';
// The same entries (path, clients, options, stable fsid) as the exports the node-config files list.
import { exportEntries } from './exports.js';
import { DRBD_PRIORITY, hasFencing } from './fencing.js';
import { GROUP_ID, PING_ATTRIBUTE, PING_CLONE_ID, PING_INTERVAL_S, PING_TIMEOUT_S, drbdCloneId, drbdPrimitiveId } from './cib-ids.js';
import type { Clone, Group, Primitive } from './cib-types.js';

/** The smallest multiple of 1000 (at least 1000) above the stickiness of the group plus DRBD. */
export function pingMultiplier(stickiness: number, groupMembers: number): number {
  const hold = stickiness * (groupMembers + 1);
  return Math.max(1000, (Math.floor(hold / 1000) + 1) * 1000);
}

export function drbdClone(a: Answers): Clone {
  return {
    id: drbdCloneId(a),
    primitive: {
      id: drbdPrimitiveId(a),
      class: 'ocf',
      provider: 'linbit',
      type: 'drbd',
      params: [['drbd_resource', a.drbd.resource]],
      // Two monitors with different intervals: Pacemaker requires distinct intervals per role.
      ops: [
        { name: 'monitor', interval: '29s', timeout: '60s', role: 'Promoted' },
        { name: 'monitor', interval: '31s', timeout: '60s', role: 'Unpromoted' },
        { name: 'start', interval: '0s', timeout: '240s' },
        { name: 'stop', interval: '0s', timeout: '120s' },
        { name: 'promote', interval: '0s', timeout: '120s' },
        { name: 'demote', interval: '0s', timeout: '120s' },
        { name: 'notify', interval: '0s', timeout: '90s' },
      ],
    },
    meta: [
      ['promotable', 'true'],
      ['promoted-max', '1'],
      ['promoted-node-max', '1'],
      ['clone-max', '2'],
      ['clone-node-max', '1'],
      // The drbd agent needs notifications to track its peer (the linbit agent refuses to run without).
      ['notify', 'true'],
      // With fencing: the promoted instance counts 2, the unpromoted 1, so priority-fencing-delay
      // favours the active node in a fence race (fencing.ts, docs/ha-tuning.md "Fencing").
      ...(hasFencing(a) ? [['priority', DRBD_PRIORITY] as [string, string]] : []),
    ],
  };
}

function filesystem(a: Answers): Primitive {
  return {
    id: 'p_fs',
    class: 'ocf',
    provider: 'heartbeat',
    type: 'Filesystem',
    params: [
      ['device', a.drbd.device],
      ['directory', a.filesystem.mount],
      ['fstype', a.filesystem.type],
    ],
    ops: [
      { name: 'monitor', interval: '20s', timeout: '60s' },
      { name: 'start', interval: '0s', timeout: '120s' },
      { name: 'stop', interval: '0s', timeout: '120s' },
    ],
  };
}

function nfsServer(a: Answers): Primitive {
  // The NFS state directory on the replicated filesystem, for every NFS version: the agent bind-mounts it
  // on /var/lib/nfs, so what the new node needs follows the service: NFSv4's client list and recovery
  // data (nfsdcld, v4recovery), and for NFSv3 statd's monitor list (the clients sm-notify must tell to
  // reclaim their locks; without it the new node notifies nobody and the locks are lost) and rmtab.
  const nfsParams: [string, string][] = [['nfs_shared_infodir', nfsStateDir(a)]];
  // No sm-notify from nfsserver: it runs before the exports and the virtual IP start, and its
  // `sm-notify -f -v <VIP>` cannot bind to an address the node does not have yet (nfs-utils 2.6.2
  // sm-notify.c: the host list is retired and the process backgrounds before smn_create_socket fails),
  // so nobody is told. p_nfsnotify sends the notifications once the IP is up (docs/ha-tuning.md, NFSv3
  // locks). nfs_ip is only read by that notification, so it is left out.
  if (a.nfs.versions.includes(3)) nfsParams.push(['nfs_no_notify', 'true']);
  // No nfs_server_scope: the same NFSv4.1 server scope on both nodes (the virtual IP; RFC 8881 8.4.2.1,
  // without it the client reclaims nothing on the survivor and its new OPENs wait out the whole grace
  // period) comes from a drop-in apply installs once (renderNfsScopeDropin in nfs-conf.ts). The agent's
  // own parameter does the same by writing a drop-in and reloading systemd at every start and stop,
  // which cost 30-40 s of each failover in the lab.
  return {
    id: 'p_nfsserver',
    class: 'ocf',
    provider: 'heartbeat',
    type: 'nfsserver',
    params: nfsParams,
    // The lab's first nfsserver start took the longest of the stack (docs/lab.md: +8 to +16 s).
    ops: [
      { name: 'monitor', interval: '30s', timeout: '60s' },
      { name: 'start', interval: '0s', timeout: '180s' },
      { name: 'stop', interval: '0s', timeout: '180s' },
    ],
  };
}

function exportResources(a: Answers): Primitive[] {
  return exportEntries(a).map((e, i) => ({
    id: `p_exportfs_${i + 1}`,
    class: 'ocf',
    provider: 'heartbeat',
    type: 'exportfs',
    params: [
      ['directory', e.path],
      ['clientspec', e.clients],
      ['options', e.options],
      // A stable fsid per export: the file handles clients hold stay valid on the other node.
      ['fsid', String(e.fsid)],
    ],
    ops: [
      { name: 'monitor', interval: '30s', timeout: '60s' },
      { name: 'start', interval: '0s', timeout: '120s' },
      { name: 'stop', interval: '0s', timeout: '120s' },
    ],
  }));
}

function virtualIp(a: Answers): Primitive {
  return {
    id: 'p_vip',
    class: 'ocf',
    provider: 'heartbeat',
    type: 'IPaddr2',
    params: [
      ['ip', hostAddress(a.virtualIp.address)],
      ['cidr_netmask', String(prefixOf(a.virtualIp.address))],
      ['nic', a.virtualIp.interface],
    ],
    ops: [
      { name: 'monitor', interval: '10s', timeout: '40s' },
      { name: 'start', interval: '0s', timeout: '60s' },
      { name: 'stop', interval: '0s', timeout: '60s' },
    ],
  };
}

/**
 * NFSv3 clients hold locks through statd: after a failover sm-notify tells them to reclaim. It sends
 * FROM the virtual IP (source_host), so it must start after the IP is up: last in the group, as Red
 * Hat's active/passive NFS guide orders it. sm-notify bound to an address not yet configured fails.
 * The agent reads statd's lists from /var/lib/nfs/statd (hard-coded, resource-agents 4.12 and 4.16), the
 * directory /etc/nfs.conf.d/hanfs.conf makes Debian's statd use too (STATD_DIR in nfs-conf.ts).
 */
function nfsNotify(a: Answers): Primitive {
  return {
    id: 'p_nfsnotify',
    class: 'ocf',
    provider: 'heartbeat',
    type: 'nfsnotify',
    params: [['source_host', hostAddress(a.virtualIp.address)]],
    ops: [
      { name: 'monitor', interval: '30s', timeout: '90s' },
      { name: 'start', interval: '0s', timeout: '90s' },
      { name: 'stop', interval: '0s', timeout: '90s' },
    ],
  };
}

/**
 * A group starts its members in order and stops them in reverse, and keeps them on one node: exactly
 * the stack's rule (fs -> nfsserver -> exports -> IP), in one place an admin can read.
 *
 * No ocf:heartbeat:portblock around the IP (linstor-gateway's pattern) yet: on Debian 12 it keeps
 * the service unreachable. Its agent (resource-agents 4.12) finds its own DROP rule by matching
 * `iptables -n -L` output for "tcp", and iptables 1.8.9 prints the protocol number there ("6"), so
 * the unblock never removes the rule: the lab's first run with it had everything Started and every
 * client timing out (ClusterLabs/resource-agents#1924, fixed in later releases). docs/ha-tuning.md.
 */
export function serviceGroup(a: Answers): Group {
  const members = [filesystem(a), nfsServer(a), ...exportResources(a), virtualIp(a)];
  if (a.nfs.versions.includes(3)) members.push(nfsNotify(a));
  return { id: GROUP_ID, members };
}

/** The ping clone; the group's size sets its multiplier. */
export function pingClone(a: Answers, group: Group): Clone {
  return {
    id: PING_CLONE_ID,
    primitive: {
      id: 'p_ping',
      class: 'ocf',
      provider: 'pacemaker',
      type: 'ping',
      params: [
        ['name', PING_ATTRIBUTE],
        ['host_list', a.ping.targets.join(' ')],
        // pingd = multiplier x reachable targets. One reachable target must outweigh what keeps the
        // service where it runs (stickiness counts once per group member and once for the Promoted
        // DRBD instance), or with whenAllLost "stay" a node that lost ping would keep the service
        // (the rehearsal shows it from stickiness 300 on). 1000 unless the stickiness needs more.
        ['multiplier', String(pingMultiplier(a.pacemaker.stickiness, group.members.length))],
        // Waits this long before publishing a change, so one lost ping does not move the service.
        ['dampen', '5s'],
        // Seconds ping waits for a reply (`ping -W`). The agent's metadata says 2, but its shell code has
        // no default: unset, it divides the monitor's timeout by the targets and attempts (60 s / 3 /
        // 1.1 = 18 s), so a target that silently stops answering (a dead switch, not a lost carrier) kept
        // each monitor busy 2 + 18 s before pingd dropped. With 2: 2 + 2 s (docs/ha-tuning.md, session 18).
        ['timeout', String(PING_TIMEOUT_S)],
      ],
      ops: [
        // Every 10 s (Pacemaker's own default for the agent): a cut service link is seen within the
        // interval + one ping run + dampen. It was 20 s while the lab's VMs had one vCPU each and every
        // run cost the survivor 1.6-2.2 s of CPU beside a failover; with two vCPUs per VM the ping-loss
        // move's detection (33 s of the lab's 113 s, session 17) is the larger cost (docs/ha-tuning.md).
        { name: 'monitor', interval: `${PING_INTERVAL_S}s`, timeout: '60s' },
        { name: 'start', interval: '0s', timeout: '60s' },
        { name: 'stop', interval: '0s', timeout: '60s' },
      ],
    },
    meta: [],
  };
}
