// Resync progress that is always right: never negative, never above 100, never frozen while out-of-sync
// moves, with rate and ETA from a moving window.
//
// Why not drbdtop's formula: it computed 100 - oos*100/size from the device size, which went to
// -549739692404 % when the size was not (yet) known or smaller than the out-of-sync amount (LINBIT/drbdtop
// issue 7), and its gauge only moved when an event carried a new out-of-sync value (issue 18; DRBD 8.4's
// events2 prints none during a resync at all). drbdmon uses the kernel's `done:` (DRBD 9 only), clamps it,
// and resets to 100 % on Established. Here: the total is the out-of-sync amount when the resync started
// (the kernel's rs_total, which /proc/drbd also prints), raised if out-of-sync ever exceeds it; the percent
// is recomputed from every new out-of-sync sample (events2, /proc/drbd polls); DRBD 9's `done:` recovers
// the total when the monitor starts mid-resync, and is the percent itself when no out-of-sync is known.

export interface SyncSample {
  t: number;
  oosKiB: number;
}

export interface SyncProgress {
  /** KiB to sync when the resync started (never below any out-of-sync seen since). */
  totalKiB: number;
  oosKiB: number;
  /** 0..100, never NaN. */
  percent: number;
  /** KiB/s over the window, null until two samples show progress. */
  rateKiBs: number | null;
  etaSec: number | null;
  startedAt: number;
  /** Samples inside the window, oldest first (bounded). */
  samples: SyncSample[];
}

/** The window rate and ETA are computed over. */
export const RATE_WINDOW_MS = 20_000;
const MAX_SAMPLES = 32;

/** Replication states in which a resync is running or about to. */
export const RESYNC_STATES = new Set([
  'StartingSyncS', 'StartingSyncT', 'WFBitMapS', 'WFBitMapT', 'WFSyncUUID',
  'SyncSource', 'SyncTarget', 'PausedSyncS', 'PausedSyncT', 'VerifyS', 'VerifyT',
]);

export function clampPercent(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.min(100, Math.max(0, p));
}

export interface SyncInput {
  t: number;
  oosKiB: number | null;
  /** The kernel's total for this resync when known (/proc/drbd "(left/total)K"). */
  totalKiB?: number | null;
  /** DRBD 9 `done:` percent. */
  done?: number | null;
  /** DRBD 9 `eta:` seconds, or /proc/drbd "finish:". */
  etaSec?: number | null;
  /** Kernel-reported speed (/proc/drbd), shown until the window has its own. */
  speedKiBs?: number | null;
}

/** Starts or advances the progress of one peer device's resync. Pure. */
export function advanceSync(prev: SyncProgress | null, input: SyncInput): SyncProgress {
  const oos = input.oosKiB ?? prev?.oosKiB ?? null;
  const startedAt = prev?.startedAt ?? input.t;
  // DRBD 9's done: is relative to the kernel's rs_total: a monitor started mid-resync recovers that total
  // from it instead of taking the current out-of-sync amount as the whole (which would read 0 %).
  const done = input.done ?? null;
  const fromDone = done !== null && oos !== null && done >= 0 && done < 100 ? oos / (1 - done / 100) : 0;
  let total = Math.max(prev?.totalKiB ?? 0, input.totalKiB ?? 0, oos ?? 0, Number.isFinite(fromDone) ? fromDone : 0);
  let samples = prev?.samples ?? [];
  if (oos !== null) {
    const last = samples[samples.length - 1];
    if (last === undefined || last.t !== input.t || last.oosKiB !== oos) {
      samples = [...samples.filter((s) => s.t >= input.t - RATE_WINDOW_MS && s.t <= input.t), { t: input.t, oosKiB: oos }];
      if (samples.length > MAX_SAMPLES) samples = samples.slice(samples.length - MAX_SAMPLES);
    }
  }
  let percent: number;
  if (oos !== null && total > 0) percent = ((total - oos) / total) * 100;
  else if (input.done !== undefined && input.done !== null) percent = input.done;
  else percent = prev?.percent ?? 0;
  percent = clampPercent(percent);
  if (total === 0 && oos === null) total = 0;

  let rate: number | null = null;
  const first = samples[0];
  const newest = samples[samples.length - 1];
  if (first && newest && newest.t > first.t) {
    const r = ((first.oosKiB - newest.oosKiB) / (newest.t - first.t)) * 1000;
    // A growing out-of-sync (writes faster than the resync) is no rate: show none rather than a negative.
    if (r > 0) rate = r;
  }
  if (rate === null && input.speedKiBs !== undefined && input.speedKiBs !== null && input.speedKiBs > 0) rate = input.speedKiBs;
  let eta: number | null = null;
  if (rate !== null && oos !== null) eta = Math.max(0, Math.round(oos / rate));
  else if (input.etaSec !== undefined && input.etaSec !== null && input.etaSec >= 0) eta = input.etaSec;
  return { totalKiB: total, oosKiB: oos ?? 0, percent, rateKiBs: rate, etaSec: eta, startedAt, samples };
}
