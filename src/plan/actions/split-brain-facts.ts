// What the split-brain action reads and judges (pure, tested on the lab's captures): each side's extra
// facts (DRBD version, kernel log, LVM, the backing LV, whether the device is mounted, Pacemaker stopped),
// where the clients are served, the recommended victim, and the judges of its steps' checks.
import type { RunResult } from '../../exec/runner.js';
import { succeeded } from '../../exec/runner.js';
import { parseCrmMon, type CrmStatus } from '../../probes/crm-mon.js';
import { parseProcDrbdVersion } from '../../probes/drbd-module.js';
import { parseDrbdKernelLog, type DrbdKernelEvent } from '../../probes/drbd-kernel-log.js';
import { parseLvmReports } from '../../probes/lvm.js';
import type { LvmReport } from '../../probes/types.js';
import { drbdFactsFrom, type DrbdFact } from './cluster-facts.js';

/** The monitor's lvs (the demo lab answers it): every LV with its origin and creation time. */
export const LVS_SNAP_ARGV = ['lvs', '-o', '+snap_percent,lv_time', '--reportformat', 'json', '--units', 'b'] as const;
export const llDevArgv = (res: string) => ['drbdadm', 'sh-ll-dev', res];
export const findmntArgv = (dev: string) => ['findmnt', '-n', '-o', 'TARGET', '-S', dev];

/** One node's extra facts (read-only). A failed read is a null with its reason. */
export interface SplitBrainNodeRead {
  name: string;
  drbdVersion: string | null;
  kernelLog: DrbdKernelEvent[] | null;
  kernelLogError: string | null;
  lvm: LvmReport | null;
  lvmError: string | null;
  /** The DRBD resource's backing device as drbdadm names it ("/dev/vg0/nfs"); null: not readable. */
  backingDevice: string | null;
  /** Where the DRBD device is mounted on this node ("" not mounted); null: unknown. */
  mountedAt: string | null;
  /** crm_mon answered "Not connected" (Pacemaker stopped on this node). */
  pacemakerStopped: boolean;
}

export interface SplitBrainRead {
  nodes: SplitBrainNodeRead[];
  /** From the answers file, when given: the backing LV it configured. */
  answersLv: { vg: string; lv: string } | null;
  /** UTC time stamp for the snapshot's name (YYYYMMDD-HHMM). */
  stamp: string;
}

const why = (r: RunResult): string => r.error ?? (r.timedOut ? 'timed out' : (r.stderr.trim().split('\n').pop() || `exit ${r.exitCode ?? 'none'}`));

