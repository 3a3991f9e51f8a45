// The SBD choice of the Pacemaker step (issue 26, point 5): the shared disk chosen among the probed
// devices of both nodes (sbd-candidates.ts: each refused one says why), or diskless SBD when a quorum
// device is set; the watchdog and its timeout; the timeouts derived from them exactly as the CIB and
// `sbd create` get them (generate/sbd.ts's sbdTimeouts). Writes only pacemaker.stonith.sbd's fields.
import { PRIORITY_FENCING_DELAY_S } from '../generate/fencing.js';
import { sbdTimeouts } from '../generate/sbd.js';
import { tuningSeconds } from '../answers/schema.js';
import { watchdogFactsProblem } from '../probes/watchdog.js';
import { getPath, setPath } from './draft.js';
import { firstSbdDevice, sbdCandidates } from './sbd-candidates.js';
import type { Draft, FieldDef, FieldErrors, FieldOption, StepContext } from './types.js';

export const SBD_PATH = 'pacemaker.stonith.sbd';
const DEVICE = `${SBD_PATH}.device`;
const WATCHDOG = `${SBD_PATH}.watchdog`;
const TIMEOUT = `${SBD_PATH}.watchdogTimeout`;
/** The select's value for "no device": watchdog-only SBD. Not a device path, never written to the answers. */
export const DISKLESS = 'diskless';
/** The answers' defaults (schema.ts sbdSchema); the probe lists each node's watchdogs, apply's preflight checks them again. */
const DEFAULT_WATCHDOG = '/dev/watchdog';
const DEFAULT_TIMEOUT = 5;

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

export function sbdOfDraft(d: Draft): Record<string, unknown> | null {
  const s = getPath(d, 'pacemaker.stonith');
  return isObject(s) && isObject(s.sbd) ? s.sbd : null;
}

const hasQuorumDevice = (d: Draft) => isObject(getPath(d, 'cluster.quorumDevice'));

/** STONITH by SBD: the first device that can hold it (else diskless with a quorum device, else none yet). */
export function chooseSbd(d: Draft, ctx: StepContext | null): Draft {
  const device = firstSbdDevice(d, ctx?.facts ?? null);
  return setPath(d, 'pacemaker.stonith', { sbd: { ...(device ? { device } : {}), watchdog: DEFAULT_WATCHDOG, watchdogTimeout: DEFAULT_TIMEOUT } });
}

function deviceOptions(d: Draft, ctx: StepContext): FieldOption[] {
  const options: FieldOption[] = sbdCandidates(d, ctx.facts).map((c) => ({
    value: c.path,
    label: c.label,
    explain: c.reasons.length === 0
      ? `${c.path}: ${c.where}, the same disk on both nodes; sbd create writes SBD's slots on it, destroying what it holds (apply asks you to type it first).`
      : `${c.path} (${c.where}) cannot hold SBD: ${c.reasons.join('; ')}.`,
  }));
  if (hasQuorumDevice(d)) {
    options.push({ value: DISKLESS, label: 'none: diskless SBD', explain: `${DISKLESS}: watchdog-only SBD; a node that loses quorum (the quorum device decides) resets itself through its watchdog, and Pacemaker counts it fenced after stonith-watchdog-timeout.` });
  }
  // A device written by hand in the answers file, not among the probed ones, stays choosable (its checks still run).
  const current = getPath(d, DEVICE);
  if (typeof current === 'string' && !options.some((o) => o.value === current)) {
    options.push({ value: current, explain: `${current}: from the answers file; not a device the probes of both nodes found.` });
  }
  return options;
}

export function sbdFields(d: Draft, ctx: StepContext): FieldDef[] {
  return [
    {
      path: DEVICE,
      label: 'SBD disk',
      kind: 'select',
      options: deviceOptions(d, ctx),
      hint: 'A small disk both nodes see by the same /dev/disk/by-id name, used for nothing else. None of the probed devices fits: attach one and probe again (back to the probing step, r), or set a quorum device above for diskless SBD.',
      read: (dd) => (getPath(dd, DEVICE) ?? (hasQuorumDevice(dd) ? DISKLESS : undefined)),
      write: (dd, v) => setPath(dd, DEVICE, v === DISKLESS ? undefined : String(v)),
    },
    { path: WATCHDOG, label: 'SBD watchdog', kind: 'text', hint: 'The watchdog device sbd opens on both nodes (/dev/watchdog unless the node has several); the probe lists each node\'s watchdogs, and apply checks it again with wdctl and sbd query-watchdog before anything is configured.' },
    { path: TIMEOUT, label: 'SBD watchdog timeout (s)', kind: 'number', hint: 'Seconds without sbd\'s tickle before the watchdog resets the node (5-120). Derived: msgwait 2 x this; stonith-timeout at least 2 x msgwait (above msgwait + 20 %) plus the fence delays.' },
  ];
}

/** A chosen device that the probes show cannot hold SBD: its reasons (the schema adds its own checks). */
export function sbdErrors(d: Draft, ctx: StepContext): FieldErrors {
  const sbd = sbdOfDraft(d);
  if (!sbd) return {};
  const errors: FieldErrors = {};
  const device = sbd.device;
  if (typeof device === 'string') {
    const c = sbdCandidates(d, ctx.facts).find((x) => x.path === device);
    if (c && c.reasons.length > 0) errors[DEVICE] = c.reasons.join('; ');
  }
  // No device without a quorum device: the answers' own check says it (fencing-checks.ts).
  for (const p of [WATCHDOG, TIMEOUT]) if (getPath(d, p) === undefined || getPath(d, p) === '') errors[p] = 'is required';
  // The watchdog both nodes must have (sbd will not start without it, and a node that cannot be reset
  // cannot be fenced): from the probe's listing. A value that is no watchdog path keeps the schema's error.
  const wd = getPath(d, WATCHDOG);
  if (typeof wd === 'string' && /^\/dev\/watchdog\d{0,3}$/.test(wd)) {
    const problems = (ctx.facts ?? []).flatMap((f, i) => watchdogFactsProblem(f.hostname || `nodes[${i}]`, wd, f.watchdog) ?? []);
    if (problems.length > 0) errors[WATCHDOG] = problems.join('; ');
  }
  return errors;
}

/** The timeouts as the CIB and `sbd create` will get them. */
export function sbdNotes(d: Draft): string[] {
  const sbd = sbdOfDraft(d);
  if (!sbd) return [];
  const w = sbd.watchdogTimeout;
  const notes: string[] = [];
  if (typeof w === 'number' && Number.isInteger(w) && w >= 5 && w <= 120) {
    const diskless = typeof sbd.device !== 'string';
    // The draft's priority-fencing-delay when it has a valid one (an edited answers file), else the default.
    const pfd = getPath(d, 'pacemaker.tuning.priorityFencingDelay');
    const priority = (typeof pfd === 'string' ? tuningSeconds(pfd) : null) ?? PRIORITY_FENCING_DELAY_S;
    const t = sbdTimeouts({ device: diskless ? undefined : String(sbd.device), watchdog: String(sbd.watchdog ?? DEFAULT_WATCHDOG), watchdogTimeout: w }, priority);
    // One line each (the screen has 24): the formulas are in the timeout field's hint and docs/answers.md.
    notes.push(diskless
      ? `SBD: stonith-watchdog-timeout ${t.stonithWatchdogTimeout} s (2 x watchdog ${t.watchdog} s), stonith-timeout ${t.stonithTimeout} s`
      : `SBD: msgwait ${t.msgwait} s (2 x watchdog ${t.watchdog} s), stonith-timeout ${t.stonithTimeout} s (derived)`);
  }
  return notes;
}
