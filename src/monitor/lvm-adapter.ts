// The monitor's own reading of `vgs`/`lvs --reportformat json --units b` (src/probes/lvm.ts, the probe
// developer's, did not exist when the monitor was written). Keeps VG free space and snapshots with their
// age and fill. Accepts several JSON documents one after the other (lvm prints one per command). Pure.

export interface MonitorVg {
  name: string;
  sizeBytes: number;
  freeBytes: number;
}

export interface MonitorLv {
  name: string;
  vg: string;
  attr: string;
  sizeBytes: number;
  origin: string | null;
  /** Snapshot fill in percent (snap_percent / data_percent), null for non-snapshots. */
  snapPercent: number | null;
  /** lv_time in ms since the epoch, when reported. */
  createdAt: number | null;
  isSnapshot: boolean;
  /** lv_attr 5th char I/i: the snapshot overflowed and is invalid. */
  invalid: boolean;
}

export type LvmResult = { ok: true; vgs: MonitorVg[]; lvs: MonitorLv[] } | { ok: false; error: string };

/** Splits concatenated JSON documents (`pvs ...; vgs ...; lvs ...` in one capture). */
function documents(text: string): unknown[] | null {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) {
        try {
          out.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          return null;
        }
      }
    }
  }
  return out;
}

const bytes = (v: unknown): number => Number(String(v ?? '0').replace(/B$/, '')) || 0;

export function parseLvmForMonitor(text: string): LvmResult {
  const docs = documents(text);
  if (docs === null || docs.length === 0) return { ok: false, error: text.trim().split('\n')[0] || 'no LVM report' };
  const vgs: MonitorVg[] = [];
  const lvs: MonitorLv[] = [];
  for (const d of docs) {
    const report = (d as { report?: Record<string, unknown>[] }).report ?? [];
    for (const r of report) {
      for (const vg of (r['vg'] as Record<string, string>[] | undefined) ?? []) {
        vgs.push({ name: vg['vg_name'] ?? '', sizeBytes: bytes(vg['vg_size']), freeBytes: bytes(vg['vg_free']) });
      }
      for (const lv of (r['lv'] as Record<string, string>[] | undefined) ?? []) {
        const attr = lv['lv_attr'] ?? '';
        const isSnapshot = attr[0] === 's' || attr[0] === 'S';
        const pct = lv['snap_percent'] || lv['data_percent'] || '';
        const time = lv['lv_time'] ? Date.parse(lv['lv_time'].replace(' ', 'T').replace(' ', '')) : NaN;
        lvs.push({
          name: lv['lv_name'] ?? '',
          vg: lv['vg_name'] ?? '',
          attr,
          sizeBytes: bytes(lv['lv_size']),
          origin: lv['origin'] ? lv['origin'] : null,
          snapPercent: isSnapshot && pct !== '' ? Number(pct) : null,
          createdAt: Number.isNaN(time) ? null : time,
          isSnapshot,
          invalid: isSnapshot && (attr[4] === 'I' || attr[4] === 'i'),
        });
      }
    }
  }
  return { ok: true, vgs, lvs };
}