export function stampOf(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

/** Pure: one node's reads in, its facts out (tests feed real captures). */
export function splitBrainNodeFrom(name: string, r: { procDrbd: RunResult; kernelLog: RunResult; lvs: RunResult; vgs: RunResult; llDev: RunResult | null; findmnt: RunResult | null; crmMon: RunResult }): SplitBrainNodeRead {
  const lvText = [r.vgs, r.lvs].filter(succeeded).map((x) => x.stdout).join('\n');
  const lvm = lvText ? parseLvmReports(lvText) : null;
  const crm = parseCrmMon(r.crmMon.stdout);
  return {
    name,
    drbdVersion: succeeded(r.procDrbd) ? parseProcDrbdVersion(r.procDrbd.stdout) : null,
    kernelLog: succeeded(r.kernelLog) ? parseDrbdKernelLog(r.kernelLog.stdout) : null,
    kernelLogError: succeeded(r.kernelLog) ? null : why(r.kernelLog),
    lvm: lvm?.ok ? lvm.value : null,
    lvmError: lvm === null ? `lvs/vgs failed: ${why(r.lvs)}` : lvm.ok ? null : lvm.error,
    backingDevice: r.llDev && succeeded(r.llDev) && r.llDev.stdout.trim().startsWith('/dev/') ? r.llDev.stdout.trim() : null,
    // findmnt prints nothing and exits 1 when the device is not mounted; 127 or an SSH error: unknown.
    mountedAt: r.findmnt === null ? null : succeeded(r.findmnt) || r.findmnt.exitCode === 1 ? r.findmnt.stdout.trim().split('\n')[0] ?? '' : null,
    pacemakerStopped: !crm.ok && crm.code === 102,
  };
}

/** The resource in split brain: StandAlone on at least one side (the guide: the other may be WFConnection). */
export function splitResource(nodes: { name: string; drbd: DrbdFact[] | null }[]): string | null {
  for (const n of nodes) for (const d of n.drbd ?? []) if (d.connection === 'StandAlone') return d.name;
  return null;
}

/** "/dev/vg0/nfs" or "/dev/mapper/vg0-nfs" -> vg0/nfs, checked against the LVs the node has. */
export function backingLv(dev: string | null, lvm: LvmReport | null, fromAnswers: { vg: string; lv: string } | null): { vg: string; lv: string } | null {
  const known = (vg: string, lv: string) => lvm === null || lvm.lvs.some((l) => l.vg === vg && l.name === lv);
  if (dev) {
    const m = /^\/dev\/([^/]+)\/([^/]+)$/.exec(dev);
    if (m && m[1] !== 'mapper' && known(m[1]!, m[2]!)) return { vg: m[1]!, lv: m[2]! };
    const mm = /^\/dev\/mapper\/(.+)$/.exec(dev);
    if (mm && lvm) {
      const hit = lvm.lvs.find((l) => `${l.vg.replace(/-/g, '--')}-${l.name.replace(/-/g, '--')}` === mm[1]);
      if (hit) return { vg: hit.vg, lv: hit.name };
    }
  }
  if (fromAnswers && known(fromAnswers.vg, fromAnswers.lv)) return fromAnswers;
  // The stack has one LV under DRBD: with neither drbdadm nor the answers, the only non-snapshot LV is it.
  const origins = lvm?.lvs.filter((l) => !l.isSnapshot) ?? [];
  return origins.length === 1 ? { vg: origins[0]!.vg, lv: origins[0]!.name } : null;
}

/** Where Pacemaker serves the clients now (the VIP / export / filesystem started), or ran them last. */
export function serviceNode(crm: CrmStatus): { node: string; how: string } | null {
  const service = crm.resources.filter((r) => /IPaddr2|exportfs|Filesystem|nfsserver/.test(r.agent));
  for (const r of service) if (r.active && r.nodes.length === 1) return { node: r.nodes[0]!, how: `Pacemaker runs ${r.id} there now` };
  // Stopped now: the node whose history ends with a successful start of the VIP (or export) ran it last.
  for (const r of service) {
    for (const [node, byRes] of Object.entries(crm.history)) {
      const ops = byRes[r.id] ?? [];
      const last = ops.filter((o) => o.task === 'start' || o.task === 'stop').at(-1);
      if (last?.task === 'start' && last.rc === 0) return { node, how: `Pacemaker's history shows ${r.id} last started there` };
    }
  }
  return null;
}

export interface Recommendation {
  victim: string | null;
  reasons: string[];
}

/** The victim to recommend: the side the clients did not use last keeps nothing the clients rely on. */
export function recommendVictim(names: string[], drbd: Map<string, DrbdFact>, crm: CrmStatus | null): Recommendation {
  const [a, b] = names as [string, string];
  const other = (n: string) => (n === a ? b : a);
  const svc = crm ? serviceNode(crm) : null;
  if (svc && names.includes(svc.node)) {
    return { victim: other(svc.node), reasons: [`the clients use ${svc.node}: ${svc.how}; its data is what they saw last`, `${other(svc.node)}'s changes since the split brain are the ones to discard`] };
  }
  const primaries = names.filter((n) => drbd.get(n)?.role === 'Primary');
  if (primaries.length === 1) {
    return { victim: other(primaries[0]!), reasons: [`only ${primaries[0]} is Primary: the clients can have written there only`] };
  }
  const oos = (n: string) => drbd.get(n)?.outOfSyncKiB ?? null;
  const [oa, ob] = [oos(a), oos(b)];
  if (oa !== null && ob !== null && oa !== ob) {
    const more = oa > ob ? a : b;
    return {
      victim: other(more),
      reasons: [
        `no cluster manager says where the clients were; ${more} changed more since the split brain (${Math.max(oa, ob)} KiB out of sync against ${Math.min(oa, ob)} KiB): a weak hint, check where the clients wrote (the virtual IP) before confirming`,
      ],
    };
  }
  return { victim: null, reasons: ['nothing shows which side the clients used: choose the victim with --victim NODE'] };
}

export const drbdOf = (r: RunResult, res: string): DrbdFact | null => (succeeded(r) ? drbdFactsFrom(r.stdout).find((d) => d.name === res) ?? null : null);

/** The resource is Connected and UpToDate on both sides, as this node's kernel sees it. */
export function judgeInSync(res: string) {
  return (r: RunResult) => {
    const d = drbdOf(r, res);
    return d !== null && d.connection === 'Connected' && d.disk === 'UpToDate' && d.peerDisk === 'UpToDate' && (d.outOfSyncKiB ?? 0) === 0;
  };
}

export const notStandAlone = (res: string) => (r: RunResult) => {
  const d = drbdOf(r, res);
  return d !== null && d.connection !== null && d.connection !== 'StandAlone';
};

export const mib = (bytes: number) => Math.ceil(bytes / 1048576);

export function side2(d: DrbdFact | null): string {
  return d ? `${d.connection ?? '?'}, ${d.replication ?? '?'}, disk ${d.disk ?? '?'}/${d.peerDisk ?? '?'}, ${d.outOfSyncKiB ?? '?'} KiB out of sync` : 'no such resource';
}

/** How to read the discarded side afterwards: printed with the plan (and in docs/actions.md). */
export function readSnapshotHelp(vg: string, snap: string): string[] {
  return [
    `to read ${snap} afterwards (on the victim): mkdir -p /mnt/${snap} && mount -t ext4 -o ro,noload /dev/${vg}/${snap} /mnt/${snap}`,
    `  (xfs: mount -t xfs -o ro,norecovery,nouuid ...); when done: umount /mnt/${snap} && lvremove ${vg}/${snap}`,
  ];
}
