// Small pure formatting helpers shared by the text formatter and the screens.

export function fmtKiB(k: number | null): string {
  if (k === null) return '?';
  if (k >= 1024 * 1024) return `${(k / 1024 / 1024).toFixed(1)} GiB`;
  if (k >= 1024) return `${(k / 1024).toFixed(1)} MiB`;
  return `${Math.round(k)} KiB`;
}

export function fmtBytes(b: number): string {
  return fmtKiB(b / 1024);
}

export function fmtRate(kibs: number | null): string {
  return kibs === null ? '-' : `${fmtKiB(kibs)}/s`;
}

/** h:mm:ss, or "-" when unknown. */
export function fmtEta(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '-';
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** "3 min", "2 h", "5 d": the age of a snapshot. */
export function fmtAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

export const clock = (t: number): string => new Date(t).toISOString().slice(11, 19);

/** A text progress bar `[#####.....]` of `width` cells; percent is clamped. */
export function bar(percent: number, width: number): string {
  const p = Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
  const full = Math.round((p / 100) * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}
