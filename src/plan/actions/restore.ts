// `restore PATH --from SNAPSHOT | --at TIME [--replace]`: a file or directory of the export brought back
// from an LVM snapshot on the Primary (DRBD mirrors `rm -rf` too: the snapshots are what keeps yesterday).
// The snapshot is mounted read-only (the snapshot-steps.ts builders of `snapshot mount|unmount`: ext4
// noload / xfs norecovery,nouuid, so it is never written), PATH's copy in it is copied back BESIDE the
// live path as PATH.restored-<time> (nothing live is touched: the admin compares, then keeps either), or,
// with --replace and the path typed, over it; the copy is read back (diff -rq: byte for byte), and the
// snapshot is unmounted again (unless it was mounted before: then it is left as it was).
import { succeeded, type Runner, type RunResult } from '../../exec/runner.js';
import { cibTopology } from '../../probes/cib-facts.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';
import { defaultSnapshotDir, snapshotMountStep, snapshotUnmountStep } from './snapshot-steps.js';
import { readStorageFacts, type SnapshotFact, type StorageFacts } from './storage-facts.js';
import type { ActionDef, ActionInput, ActionPlan, ArgError } from './types.js';

export interface RestoreArgs {
  path: string;
  from: string | null;
  /** --at: ms since the epoch (UTC unless the time says otherwise). */
  at: number | null;
  atText: string | null;
  replace: boolean;
}

export interface RestoreRead {
  storage: StorageFacts;
  /** `stat -c '%s %Y %F'` of the live path on the Primary: null when it does not exist (deleted). */
  live: { size: number; mtime: number; kind: string } | null;
  liveError: string | null;
  /**
   * `stat` of PATH's copy in the chosen snapshot, read only when that snapshot is mounted already (read()
   * never mounts): its size and time then show with the plan. Null: not mounted (then the copy step's
   * stat journals them), or not read.
   */
  copy?: { dir: string; stat: { size: number; mtime: number; kind: string } | null; error: string | null } | null;
  stamp: string;
}

export const statArgv = (p: string) => ['stat', '-c', '%s %Y %F', p];

function parseStat(r: RunResult): RestoreRead['live'] {
  const m = /^(\d+) (\d+) (.+)$/.exec(r.stdout.trim());
  return succeeded(r) && m ? { size: Number(m[1]), mtime: Number(m[2]) * 1000, kind: m[3]! } : null;
}

/** "2026-11-25 19:40", "2026-11-25T19:40:00Z": a time the admin types; UTC unless a zone is given. */
export function parseAt(s: string): number | null {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d)?)(Z|[+-]\d\d:?\d\d)?$/.exec(s.trim());
  if (!m) return null;
  const t = Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  return Number.isNaN(t) ? null : t;
}

const trimPath = (p: string) => p.replace(/\/+$/, '') || '/';

/** PATH as parse() takes it (absolute, no ".."), or the error naming it; the monitor's R key asks with it. */
export function restorePathError(path: string): ArgError | null {
  if (!path.startsWith('/') || path.split('/').includes('..') || /[\n\0]/.test(path) || path.length > 4096) return { field: 'PATH', message: `"${path}" is not an absolute path inside the export (no "..")` };
  return null;
}

/** --at as parse() takes it (parseAt), or the error naming it. */
export function atError(text: string): ArgError | null {
  return parseAt(text) === null ? { field: '--at', message: `"${text}" is not a time: write "YYYY-MM-DD HH:MM" (UTC) or an ISO time with its zone` } : null;
}

/**
 * Why PATH is not a path restore brings back: outside every export directory (the CIB's exportfs
 * resources, else the mount point), or the mount point itself. Null: inside.
 */
export function outsideExportError(path: string, exports: string[], mount: string): ArgError | null {
  const p = trimPath(path);
  const roots = exports.length ? exports : [mount];
  const inside = roots.some((root) => p === root || p.startsWith(`${root.replace(/\/+$/, '')}/`));
  return inside && p !== mount ? null : { field: 'PATH', message: `${p} is outside the export (${roots.join(', ')}): restore brings back files of the export only` };
}

const iso = (ms: number | null) => (ms === null ? 'unknown' : new Date(ms).toISOString().replace('.000Z', 'Z'));

