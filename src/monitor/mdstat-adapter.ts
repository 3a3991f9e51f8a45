// The monitor's own reading of /proc/mdstat. src/probes/mdstat.ts (the probe developer's) did not exist
// when the monitor was written; this adapter keeps only what the monitor shows (array state, degraded or
// failed members, resync/recovery progress). Pure. Replace with the probe's parser when it lands.

export interface MdMember {
  name: string;
  index: number;
  /** (F) failed, (S) spare, (W) write-mostly, (R) replacement... */
  flags: string[];
}

export interface MdArray {
  name: string;
  /** active | inactive */
  state: string;
  /** e.g. auto-read-only, read-only */
  mode: string | null;
  level: string | null;
  members: MdMember[];
  raidDisks: number | null;
  workingDisks: number | null;
  /** [UU], [U_] */
  map: string | null;
  degraded: boolean;
  progress: { kind: string; percent: number; finishMin: number | null; speedKiBs: number | null } | null;
}

export type MdstatResult = { ok: true; arrays: MdArray[] } | { ok: false; error: string };

export function parseMdstatForMonitor(text: string): MdstatResult {
  if (!/^Personalities\s*:/m.test(text)) return { ok: false, error: text.trim().split('\n')[0] || 'not /proc/mdstat' };
  const arrays: MdArray[] = [];
  let cur: MdArray | null = null;
  for (const line of text.split('\n')) {
    const head = /^(md\w+)\s*:\s*(active|inactive)\s*(?:\(([^)]+)\)\s*)?(raid\d+|linear|multipath)?\s*(.*)$/.exec(line);
    if (head) {
      const members = [...(head[5] ?? '').matchAll(/(\w+)\[(\d+)\]((?:\([A-Z]\))*)/g)].map((m) => ({
        name: m[1]!,
        index: Number(m[2]),
        flags: [...(m[3] ?? '').matchAll(/\(([A-Z])\)/g)].map((f) => f[1]!),
      }));
      cur = { name: head[1]!, state: head[2]!, mode: head[3] ?? null, level: head[4] ?? null, members, raidDisks: null, workingDisks: null, map: null, degraded: false, progress: null };
      arrays.push(cur);
      continue;
    }
    if (cur === null) continue;
    const status = /\[(\d+)\/(\d+)\]\s*\[([U_]+)\]/.exec(line);
    if (status) {
      cur.raidDisks = Number(status[1]);
      cur.workingDisks = Number(status[2]);
      cur.map = `[${status[3]}]`;
      cur.degraded = status[3]!.includes('_');
      continue;
    }
    const prog = /(resync|recovery|check|reshape|repair)\s*=\s*([\d.]+)%.*?(?:finish=([\d.]+)min)?\s*(?:speed=(\d+)K\/sec)?\s*$/.exec(line);
    if (prog) {
      cur.progress = {
        kind: prog[1]!,
        percent: Number(prog[2]),
        finishMin: prog[3] === undefined ? null : Number(prog[3]),
        speedKiBs: prog[4] === undefined ? null : Number(prog[4]),
      };
    }
  }
  return { ok: true, arrays };
}
