// `snapshot list|create|mount|unmount|remove`: the generational LVM snapshots of the LV under DRBD
// (backups.snapshots, docs/answers.md), by hand. Snapshots are per node: each node's LV is its own disk,
// and the timer (hanfs-snapshot.timer) snapshots on whichever node is Primary when it fires, so a
// failover leaves older snapshots on the other node. Every verb says which node's snapshot it means; a
// name found on both nodes is given as NODE:NAME.
//
// `create` runs the timer's own service (hanfs-snapshot.service -> /usr/local/sbin/hanfs-snapshot) on the
// Primary, never a copy of its logic: the same fsfreeze around lvcreate (the filesystem sits on DRBD above
// the LV, so LVM cannot freeze it itself), the same naming (<lv>_snap_<UTC time>), the same size, the same
// refusal when the VG lacks the space, and the same rotation (it keeps backups.snapshots.keep of its own).
import { succeeded, type RunResult } from '../../exec/runner.js';
import { SNAPSHOT_SCRIPT } from '../../generate/snapshot-units.js';
import { fmtAge, fmtBytes } from '../../monitor/units.js';
import { parseLvmReports } from '../../probes/lvm.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';
import type { ClusterFacts } from './cluster-facts.js';
import { defaultSnapshotDir, snapshotMountStep, snapshotUnmountStep } from './snapshot-steps.js';
import { readStorageFacts, STORAGE_ARGV, type NodeStorage, type SnapshotFact, type StorageFacts } from './storage-facts.js';
import type { ActionDef, ActionInput, ActionPlan, ArgError } from './types.js';

/** The service the timer starts: `create` starts it now. */
export const SNAPSHOT_SERVICE = 'hanfs-snapshot.service';

/** LVM's names: letters, digits, + _ . -, not starting with - (lvm(8)). */
const LVM_NAME = /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}$/;
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** A directory to mount on: absolute, no `..`, printable without spaces or shell-special characters. */
const MOUNT_DIR = /^\/[A-Za-z0-9._@+/-]*$/;

/** What drbd-utils' before-resync-target handler (snapshot-resync-target-lvm.sh) names its snapshot. */
const RESYNC_SNAPSHOT = /-before-resync$/;

const base = (action: string): ActionPlan => ({ action, summary: '', names: { raidDevice: '', drbdResource: '' }, facts: [] as string[], refusals: [] as string[], steps: [] as PlanStep[], confirm: { kind: 'none' }, done: '' });

async function readStorage({ nodes, facts }: { nodes: ActionInput<unknown>['nodes']; facts: ClusterFacts }): Promise<StorageFacts> {
  return readStorageFacts(nodes, facts.cib, facts.cibError);
}

/** The node DRBD says is Primary for the resource (the kernel's word, not Pacemaker's). */
export function primaryOf(facts: ClusterFacts, resource: string): string | null {
  return facts.nodes.find((n) => n.drbd?.find((d) => d.name === resource)?.role === 'Primary')?.name ?? null;
}

/** One line per snapshot: node, name, age, size, fill, and whose it is. */
export function snapshotLine(node: string, s: SnapshotFact, now: number): string {
  const bits = [
    `${node}: ${s.vg}/${s.name}`,
    s.createdAt !== null ? `${fmtAge(now - s.createdAt)} old` : 'age unknown',
    fmtBytes(s.sizeBytes),
    s.invalid ? 'INVALID (its copy-on-write space overflowed: remove it)' : `${s.percent === null ? '?' : s.percent.toFixed(1)}% full`,
    s.timer ? 'the timer\'s' : 'not the timer\'s (never rotated)',
    ...(s.mountpoints.length ? [`mounted at ${s.mountpoints.join(', ')}`] : []),
  ];
  return bits.join(', ');
}

/** Storage that could not be read: the refusal lines (each with the node). */
function storageRefusals(st: StorageFacts, only?: string): string[] {
  if (st.config === null) return [`${st.configError}; the storage actions need the cluster's Filesystem resource`];
  return st.nodes.filter((n) => n.error !== null && (only === undefined || n.name === only)).map((n) => `${n.name}: storage not readable (${n.error})`);
}

// ---- list ----------------------------------------------------------------------------------------

export interface SnapshotListArgs {
  now: number;
}

