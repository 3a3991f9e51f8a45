// What the storage actions (snapshot list/create/mount/unmount/remove, grow) read beyond ClusterFacts,
// read-only, on each node: `lsblk -J -b -O` (which LV the DRBD device sits on, what is mounted where),
// and the monitor's `vgs` / `lvs -o +snap_percent,lv_time` reports (sizes, free space, snapshots with
// their age and fill). Snapshots are per node: the LV under DRBD is each node's own disk, and the timer's
// snapshots live on whichever node was Primary when it ran. Which DRBD device, mount point and filesystem
// come from the CIB (the Filesystem resource Pacemaker mounts): the cluster's own record, on every node,
// with or without an answers file. Pure parsing here (`storageFactsFrom`), so tests feed real captures.
import type { Runner, RunResult } from '../../exec/runner.js';
import { succeeded } from '../../exec/runner.js';
import { LSBLK_ARGV, parseLsblk, type BlockDevice } from '../../probes/lsblk.js';
import { parseLvmReports } from '../../probes/lvm.js';
import type { LvmLv } from '../../probes/types.js';
import type { CibFacts } from '../../probes/cib-facts.js';
import { MONITOR_ARGV } from '../../monitor/collect.js';
import { snapshotNamePattern } from '../../generate/snapshot-script.js';

export const STORAGE_ARGV = { lsblk: LSBLK_ARGV, vgs: MONITOR_ARGV.vgs, lvs: MONITOR_ARGV.lvs } as const;

/** What the CIB's resources say about the replicated filesystem. */
export interface StorageConfig {
  resource: string;
  /** The DRBD device the Filesystem resource mounts (/dev/drbd0). */
  device: string;
  /** Where Pacemaker mounts it on the Primary (/srv/nfs). */
  mount: string;
  fstype: string;
}

export interface SnapshotFact {
  name: string;
  vg: string;
  /** Copy-on-write space in bytes. */
  sizeBytes: number;
  /** How full the copy-on-write space is (0-100); at 100 the snapshot is invalid. */
  percent: number | null;
  createdAt: number | null;
  invalid: boolean;
  /** Named as the timer's script names its own (<lv>_snap_<UTC timestamp>): the rotation may remove it. */
  timer: boolean;
  /** Where this node has it mounted (lsblk). */
  mountpoints: string[];
}

export interface NodeStorage {
  name: string;
  /** Null when this node's storage could be read; else why not (the plan refuses or says so). */
  error: string | null;
  vg: string | null;
  lv: string | null;
  lvBytes: number | null;
  vgSizeBytes: number | null;
  vgFreeBytes: number | null;
  snapshots: SnapshotFact[];
}

export interface StorageFacts {
  config: StorageConfig | null;
  configError: string | null;
  nodes: NodeStorage[];
}

/** device-mapper's name of VG/LV (a dash inside a name is doubled): how lsblk names it. */
export function dmName(vg: string, lv: string): string {
  return `${vg.replace(/-/g, '--')}-${lv.replace(/-/g, '--')}`;
}

/** The replicated filesystem as the CIB declares it: the Filesystem resource on a DRBD device. */
export function storageConfigFrom(cib: CibFacts | null, cibError: string | null): { ok: true; config: StorageConfig } | { ok: false; error: string } {
  if (!cib) return { ok: false, error: cibError ?? 'the CIB could not be read' };
  const fs = cib.primitives.find((p) => p.agent.endsWith(':Filesystem') && /^\/dev\/drbd/.test(p.params['device'] ?? ''));
  const drbd = cib.primitives.find((p) => p.agent.endsWith(':drbd') && p.params['drbd_resource']);
  if (!fs || !drbd) return { ok: false, error: 'the CIB has no Filesystem resource on a DRBD device (is this a hanfs-wizard cluster?)' };
  return { ok: true, config: { resource: drbd.params['drbd_resource']!, device: fs.params['device']!, mount: fs.params['directory'] ?? '', fstype: fs.params['fstype'] ?? '' } };
}

function walk(ds: BlockDevice[], parent: BlockDevice | null, f: (d: BlockDevice, parent: BlockDevice | null) => void): void {
  for (const d of ds) {
    f(d, parent);
    walk(d.children, d, f);
  }
}