export const restoreAction: ActionDef<RestoreArgs> = {
  words: ['restore'],
  parse(positionals, flags) {
    const usage = 'usage: restore PATH --from SNAPSHOT | --at TIME [--replace]';
    const path = positionals[0];
    if (path === undefined || positionals.length > 1) return { ok: false, error: { field: 'PATH', message: `one path of the export; ${usage}` } };
    const pathError = restorePathError(path);
    if (pathError) return { ok: false, error: pathError };
    const from = typeof flags['from'] === 'string' ? flags['from'] : null;
    const atText = typeof flags['at'] === 'string' ? flags['at'] : null;
    if ((from === null) === (atText === null)) return { ok: false, error: { field: '--from', message: `name the snapshot (--from NAME, see snapshot list) or the time (--at "YYYY-MM-DD HH:MM", UTC), one of them; ${usage}` } };
    if (from !== null && !/^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/.test(from)) return { ok: false, error: { field: '--from', message: `"${from}" is not an LVM snapshot name` } };
    const at = atText === null ? null : parseAt(atText);
    if (atText !== null && at === null) return { ok: false, error: atError(atText)! };
    return { ok: true, args: { path: trimPath(path), from, at, atText, replace: flags['replace'] === true } };
  },
  async read({ nodes, facts, args }): Promise<RestoreRead> {
    const storage = await readStorageFacts(nodes, facts.cib, facts.cibError);
    const primary = primaryOf({ nodes, facts, args });
    const n = nodes.find((x) => x.name === primary);
    const r = n ? await n.runner.run(statArgv(args.path), { timeoutMs: 30_000 }) : null;
    const copy = n ? await statMountedCopy(n.runner, storage, primary!, args) : null;
    const d = new Date();
    const p = (x: number) => String(x).padStart(2, '0');
    return {
      storage,
      live: r ? parseStat(r) : null,
      liveError: r === null ? 'no Primary' : statError(r),
      copy,
      stamp: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
    };
  },
  plan(input, extra): ActionPlan {
    return planRestore(input, extra as RestoreRead);
  },
};

const statError = (r: RunResult): string | null => (succeeded(r) || /No such file/.test(r.stderr) ? null : r.error ?? r.stderr.trim());

/** PATH's copy in the snapshot restore will use, stat'ed only where that snapshot is mounted already (read-only: never mounts). */
export async function statMountedCopy(runner: Runner, storage: StorageFacts, primary: string, args: RestoreArgs): Promise<RestoreRead['copy']> {
  const config = storage.config;
  const st = storage.nodes.find((x) => x.name === primary);
  if (!config || !st || st.error || !args.path.startsWith(`${config.mount.replace(/\/+$/, '')}/`)) return null;
  const picked = pickSnapshot(st.snapshots, args, primary);
  const dir = picked.ok ? picked.snap.mountpoints[0] : undefined;
  if (!dir) return null;
  const r = await runner.run(statArgv(`${dir}${relOf(args.path, config.mount)}`), { timeoutMs: 30_000 });
  return { dir, stat: parseStat(r), error: statError(r) };
}

const relOf = (path: string, mount: string) => path.slice(mount.replace(/\/+$/, '').length);

function primaryOf({ facts }: ActionInput<RestoreArgs>): string | null {
  return facts.nodes.find((n) => n.drbd?.some((d) => d.role === 'Primary'))?.name ?? null;
}

const NONE = { confirm: { kind: 'none' } as const, steps: [] as PlanStep[], done: '' };

/** The snapshot: by name, or the newest one taken at or before the time. */
function pickSnapshot(snaps: SnapshotFact[], args: RestoreArgs, node: string): { ok: true; snap: SnapshotFact } | { ok: false; field: string; message: string } {
  if (args.from !== null) {
    const s = snaps.find((x) => x.name === args.from);
    return s ? { ok: true, snap: s } : { ok: false, field: '--from', message: `no snapshot "${args.from}" on ${node} (the Primary); its snapshots: ${snaps.map((x) => x.name).join(', ') || 'none'}` };
  }
  const before = snaps.filter((x) => x.createdAt !== null && x.createdAt <= args.at!).sort((a, b) => b.createdAt! - a.createdAt!);
  return before[0] ? { ok: true, snap: before[0] } : { ok: false, field: '--at', message: `no snapshot on ${node} was taken at or before ${iso(args.at)}; its snapshots: ${snaps.map((x) => `${x.name} (${iso(x.createdAt)})`).join(', ') || 'none'}` };
}

/** The snapshot's copy: its size and time when read (the snapshot was mounted), else where they will be. */
function snapshotLine(src: string, mountedAt: string | null, copy: RestoreRead['copy'] | null): string {
  if (!mountedAt) return `snapshot: ${src}; its size and time are read after the snapshot is mounted (stat, in the journal), and compared after the copy (diff -rq)`;
  const what = copy?.stat ? `${copy.stat.kind}, ${copy.stat.size} bytes, modified ${iso(copy.stat.mtime)}` : copy?.error ? `not readable (${copy.error})` : copy ? 'does not exist in the snapshot' : 'not read';
  return `snapshot: ${src}: ${what} (the snapshot is mounted there already: left mounted); compared after the copy (diff -rq)`;
}