export const snapshotListAction: ActionDef<SnapshotListArgs> = {
  words: ['snapshot', 'list'],
  parse(positionals) {
    if (positionals.length) return { ok: false, error: { field: 'snapshot list', message: `takes no argument (got ${positionals.join(' ')})` } };
    return { ok: true, args: { now: Date.now() } };
  },
  read: readStorage,
  plan({ args }, extra): ActionPlan {
    const st = extra as StorageFacts;
    const b = base('snapshot list');
    if (st.config === null) return { ...b, summary: 'cannot tell which LV is under DRBD', refusals: storageRefusals(st) };
    const lines: string[] = [];
    let count = 0;
    for (const n of st.nodes) {
      if (n.error !== null) {
        lines.push(`${n.name}: not readable (${n.error})`);
        continue;
      }
      const free = n.vgFreeBytes === null ? '?' : fmtBytes(n.vgFreeBytes);
      lines.push(`${n.name}: ${n.vg}/${n.lv} (${n.lvBytes === null ? '?' : fmtBytes(n.lvBytes)}) under ${st.config.device}, ${free} free in ${n.vg}: ${n.snapshots.length} snapshot(s)`);
      for (const s of n.snapshots) lines.push(`  ${snapshotLine(n.name, s, args.now)}`);
      count += n.snapshots.length;
    }
    return { ...b, summary: `${count} snapshot(s) of the LV under DRBD ${st.config.resource} (snapshots are per node: each node's LV is its own disk)`, facts: lines, done: `${count} snapshot(s) listed` };
  },
};

// ---- create --------------------------------------------------------------------------------------

/** The snapshots of VG/LV this lvs report lists (names only). */
function snapshotNames(r: RunResult, vg: string, lv: string): string[] | null {
  if (!succeeded(r)) return null;
  const p = parseLvmReports(r.stdout);
  if (!p.ok) return null;
  return p.value.lvs.filter((l) => l.isSnapshot && l.vg === vg && l.origin === lv).map((l) => l.name);
}

export interface SnapshotCreateArgs {
  now: number;
}

export const snapshotCreateAction: ActionDef<SnapshotCreateArgs> = {
  words: ['snapshot', 'create'],
  parse(positionals) {
    if (positionals.length) return { ok: false, error: { field: 'snapshot create', message: `takes no argument (got ${positionals.join(' ')}): the snapshot is named as the timer names its own` } };
    return { ok: true, args: { now: Date.now() } };
  },
  read: readStorage,
  plan({ nodes, facts, args }, extra): ActionPlan {
    const st = extra as StorageFacts;
    const b = { ...base('snapshot create'), names: { raidDevice: '', drbdResource: st.config?.resource ?? '' } };
    if (st.config === null) return { ...b, summary: 'cannot tell which LV is under DRBD', refusals: storageRefusals(st) };
    const primary = primaryOf(facts, st.config.resource);
    if (primary === null || !nodes.some((n) => n.name === primary)) {
      return { ...b, summary: 'snapshot the Primary', refusals: [`no node is DRBD Primary of ${st.config.resource}: the filesystem is mounted nowhere, there is nothing consistent to snapshot (start the service first)`] };
    }
    const ns = st.nodes.find((n) => n.name === primary)!;
    const refusals = storageRefusals(st, primary);
    if (refusals.length) return { ...b, summary: `snapshot ${primary}'s LV`, refusals };
    const vg = ns.vg!;
    const lv = ns.lv!;
    const before = ns.snapshots.map((s) => s.name);
    const ours = ns.snapshots.filter((s) => s.timer);
    const check: ProbeCheck = {
      kind: 'probe',
      argv: STORAGE_ARGV.lvs,
      describe: `lvs lists a new snapshot of ${vg}/${lv}`,
      judge: (r) => (snapshotNames(r, vg, lv) ?? []).some((n) => !before.includes(n)),
    };
    const steps: PlanStep[] = [
      step({
        id: `${primary}/snapshot-create`,
        node: primary,
        title: `Snapshot ${vg}/${lv} now, as the timer does (${SNAPSHOT_SERVICE})`,
        why: 'the timer\'s own script: fsfreeze around lvcreate --snapshot, so the snapshot holds a consistent filesystem; its naming, size and free-space refusal',
        commands: [['systemctl', 'start', SNAPSHOT_SERVICE]],
        // A new snapshot is never "already done": the step always runs, and its verify reads it back.
        check: null,
        requires: { kind: 'probe', argv: ['test', '-x', SNAPSHOT_SCRIPT], describe: `${SNAPSHOT_SCRIPT} is installed (backups.snapshots)`, judge: succeeded },
        verify: { ...check, explain: () => [`no new snapshot of ${vg}/${lv}: see journalctl -u ${SNAPSHOT_SERVICE} on ${primary} (the script says why it refused)`] },
        parallelGroup: 'a2-act',
      }),
    ];
    return {
      ...b,
      summary: `snapshot ${vg}/${lv} on ${primary} (DRBD Primary) now, with the timer's script`,
      facts: [
        ...ns.snapshots.map((s) => snapshotLine(primary, s, args.now)),
        `the script keeps backups.snapshots.keep of its own snapshots (${ours.length} now): when that many exist, the oldest goes first`,
        `the filesystem ${st.config.mount} is frozen for the moment lvcreate takes (NFS clients wait, they see no error)`,
      ],
      steps,
      confirm: { kind: 'yes', question: `Snapshot ${vg}/${lv} on ${primary} now (the oldest of the timer's may be rotated out)?` },
      done: `a new snapshot of ${vg}/${lv} exists on ${primary} (hanfs-wizard snapshot list)`,
    };
  },
};

