// The Pacemaker configuration as data, built once from the answers. cib.xml, setup.crm and setup-pcs.sh
// are three renderings of this one model, so they cannot drift apart (the tests load the crmsh and pcs
// renderings with the real tools and compare the result with cib.xml).
//
// Choices that hold for Pacemaker 2.1 (Debian 12, RHEL 9) and 3.0 (Debian 13, RHEL 10) alike:
// - a promotable clone (no `master` element, removed in 3.0) with promoted-max/promoted-node-max (the
//   master-max names are deprecated) and Promoted/Unpromoted roles (Master/Slave are deprecated);
// - stickiness and migration-threshold in rsc_defaults, not repeated on each resource;
// - one rule per location constraint (several top-level rules are deprecated since 2.1.8);
// - no concurrent-fencing, record-pending or other options 3.0 deprecated or dropped.
import { isAgentStonith, sbdOf, type Answers } from '../answers/schema.js';
import { sbdTimeouts } from './sbd.js';
import { hostAddress, nfsStateDir, prefixOf } from '../answers/derived.js';
// The same entries (path, clients, options, stable fsid) as the exports the node-config files list.
import { exportEntries } from './exports.js';
import { DRBD_PRIORITY, FENCE_DELAY_BASE_S, FENCE_MONITOR, agentStonithTimeoutS, fencingProperties, hasFencing } from './fencing.js';

export type Role = 'Promoted' | 'Unpromoted';

export interface Op {
  name: 'monitor' | 'start' | 'stop' | 'promote' | 'demote' | 'notify';
  interval: string;
  timeout: string;
  role?: Role;
}

export interface Primitive {
  id: string;
  class: 'ocf' | 'stonith';
  /** ocf provider (heartbeat, linbit, pacemaker); absent for stonith. */
  provider?: string;
  type: string;
  params: [string, string][];
  ops: Op[];
}

export interface Clone {
  id: string;
  primitive: Primitive;
  meta: [string, string][];
}

export interface Group {
  id: string;
  members: Primitive[];
}

/**
 * Numeric comparisons use type "number": valid in Pacemaker 2.1 and 3.0 and the one numeric type crmsh
 * 4.4 (Debian 12) can write; "integer" (Pacemaker >= 2.0.5) would not survive a crmsh round trip.
 */
export type Expression =
  | { attribute: string; operation: 'defined' | 'not_defined' }
  | { attribute: string; operation: 'lte' | 'gt'; value: string; type: 'number' };

export type Constraint =
  | { kind: 'colocation'; id: string; rsc: string; withRsc: string; withRscRole: Role; score: string }
  | { kind: 'order'; id: string; first: string; firstAction: 'promote' | 'start'; then: string; thenAction: 'start'; type: 'Mandatory' }
  | { kind: 'location'; id: string; rsc: string; node: string; score: string }
  | {
      kind: 'location-rule';
      id: string;
      rsc: string;
      /** Limits the constraint to the instances in this role (promotable clones). */
      role?: Role;
      ruleId: string;
      /** A fixed score, or the node attribute whose value is the score. */
      score: { score: string } | { scoreAttribute: string };
      booleanOp: 'and' | 'or';
      expressions: Expression[];
    };

export interface CibModel {
  /** crm_config's cluster_property_set cib-bootstrap-options. */
  properties: [string, string][];
  /** rsc_defaults' meta_attributes rsc-options. */
  rscDefaults: [string, string][];
  drbd: Clone;
  ping: Clone;
  group: Group;
  stonith: Primitive[];
  constraints: Constraint[];
}

/** Ids are XML NCNames: letters, digits, _ - . and not starting with a digit. Answers' names already are. */
const idPart = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

export const PING_ATTRIBUTE = 'pingd';
/** The ping clone's monitor interval and ping's reply wait, in seconds (buildCibModel explains both). */
export const PING_INTERVAL_S = 10;
export const PING_TIMEOUT_S = 2;

/** The DRBD primitive's id: the drbd agent publishes its promotion score as `master-<this id>`. */
export function drbdPrimitiveId(a: Pick<Answers, 'drbd'>): string {
  return `p_drbd_${idPart(a.drbd.resource)}`;
}

