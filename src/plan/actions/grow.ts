// `grow +SIZE | SIZE`: gives the export more space, online, in the order the DRBD User's Guide gives for
// growing a device on LVM ("online growing": both backing devices first, then `drbdadm resize` on one
// node while connected, the same command in 8.4 and 9; DRBD then syncs the new area), then the filesystem
// on the Primary where it is mounted (resize2fs and xfs_growfs both grow a mounted filesystem). Each step
// is checked before (already done: skipped, so a run stopped half-way resumes) and read back after.
//
// Preconditions: both nodes connected and UpToDate (a resize while one is away leaves the peer too small
// to ever attach again), a Primary, no snapshot of the LV on either node (LVM resizes a thick snapshot's
// origin only while it and its snapshots are inactive: not with the export running on it), and room: the
// VG must keep, after the growth, what DRBD's resync snapshot takes (RESYNC_SNAPSHOT_PERCENT of the LV).
import { succeeded, type Argv, type RunResult } from '../../exec/runner.js';
import { RESYNC_SNAPSHOT_PERCENT } from '../../generate/drbd-res.js';
import { fmtBytes } from '../../monitor/units.js';
import { parseLvmReports } from '../../probes/lvm.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';
import { drbdFactsFrom, FACT_ARGV } from './cluster-facts.js';
import { primaryOf } from './snapshot.js';
import { readStorageFacts, STORAGE_ARGV, type StorageFacts } from './storage-facts.js';
import type { ActionDef, ActionPlan } from './types.js';

export interface GrowArgs {
  /** true: `+SIZE` adds to the LV; false: SIZE is the new size. */
  relative: boolean;
  bytes: number;
  /** As the admin wrote it, for messages. */
  text: string;
}

const MiB = 2 ** 20;
const UNITS: Record<string, number> = { K: 2 ** 10, M: MiB, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };

/** lvextend -L's sizes: a number, binary unit K M G T P (M when none), optionally +. Null: not one. */
export function parseGrowSize(s: string): GrowArgs | null {
  const m = /^(\+)?(\d+(?:\.\d+)?)([KMGTP])?(?:i?B)?$/i.exec(s);
  if (!m) return null;
  const bytes = Math.round(Number(m[2]) * UNITS[(m[3] ?? 'M').toUpperCase()]!);
  if (!(bytes > 0) || !Number.isSafeInteger(bytes)) return null;
  return { relative: m[1] === '+', bytes, text: s };
}

/** The filesystem's size as df reports it (`df --block-size=1 --output=size DIR`): bytes, or null. */
export const dfSize = (dir: string): Argv => ['df', '--block-size=1', '--output=size', dir];
export function parseDfSize(r: RunResult): number | null {
  if (!succeeded(r)) return null;
  const m = /^\s*1B-blocks\s*\n\s*(\d+)\s*$/.exec(r.stdout);
  return m ? Number(m[1]) : null;
}

interface GrowExtra {
  storage: StorageFacts;
  /** The filesystem's size on the Primary before (df), or why it could not be read. */
  fsBytes: number | null;
  fsError: string | null;
}

function lvBytesIn(r: RunResult, vg: string, lv: string): number | null {
  if (!succeeded(r)) return null;
  const p = parseLvmReports(r.stdout);
  if (!p.ok) return null;
  return p.value.lvs.find((l) => l.vg === vg && l.name === lv)?.sizeBytes ?? null;
}

/** The Primary's DRBD device size (KiB) and whether both disks are UpToDate and connected, from events2. */
function drbdNow(r: RunResult, resource: string): { sizeKiB: number | null; healthy: boolean } | null {
  if (!succeeded(r)) return null;
  const d = drbdFactsFrom(r.stdout).find((x) => x.name === resource);
  if (!d) return null;
  return { sizeKiB: d.sizeKiB, healthy: d.connection === 'Connected' && d.disk === 'UpToDate' && d.peerDisk === 'UpToDate' };
}

/** The most the LV may grow while the VG keeps the resync snapshot's share of the grown LV (whole MiB). */
export function maxGrowth(freeBytes: number, lvBytes: number): number {
  const p = RESYNC_SNAPSHOT_PERCENT / 100;
  return Math.max(0, Math.floor((freeBytes - p * lvBytes) / (1 + p) / MiB) * MiB);
}

const fail = (b: ActionPlan, summary: string, refusals: string[]): ActionPlan => ({ ...b, summary, refusals });