// ---- finding one snapshot --------------------------------------------------------------------------

export interface SnapshotRef {
  /** The node the admin named (NODE:NAME), or null: wherever the name is. */
  node: string | null;
  name: string;
}

function parseRef(arg: string | undefined, field: string): { ok: true; ref: SnapshotRef } | { ok: false; error: ArgError } {
  if (arg === undefined) return { ok: false, error: { field, message: 'which snapshot? (hanfs-wizard snapshot list names them; NODE:NAME when both nodes have one of that name)' } };
  const i = arg.indexOf(':');
  const node = i >= 0 ? arg.slice(0, i) : null;
  const name = i >= 0 ? arg.slice(i + 1) : arg;
  if (node !== null && !NODE_NAME.test(node)) return { ok: false, error: { field, message: `"${node}" is not a node name` } };
  if (!LVM_NAME.test(name)) return { ok: false, error: { field, message: `"${name}" is not an LVM volume name (letters, digits, + _ . -)` } };
  return { ok: true, ref: { node, name } };
}

type Found = { ok: true; node: NodeStorage; snap: SnapshotFact } | { ok: false; bad: ArgError } | { ok: false; refusals: string[] };

/** The snapshot the admin means, on the node that has it. */
export function findSnapshot(st: StorageFacts, ref: SnapshotRef, field = 'NAME'): Found {
  if (st.config === null) return { ok: false, refusals: storageRefusals(st) };
  if (ref.node !== null && !st.nodes.some((n) => n.name === ref.node)) {
    return { ok: false, bad: { field, message: `"${ref.node}" is no node of this cluster; known: ${st.nodes.map((n) => n.name).join(', ')}` } };
  }
  const candidates = st.nodes.filter((n) => ref.node === null || n.name === ref.node);
  const unreadable = candidates.filter((n) => n.error !== null);
  const hits = candidates.flatMap((n) => n.snapshots.filter((s) => s.name === ref.name).map((s) => ({ node: n, snap: s })));
  if (hits.length > 1) return { ok: false, bad: { field, message: `"${ref.name}" exists on ${hits.map((h) => h.node.name).join(' and ')}: give it as NODE:${ref.name}` } };
  if (hits.length === 1) return { ok: true, ...hits[0]! };
  // Not found where it could be read; a node that could not be read might have it: refuse, not "bad".
  if (unreadable.length) return { ok: false, refusals: unreadable.map((n) => `${n.name}: storage not readable (${n.error}); cannot look for ${ref.name} there`) };
  const known = candidates.flatMap((n) => n.snapshots.map((s) => `${n.name}:${s.name}`));
  return { ok: false, bad: { field, message: `no snapshot "${ref.name}"${ref.node ? ` on ${ref.node}` : ''} of the LV under DRBD; ${known.length ? `known: ${known.join(', ')}` : 'there are none (hanfs-wizard snapshot create)'}` } };
}