export function planRestore(input: ActionInput<RestoreArgs>, r: RestoreRead): ActionPlan {
  const { args, facts } = input;
  const base = { action: 'restore', names: { raidDevice: '', drbdResource: '' } };
  const primary = primaryOf(input);
  const config = r.storage.config;
  if (!config) return { ...base, ...NONE, summary: 'cannot find the replicated filesystem', facts: [], refusals: [r.storage.configError ?? 'the CIB could not be read'] };
  if (!primary) return { ...base, ...NONE, summary: 'no Primary', facts: [], refusals: ['no node is DRBD Primary: the export is not mounted anywhere to restore into'] };
  const outside = outsideExportError(args.path, facts.cib ? cibTopology(facts.cib).exports : [], config.mount);
  if (outside) return { ...base, ...NONE, summary: '', facts: [], refusals: [], bad: outside };
  const st = r.storage.nodes.find((n) => n.name === primary);
  if (!st || st.error || !st.vg) return { ...base, ...NONE, summary: `cannot read ${primary}'s storage`, facts: [], refusals: [`${primary}: ${st?.error ?? 'storage not read'}`] };
  const picked = pickSnapshot(st.snapshots, args, primary);
  if (!picked.ok) return { ...base, ...NONE, summary: '', facts: [], refusals: [], bad: { field: picked.field, message: picked.message } };
  const snap = picked.snap;
  const rel = relOf(args.path, config.mount);
  const mountedAt = snap.mountpoints[0] ?? null;
  const dir = mountedAt ?? defaultSnapshotDir(snap.name);
  const src = `${dir}${rel}`;
  const dest = args.replace ? args.path : `${args.path}.restored-${r.stamp}`;
  const lines = [
    `${primary} is Primary: the snapshot ${st.vg}/${snap.name} (taken ${iso(snap.createdAt)}, ${snap.percent ?? '?'} % of its space used) is read there`,
    `live: ${args.path}: ${r.live ? `${r.live.kind}, ${r.live.size} bytes, modified ${iso(r.live.mtime)}` : r.liveError ? `not readable (${r.liveError})` : 'does not exist (deleted)'}`,
    snapshotLine(src, mountedAt, r.copy ?? null),
    args.replace ? `the copy goes OVER ${args.path}` : `the copy goes beside it: ${dest} (nothing live is changed; compare, then keep either)`,
  ];
  const refusals = snap.invalid ? [`${snap.name} is invalid (its copy-on-write space overflowed): its contents are lost; choose another snapshot`] : [];
  if (mountedAt && r.copy && r.copy.dir === mountedAt && !r.copy.stat && !r.copy.error) refusals.push(`${rel} does not exist in ${snap.name} (taken ${iso(snap.createdAt)}, mounted at ${mountedAt}): choose an older snapshot`);
  const steps: PlanStep[] = [];
  if (!mountedAt) steps.push(snapshotMountStep({ node: primary, vg: st.vg, name: snap.name, dir, fstype: config.fstype, group: 'a2-act' }));
  const same: ProbeCheck = { kind: 'probe', argv: ['diff', '-rq', '--no-dereference', src, dest], describe: `${dest} is byte for byte ${src}`, judge: (x) => x.exitCode === 0 };
  steps.push(step({
    id: `${primary}/restore-copy`,
    node: primary,
    title: `Copy ${rel} from ${snap.name} to ${dest}`,
    why: args.replace ? 'the path as it was in the snapshot, over the live one (confirmed by typing the path)' : 'beside the live path: nothing live is overwritten',
    commands: [['stat', '-c', '%n: %F, %s bytes, modified %y', src], ['cp', '-a', '--no-target-directory', src, dest]],
    check: args.replace ? null : same,
    verify: same,
    destructive: args.replace,
    parallelGroup: 'a3-act',
  }));
  if (!mountedAt) steps.push(snapshotUnmountStep({ node: primary, name: snap.name, dir, group: 'a6-finish' }));
  return {
    ...base,
    summary: `restore ${args.path} from snapshot ${snap.name} on ${primary} ${args.replace ? 'over the live path' : `as ${dest}`}`,
    facts: lines,
    refusals,
    steps,
    confirm: args.replace ? { kind: 'typed', words: args.path, why: `${args.path} is overwritten with its copy from ${snap.name} (${iso(snap.createdAt)}); what changed since is lost.` } : { kind: 'yes', question: `Copy ${args.path} from ${snap.name} to ${dest}?` },
    done: `${dest} is ${args.path} as it was in ${snap.name}${mountedAt ? '' : `; ${snap.name} is unmounted again`}`,
  };
}