export function drbdCloneId(a: Pick<Answers, 'drbd'>): string {
  return `cl_drbd_${idPart(a.drbd.resource)}`;
}

export const GROUP_ID = 'g_nfs';
/** Failures of one resource on one node before Pacemaker bans it there (rsc_defaults). */
export const MIGRATION_THRESHOLD = 3;
export const PING_CLONE_ID = 'cl_ping';
/**
 * The properties that act before any configuration is loaded: how long a starting controller waits for a
 * DC before it calls an election, and the throttle of the first transitions. apply seeds them into an
 * empty node's CIB before the cluster's first start (plan.ts, "<node>/cib-seed").
 */
export const STARTUP_PROPERTIES = ['dc-deadtime', 'load-threshold', 'node-action-limit'] as const;

/** The smallest multiple of 1000 (at least 1000) above the stickiness of the group plus DRBD. */
export function pingMultiplier(stickiness: number, groupMembers: number): number {
  const hold = stickiness * (groupMembers + 1);
  return Math.max(1000, (Math.floor(hold / 1000) + 1) * 1000);
}

export function buildCibModel(a: Answers): CibModel {
  const vip = hostAddress(a.virtualIp.address);
  const v3 = a.nfs.versions.includes(3);
  const v4 = a.nfs.versions.includes(4);

  // Operation timeouts: well above the agents' advertised defaults. Under slow hardware (and the QEMU
  // emulation of our lab, docs/lab.md) nfsserver took 8-16 s to start and DRBD's promote several
  // seconds; a timeout there is a failure, a failure is a fail-count, and a fail-count moves or stops
  // the service for nothing. A generous timeout costs nothing when the operation succeeds.
  const drbd: Clone = {
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

  const fs: Primitive = {
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

  const nfsParams: [string, string][] = [];
  // NFSv4 keeps client state (leases, the recovery directory) in nfs_shared_infodir: on the replicated
  // filesystem it follows the service, so clients reclaim their state after a failover.
  if (v4) nfsParams.push(['nfs_shared_infodir', nfsStateDir(a)]);
  nfsParams.push(['nfs_ip', vip]);
  // No nfs_server_scope: the same NFSv4.1 server scope on both nodes (the virtual IP; RFC 8881 8.4.2.1,
  // without it the client reclaims nothing on the survivor and its new OPENs wait out the whole grace
  // period) comes from a drop-in apply installs once (renderNfsScopeDropin in nfs-conf.ts). The agent's
  // own parameter does the same by writing a drop-in and reloading systemd at every start and stop,
  // which cost 30-40 s of each failover in the lab.
  const nfsserver: Primitive = {
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

  const exports: Primitive[] = exportEntries(a).map((e, i) => ({
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

  const ip: Primitive = {
    id: 'p_vip',
    class: 'ocf',
    provider: 'heartbeat',
    type: 'IPaddr2',
    params: [
      ['ip', vip],
      ['cidr_netmask', String(prefixOf(a.virtualIp.address))],
      ['nic', a.virtualIp.interface],
    ],
    ops: [
      { name: 'monitor', interval: '10s', timeout: '40s' },
      { name: 'start', interval: '0s', timeout: '60s' },
      { name: 'stop', interval: '0s', timeout: '60s' },
    ],
  };

  // No ocf:heartbeat:portblock around the IP (linstor-gateway's pattern) yet: on Debian 12 it keeps
  // the service unreachable. Its agent (resource-agents 4.12) finds its own DROP rule by matching
  // `iptables -n -L` output for "tcp", and iptables 1.8.9 prints the protocol number there ("6"), so
  // the unblock never removes the rule: the lab's first run with it had everything Started and every
  // client timing out (ClusterLabs/resource-agents#1924, fixed in later releases). docs/ha-tuning.md.
  const members = [fs, nfsserver, ...exports, ip];
  if (v3) {
    // NFSv3 clients hold locks through statd: after a failover sm-notify tells them to reclaim. It sends
    // FROM the virtual IP (source_host), so it must start after the IP is up: last in the group, as Red
    // Hat's active/passive NFS guide orders it. sm-notify bound to an address not yet configured fails.
    members.push({
      id: 'p_nfsnotify',
      class: 'ocf',
      provider: 'heartbeat',
      type: 'nfsnotify',
      params: [['source_host', vip]],
      ops: [
        { name: 'monitor', interval: '30s', timeout: '90s' },
        { name: 'start', interval: '0s', timeout: '90s' },
        { name: 'stop', interval: '0s', timeout: '90s' },
      ],
    });
  }
  // A group starts its members in order and stops them in reverse, and keeps them on one node: exactly
  // the stack's rule (fs -> nfsserver -> exports -> IP), in one place an admin can read.
  const group: Group = { id: GROUP_ID, members };

  const ping: Clone = {
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
        ['multiplier', String(pingMultiplier(a.pacemaker.stickiness, members.length))],
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

  const constraints: Constraint[] = [
    { kind: 'colocation', id: 'col_nfs_with_drbd_promoted', rsc: GROUP_ID, withRsc: drbd.id, withRscRole: 'Promoted', score: 'INFINITY' },
    { kind: 'order', id: 'ord_drbd_promote_before_nfs', first: drbd.id, firstAction: 'promote', then: GROUP_ID, thenAction: 'start', type: 'Mandatory' },
  ];
  if (a.ping.whenAllLost === 'stop') {
    // No ping (or no ping attribute yet): the service may not run there, even if that means nowhere.
    constraints.push({
      kind: 'location-rule',
      id: 'loc_nfs_needs_ping',
      rsc: GROUP_ID,
      ruleId: 'loc_nfs_needs_ping-rule',
      score: { score: '-INFINITY' },
      booleanOp: 'or',
      expressions: [
        { attribute: PING_ATTRIBUTE, operation: 'not_defined' },
        { attribute: PING_ATTRIBUTE, operation: 'lte', value: '0', type: 'number' },
      ],
    });
  } else {
    // stay: each node scores its pingd value, so the node reaching more targets wins; when neither
    // reaches any, both score 0 and stickiness keeps the service where it is.
    constraints.push({
      kind: 'location-rule',
      id: 'loc_nfs_prefers_ping',
      rsc: GROUP_ID,
      ruleId: 'loc_nfs_prefers_ping-rule',
      score: { scoreAttribute: PING_ATTRIBUTE },
      booleanOp: 'and',
      expressions: [{ attribute: PING_ATTRIBUTE, operation: 'defined' }],
    });
  }

  // Never promote where DRBD's data is not good. The drbd agent publishes its promotion score as
  // master-<primitive>: 0 means no access to UpToDate data (Outdated, Inconsistent, Diskless), absent
  // means it has not reported yet. Pacemaker alone would still promote a score of 0 when nothing better
  // exists (the rehearsal showed it: passive node stale, active node fails -> stale node promoted), and
  // only DRBD's own refusal would then stop it. This rule makes "no service on stale data" the
  // scheduler's decision, visible in crm_simulate, instead of a failed promote.
  const masterAttr = `master-${drbd.primitive.id}`;
  constraints.push({
    kind: 'location-rule',
    id: 'loc_drbd_promote_only_uptodate',
    rsc: drbd.id,
    role: 'Promoted',
    ruleId: 'loc_drbd_promote_only_uptodate-rule',
    score: { score: '-INFINITY' },
    booleanOp: 'or',
    expressions: [
      { attribute: masterAttr, operation: 'not_defined' },
      { attribute: masterAttr, operation: 'lte', value: '0', type: 'number' },
    ],
  });

  const stonith: Primitive[] = [];
  const sto = a.pacemaker.stonith;
  if (isAgentStonith(sto)) {
    a.nodes.forEach((node, i) => {
      const params = Object.entries(sto.nodes[node.name] ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
      params.push(['pcmk_host_list', node.name]);
      // Two nodes that lose each other both try to fence. priority-fencing-delay (a property) favours
      // the active node; when neither is promoted, this static delay on the device that fences the
      // first node lets the first node shoot first and survive, instead of both dying (fencing.ts).
      if (i === 0 && !params.some(([k]) => k === 'pcmk_delay_base')) params.push(['pcmk_delay_base', `${FENCE_DELAY_BASE_S}s`]);
      const id = `st_${idPart(node.name)}`;
      stonith.push({
        id,
        class: 'stonith',
        type: sto.agent,
        params,
        ops: [{ name: 'monitor', interval: FENCE_MONITOR.interval, timeout: FENCE_MONITOR.timeout }],
      });
      // A node never runs the device that fences itself: it could not fence itself when hung.
      constraints.push({ kind: 'location', id: `loc_${id}_not_on_self`, rsc: id, node: node.name, score: '-INFINITY' });
    });
  }
  const sbd = sbdOf(sto);
  if (sbd?.device !== undefined) {
    // Disk-based SBD: one device fences either node by writing a message in its slot (fence_sbd,
    // fence-agents; the devices as in /etc/default/sbd). Not on the node it fences is not needed: a node
    // that must be fenced is reset by its own watchdog whether or not it reads the message. The static
    // delay favours nodes[0] as with a fence agent, through the fencer's per-target map.
    stonith.push({
      id: 'st_sbd',
      class: 'stonith',
      type: 'fence_sbd',
      params: [
        ['devices', sbd.device],
        ['pcmk_delay_base', `${a.nodes[0].name}:${FENCE_DELAY_BASE_S}s;${a.nodes[1].name}:0s`],
      ],
      ops: [{ name: 'monitor', interval: FENCE_MONITOR.interval, timeout: FENCE_MONITOR.timeout }],
    });
  }

  return {
    properties: [
      // stonith-enabled, and with a device stonith-timeout and priority-fencing-delay (fencing.ts).
      ...fencingProperties(a, sbd ? sbdTimeouts(sbd).stonithTimeout : agentStonithTimeoutS()),
      // Diskless SBD: a lost node counts as reset once this much time has passed (its watchdog fired).
      ...(sbd && sbdTimeouts(sbd).stonithWatchdogTimeout !== null ? [['stonith-watchdog-timeout', `${sbdTimeouts(sbd).stonithWatchdogTimeout}s`] as [string, string]] : []),
      // Corosync's two_node mode keeps quorum for the survivor of a two-node cluster (and wait_for_all
      // keeps a lone booting node from starting alone), so the default "stop" is right: never "ignore".
      ['no-quorum-policy', 'stop'],
      // The controller's throttle and start-up wait: Pacemaker's defaults on real servers, the answers'
      // pacemaker.tuning where the hardware needs others (the emulated lab: 800%, 4, 5s). Always written
      // out, so a re-apply after a tuning change converges and the CIB says what the cluster runs with.
      // docs/ha-tuning.md, "Defaults for real servers".
      ['load-threshold', a.pacemaker.tuning.loadThreshold],
      ['node-action-limit', String(a.pacemaker.tuning.nodeActionLimit)],
      ['dc-deadtime', a.pacemaker.tuning.dcDeadtime],
    ],
    rscDefaults: [
      ['resource-stickiness', String(a.pacemaker.stickiness)],
      // Three failures of a resource on a node ban it there, so the service moves to the peer instead
      // of restarting forever on a node that cannot hold it (the default is INFINITY failures).
      ['migration-threshold', String(MIGRATION_THRESHOLD)],
    ],
    drbd,
    ping,
    group,
    stonith,
    constraints,
  };
}

/** The ocf:provider:type (or stonith:type) name crm_resource --show-metadata takes. */
export function agentName(p: Primitive): string {
  return p.class === 'stonith' ? `stonith:${p.type}` : `${p.class}:${p.provider}:${p.type}`;
}

/** Every primitive of the model, in configuration order. */
export function allPrimitives(m: CibModel): Primitive[] {
  return [m.drbd.primitive, ...m.group.members, m.ping.primitive, ...m.stonith];
}