export const growAction: ActionDef<GrowArgs> = {
  words: ['grow'],
  parse(positionals) {
    if (positionals.length !== 1) return { ok: false, error: { field: 'SIZE', message: `one size: +SIZE to add, SIZE for the new size, as lvextend -L takes them (e.g. +10G); got ${positionals.length ? positionals.join(' ') : 'none'}` } };
    const a = parseGrowSize(positionals[0]!);
    if (!a) return { ok: false, error: { field: 'SIZE', message: `"${positionals[0]}" is not a size: a number with K, M, G, T or P (binary; M when none), + to add (e.g. +10G, 500G)` } };
    return { ok: true, args: a };
  },
  async read({ nodes, facts }) {
    const storage = await readStorageFacts(nodes, facts.cib, facts.cibError);
    const primary = storage.config ? primaryOf(facts, storage.config.resource) : null;
    const on = nodes.find((n) => n.name === primary);
    if (!storage.config || !on) return { storage, fsBytes: null, fsError: 'no Primary' } satisfies GrowExtra;
    const r = await on.runner.run(dfSize(storage.config.mount), { timeoutMs: 30_000 });
    const fsBytes = parseDfSize(r);
    return { storage, fsBytes, fsError: fsBytes === null ? `df ${storage.config.mount}: ${r.error ?? (r.stderr.trim() || `exit ${r.exitCode}`)}` : null } satisfies GrowExtra;
  },
  plan({ nodes, facts, args }, extra): ActionPlan {
    const { storage: st, fsBytes, fsError } = extra as GrowExtra;
    const b: ActionPlan = { action: 'grow', summary: '', facts: [], refusals: [], steps: [], confirm: { kind: 'none' }, done: '', names: { raidDevice: '', drbdResource: st.config?.resource ?? '' } };
    const cfg = st.config;
    if (!cfg) return fail(b, `grow by ${args.text}`, [`${st.configError}; grow needs the cluster's Filesystem resource`]);
    const res = cfg.resource;
    const unreadable = st.nodes.filter((n) => n.error !== null).map((n) => `${n.name}: storage not readable (${n.error})`);
    if (unreadable.length) return fail(b, `grow by ${args.text}`, unreadable);
    const primary = primaryOf(facts, res);
    if (primary === null || !nodes.some((n) => n.name === primary)) return fail(b, `grow by ${args.text}`, [`no node is DRBD Primary of ${res}: the filesystem grows where it is mounted (start the service first)`]);
    const pst = st.nodes.find((n) => n.name === primary)!;
    const current = pst.lvBytes ?? 0;
    // Whole MiB: lvextend rounds up to whole extents anyway (4 MiB by default); bytes must be whole sectors.
    const target = Math.ceil((args.relative ? current + args.bytes : args.bytes) / MiB) * MiB;
    if (target <= current) {
      return { ...b, summary: `grow ${pst.vg}/${pst.lv}`, bad: { field: 'SIZE', message: `${args.text} is not larger than ${pst.vg}/${pst.lv} today (${fmtBytes(current)}): the volume only grows (use +SIZE to add)` } };
    }
    const growthOn = (lvBytes: number | null) => target - (lvBytes ?? 0);
    for (const n of st.nodes) {
      const need = growthOn(n.lvBytes);
      if (need > (n.vgFreeBytes ?? 0)) {
        return { ...b, summary: `grow ${pst.vg}/${pst.lv}`, bad: { field: 'SIZE', message: `${args.text} needs ${fmtBytes(need)} on ${n.name}, its VG ${n.vg} has ${fmtBytes(n.vgFreeBytes ?? 0)} free` } };
      }
    }
    const refusals: string[] = [];
    for (const n of facts.nodes) {
      const d = n.drbd?.find((x) => x.name === res);
      if (!d) {
        refusals.push(`${n.name}: DRBD ${res} not readable (${n.drbdError ?? 'no such resource'})`);
        continue;
      }
      if (d.connection !== 'Connected') refusals.push(`${n.name}: DRBD ${res} is ${d.connection ?? 'not connected'}: both nodes must be connected, or the peer's disk would stay too small to attach`);
      if (d.disk !== 'UpToDate') refusals.push(`${n.name}: DRBD disk is ${d.disk ?? 'unknown'}: wait until it is UpToDate`);
    }
    const reserve = Math.ceil((target * RESYNC_SNAPSHOT_PERCENT) / 100);
    for (const n of st.nodes) {
      if (n.snapshots.length) refusals.push(`${n.name}: ${n.vg}/${n.lv} has ${n.snapshots.length} snapshot(s) (${n.snapshots.map((s) => s.name).join(', ')}): LVM grows a snapshot's origin only while both are inactive; remove them first (hanfs-wizard snapshot remove NAME)`);
      const left = (n.vgFreeBytes ?? 0) - growthOn(n.lvBytes);
      if (left < reserve) refusals.push(`${n.name}: ${n.vg} would keep ${fmtBytes(Math.max(0, left))} free, DRBD's resync snapshot needs ${RESYNC_SNAPSHOT_PERCENT}% of the LV (${fmtBytes(reserve)}): grow by at most ${fmtBytes(maxGrowth(n.vgFreeBytes ?? 0, n.lvBytes ?? 0))}, or add a disk to the VG`);
    }
    if (fsBytes === null) refusals.push(`cannot read the filesystem's size on ${primary} (${fsError}): the grow's read-back compares it`);
    const oldDrbdKiB = facts.nodes.find((n) => n.name === primary)?.drbd?.find((x) => x.name === res)?.sizeKiB ?? null;
    if (oldDrbdKiB === null) refusals.push(`${primary}: DRBD ${res}'s size is not known (events2)`);

    const steps: PlanStep[] = [];
    for (const n of st.nodes) {
      const vg = n.vg!;
      const lv = n.lv!;
      const big: ProbeCheck = { kind: 'probe', argv: STORAGE_ARGV.lvs, describe: `${vg}/${lv} is at least ${fmtBytes(target)}`, judge: (r) => (lvBytesIn(r, vg, lv) ?? 0) >= target };
      steps.push(
        step({
          id: `${n.name}/grow-lv`,
          node: n.name,
          title: `Extend ${vg}/${lv} to ${fmtBytes(target)} (from ${fmtBytes(n.lvBytes ?? 0)})`,
          why: 'DRBD grows only when the backing disks of both nodes have grown',
          commands: [['lvextend', '--size', `${target}b`, `${vg}/${lv}`]],
          check: big,
          verify: big,
          parallelGroup: 'a2-act',
        }),
      );
    }
    const drbdGrown: ProbeCheck = {
      kind: 'probe',
      argv: FACT_ARGV.events2Now,
      describe: `DRBD ${res} is larger than ${fmtBytes((oldDrbdKiB ?? 0) * 1024)}`,
      judge: (r) => (drbdNow(r, res)?.sizeKiB ?? 0) > (oldDrbdKiB ?? Infinity),
    };
    steps.push(
      step({
        id: `${primary}/grow-drbd`,
        node: primary,
        cluster: true,
        title: `Resize DRBD ${res} to the grown disks`,
        why: 'DRBD takes the new space once both backing disks have it, and syncs the new area to the peer',
        commands: [['drbdadm', 'resize', res]],
        check: drbdGrown,
        verify: { ...drbdGrown, waitMs: 60_000, intervalMs: 2_000, explain: (r) => [`DRBD ${res} is ${(drbdNow(r, res)?.sizeKiB ?? 0) * 1024} bytes: the resize did not take (see dmesg on ${primary})`] },
        parallelGroup: 'a3-act',
      }),
    );
    const fsGrown: ProbeCheck = { kind: 'probe', argv: dfSize(cfg.mount), describe: `the filesystem at ${cfg.mount} is larger than ${fmtBytes(fsBytes ?? 0)}`, judge: (r) => (parseDfSize(r) ?? 0) > (fsBytes ?? Infinity) };
    const growFs: Argv = cfg.fstype === 'xfs' ? ['xfs_growfs', cfg.mount] : ['resize2fs', cfg.device];
    steps.push(
      step({
        id: `${primary}/grow-fs`,
        node: primary,
        title: `Grow the ${cfg.fstype} filesystem at ${cfg.mount} online`,
        why: 'the filesystem takes the new space of the DRBD device; NFS clients keep working meanwhile',
        commands: [growFs],
        check: fsGrown,
        verify: fsGrown,
        parallelGroup: 'a4-act',
      }),
    );
    const healthy: ProbeCheck = { kind: 'probe', argv: FACT_ARGV.events2Now, describe: `DRBD ${res} is Connected and UpToDate on both nodes`, judge: (r) => drbdNow(r, res)?.healthy === true };
    steps.push(
      step({
        id: `${primary}/grow-read-back`,
        node: primary,
        cluster: true,
        title: 'Read back: the new area synced, both disks UpToDate',
        why: 'after a resize DRBD syncs the new area to the peer: the volume is redundant again once both are UpToDate',
        commands: [],
        check: null,
        verify: { ...healthy, waitMs: 3_600_000, intervalMs: 5_000, progress: 'drbd-resync', explain: () => [`DRBD ${res} is not UpToDate on both nodes yet: see hanfs-wizard monitor`] },
        parallelGroup: 'a7-read-back',
      }),
    );
    return {
      ...b,
      summary: `grow ${pst.vg}/${pst.lv} from ${fmtBytes(current)} to ${fmtBytes(target)} on both nodes, then DRBD ${res} and the ${cfg.fstype} filesystem at ${cfg.mount} on ${primary}, online`,
      facts: [
        ...st.nodes.map((n) => `${n.name}: ${n.vg}/${n.lv} ${fmtBytes(n.lvBytes ?? 0)}, ${fmtBytes(n.vgFreeBytes ?? 0)} free in ${n.vg}; after: ${fmtBytes(Math.max(0, (n.vgFreeBytes ?? 0) - growthOn(n.lvBytes)))} free (the resync snapshot needs ${fmtBytes(reserve)})`),
        `${primary} is Primary: the filesystem (${fsBytes === null ? 'size unknown' : fmtBytes(fsBytes)} today) grows there`,
      ],
      refusals,
      steps,
      confirm: { kind: 'yes', question: `Grow ${pst.vg}/${pst.lv} to ${fmtBytes(target)} on both nodes and the filesystem with it (a volume cannot shrink back)?` },
      done: `the filesystem at ${cfg.mount} is larger than ${fmtBytes(fsBytes ?? 0)} (df on ${primary}) and DRBD ${res} is UpToDate on both nodes`,
    };
  },
};
