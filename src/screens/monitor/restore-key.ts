// The R key's questions, from what the monitor shows: the path (checked as restore's own parse checks
// it, and inside the export the monitor's CIB declares), then the snapshot (the DRBD Primary's, as its
// last lvs listed them, newest first; or a time: the newest taken at or before it), then beside the live
// path or over it. Each answer is the subcommand's argument or flag (PATH, --from, --at, --replace).
import type { MonitorState } from '../../monitor/model.js';
import { cibTopology } from '../../probes/cib-facts.js';
import { atError, outsideExportError, restorePathError } from '../../plan/actions/restore.js';
import { ageText, storageConfigFrom } from '../../plan/actions/storage-facts.js';
import type { KeyArgs } from './flow-prompts.js';
import type { PickOption, Prompt, TextPrompt } from './flow-prompts.js';

/** The node whose DRBD the monitor last saw Primary (where restore reads the snapshot), or null. */
export function drbdPrimary(state: MonitorState): string | null {
  return state.nodeOrder.find((n) => Object.values(state.nodes[n]?.drbd.resources ?? {}).some((r) => r.role === 'Primary')) ?? null;
}

/** The export directories and the replicated mount point, from the CIB the monitor read (null: not read). */
function exportOf(state: MonitorState): { exports: string[]; mount: string } | null {
  for (const n of state.nodeOrder) {
    const cib = state.nodes[n]?.cib;
    if (!cib) continue;
    const c = storageConfigFrom(cib, null);
    if (c.ok) return { exports: cibTopology(cib).exports, mount: c.config.mount };
  }
  return null;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z').replace('T', ' ');
const line = (e: { field: string; message: string } | null) => (e ? `${e.field}: ${e.message}` : null);

export function pathPrompt(state: MonitorState): TextPrompt {
  const ex = exportOf(state);
  return {
    kind: 'text',
    question: `path to bring back (under ${ex ? (ex.exports.length ? ex.exports : [ex.mount]).join(', ') : 'the export'})`,
    target: { to: 'positional' },
    check: (v) => line(restorePathError(v)) ?? (ex ? line(outsideExportError(v, ex.exports, ex.mount)) : null),
  };
}

const AT: TextPrompt = { kind: 'text', question: 'time (YYYY-MM-DD HH:MM, UTC; the newest snapshot taken at or before it)', target: { to: 'flag', flag: 'at' }, check: (v) => line(atError(v)) };
const NAMED: TextPrompt = { kind: 'text', question: 'snapshot name (as S lists it)', target: { to: 'flag', flag: 'from' } };

/** The Primary's snapshots as the monitor last listed them, newest first; then a time, or a name. */
export function snapshotPrompt(state: MonitorState): Prompt {
  const primary = drbdPrimary(state);
  const lvs = primary ? (state.nodes[primary]?.lvm.lvs ?? []) : [];
  const snaps = lvs.filter((l) => l.isSnapshot).sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
  const options: PickOption[] = snaps.map((l) => ({
    label: `${l.name}  taken ${l.createdAt === null ? '?' : `${iso(l.createdAt)} (${ageText(state.now - l.createdAt)} ago)`}, ${l.snapPercent ?? '?'} % full${l.invalid ? '  INVALID' : ''}`,
    set: { from: l.name },
  }));
  options.push({ label: 'at a time: the newest snapshot taken at or before it', then: AT }, { label: 'another snapshot, by name', then: NAMED });
  return {
    kind: 'pick',
    question: 'from which snapshot',
    options,
    context: [primary ? `snapshots of ${primary} (DRBD Primary, where restore reads them), newest first` : 'no node is DRBD Primary as the monitor last read it: the plan will say'],
  };
}

export const WHERE_PROMPT: Prompt = {
  kind: 'pick',
  question: 'where the copy goes',
  options: [
    { label: 'beside the live path, as PATH.restored-<time> (nothing live changes)' },
    { label: 'over the live path (--replace: the path is typed to confirm)', set: { replace: true } },
  ],
};

export function restoreArgs(state: MonitorState): KeyArgs {
  return { ok: true, positionals: [], prompts: [pathPrompt(state), snapshotPrompt(state), WHERE_PROMPT] };
}
