// Cross-field checks of the fencing answers added for issue 26: fence parameters the agent does not
// know, SBD's disk and its quorum-device rule, the quorum device's host. Kept apart from semantic.ts
// (which calls it) so the checks there stay as they were. Each problem names the field to change.
import type { Answers } from './schema.js';
import { isAgentStonith, sbdOf } from './schema.js';
import { FENCER_PARAMETERS, FENCE_AGENT_PARAMETERS } from './fence-agent-params.js';
import { hostAddress, lvPath } from './derived.js';

type Report = (path: string, message: string) => void;

/**
 * Why a device cannot hold SBD's slots, or null. sbd(8): "The SBD partitions themselves must not be
 * mirrored (via MD, DRBD, or the storage layer itself) ... Nor can they reside on cLVM2 volume groups
 * ... these should be either raw partitions or logical units on (multipath) storage", and "The block
 * device(s) must be accessible from all nodes" (with the same path name on all nodes "a very good idea").
 */
export function sbdDeviceProblem(device: string, a: Pick<Answers, 'nodes' | 'raid' | 'drbd' | 'lvm'>): string | null {
  const stack = 'part of the storage stack';
  if (/^\/dev\/md([0-9]|\/|$)/.test(device) || /^\/dev\/disk\/by-id\/md-/.test(device) || device === a.raid.device) return `${device} is an md RAID device: sbd(8) forbids a mirrored SBD disk (use a separate shared disk)`;
  if (/^\/dev\/drbd/.test(device) || device === a.drbd.device || /^\/dev\/disk\/by-id\/drbd-/.test(device)) return `${device} is a DRBD device: sbd(8) forbids a mirrored SBD disk (use a separate shared disk)`;
  if (/^\/dev\/(mapper\/|dm-)/.test(device) || /^\/dev\/disk\/by-id\/(dm-|lvm-pv-)/.test(device) || device === lvPath(a)) return `${device} is a device-mapper/LVM device: SBD must sit on a raw shared disk or LUN, read before any volume manager runs`;
  for (const [i, n] of a.nodes.entries()) {
    if (n.disks.includes(device)) return `${device} is one of nodes[${i}].disks, ${stack} (the RAID1 members): use a separate shared disk`;
  }
  if (/^\/dev\/[^/]+\/[^/]+$/.test(device) && !device.startsWith('/dev/disk/')) return `${device} looks like an LVM logical volume (/dev/<vg>/<lv>): SBD must sit on a raw shared disk or LUN`;
  if (!device.startsWith('/dev/disk/by-id/') && !device.startsWith('/dev/disk/by-path/')) {
    return `${device} is a kernel name, which differs between the nodes for a shared disk: give its /dev/disk/by-id/ (or by-path) name, the same on both nodes`;
  }
  return null;
}

/**
 * What apply cannot do (issue 26): the quorum device's certificates come from the qnetd host, which apply
 * reaches only through cluster.quorumDevice.ssh. Without it `export` still renders the configuration;
 * apply refuses it before anything runs rather than start a corosync.conf whose device has no
 * certificate behind it. SBD and the quorum device are applied (src/plan/phases/sbd.ts, qdevice.ts).
 */
export function applyNotYet(a: Answers): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (a.cluster.quorumDevice && a.cluster.quorumDevice.ssh === undefined) {
    out.push({ path: 'cluster.quorumDevice.ssh', message: 'is required for apply: the qnetd host\'s user@host[:port] (its host key in known_hosts), so that apply installs corosync-qnetd there and sets up the certificates; or use `export` and set it up by hand (docs/answers.md)' });
  }
  return out;
}

export function checkFencingAnswers(a: Answers, err: Report, warn: Report): void {
  const st = a.pacemaker.stonith;
  // A parameter the agent does not know would fail only when the agent runs, i.e. when a node must be
  // fenced: refused now, for the agents whose metadata we carry.
  if (isAgentStonith(st)) {
    const known = FENCE_AGENT_PARAMETERS[st.agent];
    if (known) {
      for (const [node, params] of Object.entries(st.nodes)) {
        for (const key of Object.keys(params)) {
          if (!known.includes(key) && !FENCER_PARAMETERS.includes(key)) {
            err(`pacemaker.stonith.nodes.${node}.${key}`, `${st.agent} has no parameter "${key}" (its metadata, fence_${st.agent.slice('fence_'.length)} -o metadata): check the spelling`);
          }
        }
      }
    }
  }

  const sbd = sbdOf(st);
  if (sbd) {
    if (sbd.device === undefined) {
      if (!a.cluster.quorumDevice) {
        err('pacemaker.stonith.sbd.device', 'is required without cluster.quorumDevice: diskless SBD (watchdog only) is safe only when a node that loses quorum knows it, which two nodes alone cannot tell; give a shared SBD disk or configure cluster.quorumDevice');
      }
    } else {
      const why = sbdDeviceProblem(sbd.device, a);
      if (why) err('pacemaker.stonith.sbd.device', why);
    }
  }

  const q = a.cluster.quorumDevice;
  if (q) {
    const own = [...a.nodes.flatMap((n) => [hostAddress(n.service.address), hostAddress(n.replication.address), n.name]), hostAddress(a.virtualIp.address)];
    if (q.ssh === 'local') err('cluster.quorumDevice.ssh', 'must be user@host[:port] of the qnetd host, a third host: not "local"');
    if (own.includes(q.host)) {
      err('cluster.quorumDevice.host', `${q.host} is a cluster node or the virtual IP: qnetd must run on a third host, or it fails together with the node it is meant to judge`);
    }
  }
  void warn;
}
