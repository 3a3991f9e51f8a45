// `pvs|vgs|lvs --reportformat json --units b`: sizes in bytes ("209715200B"). Several reports may follow
// each other in one output (the lab captured pvs; vgs; lvs into one file), so documents are split first.
// `lvm fullreport --reportformat json` has the same shape, one report per VG holding its vg, pv and lv
// lists (and PVs in no VG in one with pv alone): read alike, an LV without vg_name taking its report's VG.
import { isObject, str, ok, fail, type Parsed } from './parsed.js';
import type { LvmLv, LvmPv, LvmReport, LvmVg } from './types.js';

export const PVS_ARGV = ['pvs', '--reportformat', 'json', '--units', 'b'] as const;
export const VGS_ARGV = ['vgs', '--reportformat', 'json', '--units', 'b'] as const;
export const LVS_ARGV = ['lvs', '--reportformat', 'json', '--units', 'b'] as const;

/** Splits concatenated top-level JSON objects by brace depth (strings respected). */
function splitJsonDocuments(text: string): string[] {
  const docs: string[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0 && start >= 0) docs.push(text.slice(start, i + 1));
    }
  }
  return docs;
}

/** "209715200B" -> 209715200; "" -> null. Also reads "<200.00m"-style sizes as null (no --units b). */
export function lvmBytes(v: unknown): number | null {
  const s = str(v);
  if (s === null) return null;
  const m = /^(\d+)B$/.exec(s.trim());
  return m ? Number(m[1]) : null;
}
const int = (v: unknown): number | null => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
const pct = (v: unknown): number | null => (typeof v === 'string' && /^[\d.]+$/.test(v) ? Number(v) : null);
/** lv_time "2026-11-25 19:31:36 +0000" -> ms since the epoch. */
function lvTime(v: unknown): number | null {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)$/.exec(str(v) ?? '');
  if (!m) return null;
  const t = Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
  return Number.isNaN(t) ? null : t;
}

export function parseLvmReports(stdout: string): Parsed<LvmReport> {
  const out: LvmReport = { pvs: [], vgs: [], lvs: [] };
  const docs = splitJsonDocuments(stdout);
  if (docs.length === 0) return fail('LVM report: no JSON document');
  for (const doc of docs) {
    let data: unknown;
    try {
      data = JSON.parse(doc);
    } catch (e) {
      return fail(`LVM report: not JSON (${(e as Error).message})`);
    }
    if (!isObject(data) || !Array.isArray(data.report)) return fail('LVM report: no "report" list');
    for (const rep of data.report) {
      if (!isObject(rep)) continue;
      for (const pv of Array.isArray(rep.pv) ? rep.pv : []) {
        if (!isObject(pv) || str(pv.pv_name) === null) continue;
        const p: LvmPv = { name: str(pv.pv_name) as string, vg: str(pv.vg_name) || null, sizeBytes: lvmBytes(pv.pv_size), freeBytes: lvmBytes(pv.pv_free), attr: str(pv.pv_attr) ?? '' };
        out.pvs.push(p);
      }
      for (const vg of Array.isArray(rep.vg) ? rep.vg : []) {
        if (!isObject(vg) || str(vg.vg_name) === null) continue;
        const v: LvmVg = {
          name: str(vg.vg_name) as string,
          sizeBytes: lvmBytes(vg.vg_size),
          freeBytes: lvmBytes(vg.vg_free),
          pvCount: int(vg.pv_count),
          lvCount: int(vg.lv_count),
          snapCount: int(vg.snap_count),
          attr: str(vg.vg_attr) ?? '',
        };
        out.vgs.push(v);
      }
      // fullreport: the VG this report is about (one per report), for LVs listed without vg_name.
      const reportVg = Array.isArray(rep.vg) && rep.vg.length === 1 && isObject(rep.vg[0]) ? str(rep.vg[0].vg_name) : null;
      for (const lv of Array.isArray(rep.lv) ? rep.lv : []) {
        if (!isObject(lv) || str(lv.lv_name) === null) continue;
        const attr = str(lv.lv_attr) ?? '';
        const l: LvmLv = {
          name: str(lv.lv_name) as string,
          vg: str(lv.vg_name) || reportVg || '',
          sizeBytes: lvmBytes(lv.lv_size),
          attr,
          origin: str(lv.origin) || null,
          dataPercent: pct(lv.data_percent) ?? pct(lv.snap_percent),
          // lv_attr[0]: (s)napshot, merging (S)napshot (lvs(8))
          isSnapshot: attr[0] === 's' || attr[0] === 'S',
          open: attr[5] === 'o',
          // lvs(8), lv_attr's 5th character: (I)nvalid snapshot, invalid (S)uspended snapshot.
          invalid: attr[4] === 'I' || attr[4] === 'S',
          createdAt: lvTime(lv.lv_time),
        };
        out.lvs.push(l);
      }
    }
  }
  return ok(out);
}