function notFound(b: ActionPlan, f: Exclude<Found, { ok: true }>, summary: string): ActionPlan {
  return 'bad' in f ? { ...b, summary, bad: f.bad } : { ...b, summary, refusals: f.refusals };
}

// ---- mount / unmount ---------------------------------------------------------------------------------

export interface SnapshotMountArgs {
  ref: SnapshotRef;
  /** Null: the default, /mnt/hanfs-snapshot/<name>. */
  dir: string | null;
  now: number;
}

export const snapshotMountAction: ActionDef<SnapshotMountArgs> = {
  words: ['snapshot', 'mount'],
  parse(positionals) {
    if (positionals.length > 2) return { ok: false, error: { field: 'snapshot mount', message: `NAME [DIR] (got ${positionals.join(' ')})` } };
    const r = parseRef(positionals[0], 'NAME');
    if (!r.ok) return r;
    const dir = positionals[1] ?? null;
    if (dir !== null && (!MOUNT_DIR.test(dir) || dir.split('/').includes('..') || dir === '/')) {
      return { ok: false, error: { field: 'DIR', message: `"${dir}" is not an absolute directory path (letters, digits, . _ @ + - /; no ..)` } };
    }
    return { ok: true, args: { ref: r.ref, dir: dir === null ? null : dir.replace(/\/+$/, ''), now: Date.now() } };
  },
  read: readStorage,
  plan({ facts, args }, extra): ActionPlan {
    const st = extra as StorageFacts;
    const b = base('snapshot mount');
    const f = findSnapshot(st, args.ref);
    if (!f.ok) return notFound(b, f, `mount ${args.ref.name}`);
    const { node, snap } = f;
    const dir = args.dir ?? defaultSnapshotDir(snap.name);
    const config = st.config!;
    const summary = `mount ${node.name}'s snapshot ${snap.vg}/${snap.name} read-only at ${dir} on ${node.name}`;
    if (dir === config.mount || dir.startsWith(`${config.mount}/`)) {
      return { ...b, summary, bad: { field: 'DIR', message: `${dir} is inside the exported filesystem ${config.mount}: choose a directory outside it` } };
    }
    const refusals: string[] = [];
    if (snap.invalid) refusals.push(`${snap.name} is invalid (its copy-on-write space overflowed): its data is lost; remove it`);
    const elsewhere = snap.mountpoints.filter((m) => m !== dir);
    if (elsewhere.length) refusals.push(`${snap.name} is already mounted at ${elsewhere.join(', ')} on ${node.name}: use that, or unmount it first`);
    const primary = primaryOf(facts, config.resource);
    const where =
      primary === node.name
        ? `${node.name} is the DRBD Primary: copy files back into ${config.mount} there`
        : `${node.name} is not the DRBD Primary${primary ? ` (${primary} is)` : ''}: this snapshot was taken while it was; copy files from ${dir} on ${node.name} to ${config.mount} on ${primary ?? 'the Primary'} (scp, rsync)`;
    return {
      ...b,
      summary,
      facts: [snapshotLine(node.name, snap, args.now), where, `mounted with -o ${config.fstype === 'xfs' ? 'ro,norecovery,nouuid' : 'ro,noload'} (${config.fstype}): the snapshot is never written`],
      refusals,
      steps: [snapshotMountStep({ node: node.name, vg: snap.vg, name: snap.name, dir, fstype: config.fstype })],
      confirm: { kind: 'yes', question: `Mount ${snap.name} read-only at ${dir} on ${node.name}?` },
      done: `${snap.name} is mounted read-only at ${dir} on ${node.name}; unmount it when done (hanfs-wizard snapshot unmount ${node.name}:${snap.name})`,
    };
  },
};

export interface SnapshotUnmountArgs {
  ref: SnapshotRef;
}