const why = (r: RunResult): string => r.error ?? (r.timedOut ? 'timed out' : (r.stderr.trim().split('\n').pop() || `exit ${r.exitCode ?? 'none'}`));

/** One node's storage from its three reads (pure). */
export function nodeStorageFrom(name: string, config: StorageConfig | null, reads: { lsblk: RunResult; vgs: RunResult; lvs: RunResult }): NodeStorage {
  const none: NodeStorage = { name, error: null, vg: null, lv: null, lvBytes: null, vgSizeBytes: null, vgFreeBytes: null, snapshots: [] };
  for (const [what, r] of [['lsblk', reads.lsblk], ['vgs', reads.vgs], ['lvs', reads.lvs]] as const) {
    if (!succeeded(r)) return { ...none, error: `${what}: ${why(r)}` };
  }
  const blk = parseLsblk(reads.lsblk.stdout);
  if (!blk.ok) return { ...none, error: blk.error };
  const lvm = parseLvmReports(`${reads.vgs.stdout}\n${reads.lvs.stdout}`);
  if (!lvm.ok) return { ...none, error: lvm.error };
  if (!config) return { ...none, error: 'no DRBD device to look for' };
  // The LV under DRBD: the lvm device lsblk shows as the DRBD device's parent (with snapshots present,
  // device-mapper stacks <lv>-real under it; the parent is still the LV's own name).
  const drbdName = config.device.replace(/^\/dev\//, '');
  let under: string | null = null;
  const mounts = new Map<string, string[]>();
  walk(blk.value, null, (d, p) => {
    if (d.name === drbdName && p?.type === 'lvm') under = p.name;
    if (d.mountpoints.length) mounts.set(d.name, [...new Set([...(mounts.get(d.name) ?? []), ...d.mountpoints])]);
  });
  const lv = under === null ? undefined : lvm.value.lvs.find((l) => dmName(l.vg, l.name) === under);
  if (!lv) return { ...none, error: `lsblk shows no LVM volume under ${config.device} on ${name}` };
  const vg = lvm.value.vgs.find((v) => v.name === lv.vg);
  const pattern = new RegExp(snapshotNamePattern(lv.name));
  const snaps = lvm.value.lvs.filter((l: LvmLv) => l.isSnapshot && l.vg === lv.vg && l.origin === lv.name);
  return {
    name,
    error: null,
    vg: lv.vg,
    lv: lv.name,
    lvBytes: lv.sizeBytes,
    vgSizeBytes: vg?.sizeBytes ?? null,
    vgFreeBytes: vg?.freeBytes ?? null,
    snapshots: snaps
      .map((s) => ({
        name: s.name,
        vg: s.vg,
        sizeBytes: s.sizeBytes ?? 0,
        percent: s.dataPercent,
        createdAt: s.createdAt,
        invalid: s.invalid,
        timer: pattern.test(s.name),
        mountpoints: mounts.get(dmName(s.vg, s.name)) ?? [],
      }))
      .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.name.localeCompare(b.name)),
  };
}

export function storageFactsFrom(cib: CibFacts | null, cibError: string | null, reads: { name: string; lsblk: RunResult; vgs: RunResult; lvs: RunResult }[]): StorageFacts {
  const c = storageConfigFrom(cib, cibError);
  const config = c.ok ? c.config : null;
  return { config, configError: c.ok ? null : c.error, nodes: reads.map((r) => nodeStorageFrom(r.name, config, r)) };
}

export async function readStorageFacts(nodes: readonly { name: string; runner: Runner }[], cib: CibFacts | null, cibError: string | null, timeoutMs = 30_000): Promise<StorageFacts> {
  const reads = await Promise.all(
    nodes.map(async (n) => {
      const [lsblk, vgs, lvs] = await Promise.all([STORAGE_ARGV.lsblk, STORAGE_ARGV.vgs, STORAGE_ARGV.lvs].map((argv) => n.runner.run(argv, { timeoutMs })));
      return { name: n.name, lsblk: lsblk!, vgs: vgs!, lvs: lvs! };
    }),
  );
  return storageFactsFrom(cib, cibError, reads);
}
