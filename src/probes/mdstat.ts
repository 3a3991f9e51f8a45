// /proc/mdstat: the arrays the kernel runs, their members, [UU]/[U_] and a running resync or recovery.
import type { MdArray, MdMember, MdSync } from './types.js';

export const MDSTAT_ARGV = ['cat', '/proc/mdstat'] as const;

export function parseMdstat(text: string): MdArray[] {
  const arrays: MdArray[] = [];
  let cur: MdArray | null = null;
  for (const line of text.split('\n')) {
    // md0 : active raid1 vdc[1](F) vdb[0]      md127 : inactive vdg[2](S)
    // md127 : active (auto-read-only) raid1 vdb[0] vdc[1]
    const head = /^(md\S*)\s*:\s*(active|inactive)\s*(?:\(([^)]+)\)\s*)?(.*)$/.exec(line);
    if (head) {
      const words = (head[4] ?? '').trim().split(/\s+/).filter(Boolean);
      const level = words[0] !== undefined && !words[0].includes('[') ? (words.shift() as string) : null;
      const members: MdMember[] = words.map((w) => {
        const m = /^([^[]+)\[(\d+)\]((?:\([A-Z]\))*)$/.exec(w);
        return m
          ? { device: m[1] as string, slot: Number(m[2]), faulty: (m[3] ?? '').includes('(F)'), spare: (m[3] ?? '').includes('(S)'), state: null }
          : { device: w, slot: null, faulty: false, spare: false, state: null };
      });
      cur = {
        name: head[1] as string,
        path: `/dev/${head[1]}`,
        state: head[2] as 'active' | 'inactive',
        readOnly: head[3] ?? null,
        level,
        members,
        raidDevices: null,
        workingDevices: null,
        map: null,
        degraded: false,
        sync: null,
        detailState: null,
        uuid: null,
        mdName: null,
      };
      arrays.push(cur);
      continue;
    }
    if (cur === null) continue;
    // 261120 blocks super 1.2 [2/1] [U_]
    const counts = /\[(\d+)\/(\d+)\]\s+\[([U_]+)\]/.exec(line);
    if (counts) {
      cur.raidDevices = Number(counts[1]);
      cur.workingDevices = Number(counts[2]);
      cur.map = counts[3] as string;
      cur.degraded = cur.map.includes('_');
      continue;
    }
    // [=>...]  resync =  6.0% (16000/261120) finish=0.5min speed=8000K/sec
    const sync = /\b(resync|recovery|check|reshape|repair)\s*=\s*([\d.]+)%\s*(?:\((\d+)\/(\d+)\))?(?:\s*finish=([\d.]+)min)?(?:\s*speed=(\d+)K\/sec)?/.exec(line);
    if (sync) {
      const s: MdSync = {
        action: sync[1] as string,
        percent: Number(sync[2]),
        doneBlocks: sync[3] !== undefined ? Number(sync[3]) : null,
        totalBlocks: sync[4] !== undefined ? Number(sync[4]) : null,
        finishMinutes: sync[5] !== undefined ? Number(sync[5]) : null,
        speedKBps: sync[6] !== undefined ? Number(sync[6]) : null,
      };
      cur.sync = s;
      continue;
    }
    // resync=DELAYED / resync=PENDING
    const delayed = /\b(resync|recovery|reshape|check)=(DELAYED|PENDING)/.exec(line);
    if (delayed) {
      cur.sync = { action: `${delayed[1]}-${(delayed[2] as string).toLowerCase()}`, percent: 0, doneBlocks: null, totalBlocks: null, finishMinutes: null, speedKBps: null };
    }
    if (line.trim() === '') cur = null;
  }
  // An inactive array (a stale member assembled alone) counts as degraded: it serves nothing.
  for (const a of arrays) if (a.state === 'inactive') a.degraded = true;
  return arrays;
}
