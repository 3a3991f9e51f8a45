// The RAID1 resync that `mdadm --create` starts, as apply reports it while later steps run. md serves
// reads and writes during the resync, so apply never waits for it (a 4 TB pair would hold the cluster
// back for hours, and "time to a healthy cluster" must not grow with disk size): it reads /proc/mdstat
// in the background, shows percent, rate and ETA per node, and says at the end where the resync stands.
// Pure: /proc/mdstat text in (parsed by the probes' one parser), progress out; rate and ETA come from
// the monitor's moving window (src/monitor/progress.ts), the kernel's own speed/finish until it has two
// samples.
import { parseMdstat } from '../probes/mdstat.js';
import { advanceSync, type SyncProgress } from '../monitor/progress.js';

export interface MdResync {
  node: string;
  /** /dev/md0 */
  device: string;
  /** resync, recovery, check, resync-pending, resync-delayed... as /proc/mdstat says. */
  action: string;
  /** The kernel's own percentage (what `cat /proc/mdstat` shows the admin). */
  percent: number;
  rateKiBs: number | null;
  etaSec: number | null;
  /** The moving window behind rate and ETA: pass it back in with the next reading. */
  window: SyncProgress | null;
}

/**
 * The resync of `device` in this /proc/mdstat reading, or null when none runs (finished, or never
 * started). `prev` is the last reading of the same array (for the moving-window rate).
 */
export function mdResyncFrom(text: string, node: string, device: string, t: number, prev: MdResync | null): MdResync | null {
  const name = device.replace(/^\/dev\//, '');
  const arr = parseMdstat(text).find((a) => a.name === name);
  const sync = arr?.sync ?? null;
  if (!arr || sync === null) return null;
  // mdstat counts 1 KiB blocks: what is left is out of sync, the total is the array's size.
  const left = sync.doneBlocks !== null && sync.totalBlocks !== null ? sync.totalBlocks - sync.doneBlocks : null;
  const window = advanceSync(prev?.action === sync.action ? prev.window : null, {
    t,
    oosKiB: left,
    totalKiB: sync.totalBlocks,
    done: sync.percent,
    etaSec: sync.finishMinutes !== null ? Math.round(sync.finishMinutes * 60) : null,
    speedKiBs: sync.speedKBps,
  });
  const pending = sync.action.endsWith('-pending') || sync.action.endsWith('-delayed');
  return {
    node,
    device,
    action: sync.action,
    percent: sync.percent,
    rateKiBs: pending ? null : window.rateKiBs,
    etaSec: pending ? null : window.etaSec,
    window,
  };
}

/** "12 min", "45 s", "3 h 20 min": an ETA for a sentence (the bars use h:mm:ss). */
export function humanDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return 'unknown';
  const s = Math.max(0, Math.round(sec));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** One line for the outcome: where the resync stands and that it goes on without apply. */
export function describeMdResync(r: Pick<MdResync, 'node' | 'device' | 'action' | 'percent' | 'etaSec'>): string {
  const name = r.device.replace(/^\/dev\//, '');
  const what = r.action.replace(/-(pending|delayed)$/, '');
  const verb = what === 'resync' ? 'resyncing' : what === 'recovery' ? 'recovering' : `${what} running`;
  const state = r.action !== what ? `${verb} (${r.action.slice(what.length + 1)})` : `${verb} ${r.percent.toFixed(r.percent < 10 ? 1 : 0)}%, ETA ${humanDuration(r.etaSec)}`;
  return `${name} on ${r.node} ${state}: continues in the background (the array is usable meanwhile); hanfs-wizard monitor shows it`;
}
