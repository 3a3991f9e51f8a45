// The monitor's view of `vgs`/`lvs --reportformat json --units b`: the probes' parser (src/probes/lvm.ts)
// reads the reports; this keeps the fields the monitor shows (VG free space, snapshots with their age and
// fill) in the shape docs/monitor-json.md promises (snapPercent, createdAt, invalid). Pure.
import { parseLvmReports } from '../probes/lvm.js';

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
  /** The snapshot overflowed and is invalid (lv_attr's 5th character I or S). */
  invalid: boolean;
}

export type LvmResult = { ok: true; vgs: MonitorVg[]; lvs: MonitorLv[] } | { ok: false; error: string };

export function parseLvmForMonitor(text: string): LvmResult {
  const r = parseLvmReports(text);
  // lvm's own error ("Volume group ... not found") is what the admin needs to read, not the parser's.
  if (!r.ok) return { ok: false, error: text.trim().split('\n')[0] || r.error };
  return {
    ok: true,
    vgs: r.value.vgs.map((vg) => ({ name: vg.name, sizeBytes: vg.sizeBytes ?? 0, freeBytes: vg.freeBytes ?? 0 })),
    lvs: r.value.lvs.map((lv) => ({
      name: lv.name,
      vg: lv.vg,
      attr: lv.attr,
      sizeBytes: lv.sizeBytes ?? 0,
      origin: lv.origin,
      snapPercent: lv.isSnapshot ? lv.dataPercent : null,
      createdAt: lv.createdAt,
      isSnapshot: lv.isSnapshot,
      invalid: lv.isSnapshot && lv.invalid,
    })),
  };
}
