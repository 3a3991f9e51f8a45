// Parser for DRBD 8.4's /proc/drbd. 8.4's events2 prints no periodic resync progress (only state changes),
// so the monitor polls this file while a resync runs; it is also the whole DRBD view when events2 is not
// available. Pure: takes the file's text.
//
//  0: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----
//     ns:40820 nr:0 dw:0 dr:41984 al:8 bm:0 lo:0 pe:2 ua:2 ap:0 ep:1 wo:f oos:165844
//         [===>................] sync'ed: 20.0% (165844/204756)K
//         finish: 0:00:08 speed: 19,456 (19,456) K/sec

export interface ProcDrbdSync {
  /** Percent as the kernel printed it (sync'ed: or verified:). */
  percent: number;
  remainingKiB: number;
  totalKiB: number;
  /** Seconds, from `finish: h:mm:ss`, or null. */
  finishSec: number | null;
  /** Current speed in KiB/s, or null. */
  speedKiBs: number | null;
  /** 'sync' for sync'ed:, 'verify' for verified:. */
  kind: 'sync' | 'verify';
}

export interface ProcDrbdDevice {
  minor: number;
  /** Connection state (cs:), e.g. Connected, SyncSource, WFConnection, StandAlone, Unconfigured. */
  cstate: string;
  role: string | null;
  peerRole: string | null;
  disk: string | null;
  peerDisk: string | null;
  /** Replication protocol letter, or null when not connected (StandAlone prints none). */
  protocol: string | null;
  /** Every counter of the second line (ns, nr, dw, dr, al, bm, lo, pe, ua, ap, ep, oos), KiB or counts. */
  counters: Record<string, number>;
  /** Out-of-sync KiB (oos:), or null when absent. */
  oosKiB: number | null;
  sync: ProcDrbdSync | null;
}

export type ProcDrbdResult =
  | { ok: true; version: string | null; devices: ProcDrbdDevice[] }
  | { ok: false; error: string };

const DEVICE_LINE = /^\s*(\d+):\s+cs:(\S+)(?:\s+ro:(\S+?)\/(\S+))?(?:\s+ds:(\S+?)\/(\S+))?(?:\s+([ABC])\b)?/;
const SYNC_LINE = /(sync'ed|verified):\s*([\d.]+)%\s*\((\d+)\/(\d+)\)([KM])/;
const FINISH_LINE = /finish:\s*(\d+):(\d\d):(\d\d)\s+speed:\s*([\d,]+)/;

export function parseProcDrbd(text: string): ProcDrbdResult {
  if (/No such file or directory/.test(text)) return { ok: false, error: 'DRBD module not loaded (no /proc/drbd)' };
  const version = /^version:\s*(\S+)/m.exec(text)?.[1] ?? null;
  if (version === null && !DEVICE_LINE.test(text)) return { ok: false, error: 'not /proc/drbd output' };
  const devices: ProcDrbdDevice[] = [];
  let cur: ProcDrbdDevice | null = null;
  for (const line of text.split('\n')) {
    const d = DEVICE_LINE.exec(line);
    if (d) {
      cur = {
        minor: Number(d[1]),
        cstate: d[2]!,
        role: d[3] ?? null,
        peerRole: d[4] ?? null,
        disk: d[5] ?? null,
        peerDisk: d[6] ?? null,
        protocol: d[7] ?? null,
        counters: {},
        oosKiB: null,
        sync: null,
      };
      devices.push(cur);
      continue;
    }
    if (cur === null) continue;
    if (/\bns:\d+/.test(line)) {
      for (const m of line.matchAll(/\b([a-z]+):(\d+)\b/g)) cur.counters[m[1]!] = Number(m[2]);
      cur.oosKiB = cur.counters['oos'] ?? null;
      continue;
    }
    const s = SYNC_LINE.exec(line);
    if (s) {
      // Since 8.4 the numbers are in K; older kernels printed M for large devices.
      const unit = s[5] === 'M' ? 1024 : 1;
      cur.sync = {
        kind: s[1] === 'verified' ? 'verify' : 'sync',
        percent: Number(s[2]),
        remainingKiB: Number(s[3]) * unit,
        totalKiB: Number(s[4]) * unit,
        finishSec: null,
        speedKiBs: null,
      };
      continue;
    }
    const f = FINISH_LINE.exec(line);
    if (f && cur.sync) {
      cur.sync.finishSec = Number(f[1]) * 3600 + Number(f[2]) * 60 + Number(f[3]);
      cur.sync.speedKiBs = Number(f[4]!.replace(/,/g, ''));
    }
  }
  return { ok: true, version, devices };
}