export const snapshotUnmountAction: ActionDef<SnapshotUnmountArgs> = {
  words: ['snapshot', 'unmount'],
  parse(positionals) {
    if (positionals.length > 1) return { ok: false, error: { field: 'snapshot unmount', message: `NAME (got ${positionals.join(' ')})` } };
    const r = parseRef(positionals[0], 'NAME');
    return r.ok ? { ok: true, args: { ref: r.ref } } : r;
  },
  read: readStorage,
  plan({ args }, extra): ActionPlan {
    const st = extra as StorageFacts;
    const b = base('snapshot unmount');
    const f = findSnapshot(st, args.ref);
    if (!f.ok) return notFound(b, f, `unmount ${args.ref.name}`);
    const { node, snap } = f;
    if (snap.mountpoints.length === 0) return { ...b, summary: `${node.name}'s snapshot ${snap.name} is not mounted: nothing to do`, done: `${snap.name} is not mounted` };
    const steps = snap.mountpoints.map((dir, i) => {
      const s = snapshotUnmountStep({ node: node.name, name: snap.name, dir });
      return i === 0 ? s : { ...s, id: `${s.id}-${i + 1}` };
    });
    return {
      ...b,
      summary: `unmount ${node.name}'s snapshot ${snap.name} from ${snap.mountpoints.join(', ')}`,
      facts: [],
      steps,
      confirm: { kind: 'yes', question: `Unmount ${snap.name} from ${snap.mountpoints.join(', ')} on ${node.name}?` },
      done: `${snap.name} is no longer mounted on ${node.name}`,
    };
  },
};

// ---- remove --------------------------------------------------------------------------------------

export interface SnapshotRemoveArgs {
  ref: SnapshotRef;
  now: number;
}

export const snapshotRemoveAction: ActionDef<SnapshotRemoveArgs> = {
  words: ['snapshot', 'remove'],
  parse(positionals) {
    if (positionals.length > 1) return { ok: false, error: { field: 'snapshot remove', message: `one NAME (got ${positionals.join(' ')})` } };
    const r = parseRef(positionals[0], 'NAME');
    return r.ok ? { ok: true, args: { ref: r.ref, now: Date.now() } } : r;
  },
  read: readStorage,
  plan({ facts, args }, extra): ActionPlan {
    const st = extra as StorageFacts;
    const b = base('snapshot remove');
    const f = findSnapshot(st, args.ref);
    if (!f.ok) return notFound(b, f, `remove ${args.ref.name}`);
    const { node, snap } = f;
    const refusals: string[] = [];
    if (snap.mountpoints.length) refusals.push(`${snap.name} is mounted at ${snap.mountpoints.join(', ')} on ${node.name}: unmount it first (hanfs-wizard snapshot unmount ${node.name}:${snap.name})`);
    // DRBD's resync snapshot is what survives if the resync source dies while this node resyncs.
    const disk = facts.nodes.find((n) => n.name === node.name)?.drbd?.find((d) => d.name === st.config!.resource)?.disk ?? null;
    if (RESYNC_SNAPSHOT.test(snap.name) && disk !== 'UpToDate') {
      refusals.push(`${snap.name} is DRBD's resync snapshot and ${node.name}'s disk is ${disk ?? 'unknown'}, not UpToDate: it is the only consistent copy until the resync ends (its after-resync handler removes it)`);
    }
    const gone: ProbeCheck = {
      kind: 'probe',
      argv: STORAGE_ARGV.lvs,
      describe: `lvs no longer lists ${snap.vg}/${snap.name}`,
      judge: (r) => {
        const names = snapshotNames(r, snap.vg, st.nodes.find((n) => n.name === node.name)!.lv!);
        return names !== null && !names.includes(snap.name);
      },
    };
    return {
      ...b,
      summary: `remove ${node.name}'s snapshot ${snap.vg}/${snap.name}`,
      facts: [snapshotLine(node.name, snap, args.now)],
      refusals,
      steps: [
        step({
          id: `${node.name}/snapshot-remove-${snap.name}`,
          node: node.name,
          title: `Remove snapshot ${snap.vg}/${snap.name}`,
          why: 'frees its copy-on-write space in the VG; what it held is gone for good',
          destructive: true,
          commands: [['lvremove', '--yes', `${snap.vg}/${snap.name}`]],
          check: gone,
          verify: gone,
          parallelGroup: 'a2-act',
        }),
      ],
      confirm: { kind: 'typed', words: `remove ${snap.name}`, why: `This destroys ${node.name}'s snapshot ${snap.vg}/${snap.name} and everything it holds.` },
      done: `${snap.vg}/${snap.name} is gone from ${node.name}`,
    };
  },
};
