// SBD (sbd(8)): the timeouts from the documented formulas, /etc/default/sbd, the fence device for the
// CIB and the `sbd create` step that writes the slots on the shared disk. Pure: answers in, data out.
import type { Answers, SbdAnswers } from '../answers/schema.js';
import { sbdOf } from '../answers/schema.js';
import type { Argv } from '../exec/runner.js';
import { FENCE_DELAY_BASE_S } from './fencing.js';

export const SBD_DEFAULTS_PATH = '/etc/default/sbd';

export interface SbdTimeouts {
  /** Seconds the watchdog waits for sbd's next tickle before it resets the node (sbd create -1). */
  watchdog: number;
  /** Seconds after which a message in a slot counts as delivered: 2 x watchdog (sbd(8), create -4). */
  msgwait: number;
  /**
   * Pacemaker's stonith-timeout: at least twice msgwait (sbd(8), "General cluster properties"; the
   * SUSE guide's "msgwait + 20%" is the weaker of the two rules), plus the fence delays the fencer
   * waits before it writes the message (fencing.ts).
   */
  stonithTimeout: number;
  /** Diskless only: stonith-watchdog-timeout, 2 x watchdog (a lost node counts as reset after it). */
  stonithWatchdogTimeout: number | null;
}

/** What the disk's header carries (sbd create -1/-4): the watchdog timeout and msgwait = 2 x watchdog. */
export function sbdDiskTimeouts(sbd: SbdAnswers): Pick<SbdTimeouts, 'watchdog' | 'msgwait'> {
  return { watchdog: sbd.watchdogTimeout, msgwait: 2 * sbd.watchdogTimeout };
}

/** priorityDelayS: the cluster's priority-fencing-delay (fencing.ts priorityFencingDelayS), which the fencer waits too. */
export function sbdTimeouts(sbd: SbdAnswers, priorityDelayS: number): SbdTimeouts {
  const { watchdog, msgwait } = sbdDiskTimeouts(sbd);
  const diskless = sbd.device === undefined;
  const stonithWatchdogTimeout = diskless ? 2 * watchdog : null;
  const base = Math.max(2 * msgwait, Math.ceil(1.2 * (stonithWatchdogTimeout ?? msgwait)));
  return { watchdog, msgwait, stonithTimeout: base + priorityDelayS + FENCE_DELAY_BASE_S, stonithWatchdogTimeout };
}

/**
 * /etc/default/sbd (Debian's sbd package reads it; SUSE's /etc/sysconfig/sbd has the same keys), the
 * same on both nodes. SBD_PACEMAKER: a node that loses quorum or its Pacemaker resets itself.
 * SBD_STARTMODE=always: the package default; "clean" would keep a fenced node out until an admin
 * clears its slot, which the two-node drills (a fenced node rejoins) do not want.
 * SBD_DELAY_START=yes: a node that booted after a fence waits msgwait before it joins, so it cannot
 * rejoin while its peer still counts its fence as in flight (sbd(8)).
 */
export function renderSbdDefaults(a: Pick<Answers, 'pacemaker' | 'cluster'>): string {
  const sbd = sbdOf(a.pacemaker.stonith);
  if (!sbd) throw new Error('renderSbdDefaults: pacemaker.stonith is not sbd');
  const t = sbdDiskTimeouts(sbd);
  const lines = [
    `# SBD for hanfs-wizard cluster ${a.cluster.name}: identical on both nodes (${SBD_DEFAULTS_PATH}).`,
    sbd.device === undefined
      ? '# Diskless (watchdog-only) SBD: no SBD_DEVICE; safe only with the quorum device (cluster.quorumDevice).'
      : `# Slots on the shared disk, written once by \`sbd -d ${sbd.device} -1 ${t.watchdog} -4 ${t.msgwait} create\`.`,
    ...(sbd.device === undefined ? [] : [`SBD_DEVICE="${sbd.device}"`]),
    'SBD_PACEMAKER=yes',
    'SBD_STARTMODE=always',
    'SBD_DELAY_START=yes',
    `SBD_WATCHDOG_DEV=${sbd.watchdog}`,
    `SBD_WATCHDOG_TIMEOUT=${t.watchdog}`,
    'SBD_TIMEOUT_ACTION=flush,reboot',
    'SBD_MOVE_TO_ROOT_CGROUP=auto',
    'SBD_SYNC_RESOURCE_STARTUP=yes',
    'SBD_OPTS=',
  ];
  return `${lines.join('\n')}\n`;
}

/** `sbd create` with the timeouts: OVERWRITES the start of the device (sbd(8)). */
export function sbdCreateArgv(sbd: SbdAnswers & { device: string }): Argv {
  const t = sbdDiskTimeouts(sbd);
  return ['sbd', '-d', sbd.device, '-1', String(t.watchdog), '-4', String(t.msgwait), 'create'];
}

/** Reads the header back: `sbd -d DEV dump`. */
export function sbdDumpArgv(device: string): Argv {
  return ['sbd', '-d', device, 'dump'];
}

/**
 * `sbd -d DEV dump` output: the timeouts written in the header, or null when the device has none.
 * Lines as sbd 1.5 prints them ("Timeout (watchdog) : 5", "Timeout (msgwait)  : 10"); tested on a real
 * dump (test/fixtures/probes/sbd/) and on a header the test writes with `sbd create` on a loop device.
 */
export function parseSbdDump(stdout: string): { watchdog: number; msgwait: number } | null {
  const num = (what: string) => {
    const m = new RegExp(`^Timeout \\(${what}\\)\\s*:\\s*(\\d+)\\s*$`, 'm').exec(stdout);
    return m ? Number(m[1]) : null;
  };
  const watchdog = num('watchdog');
  const msgwait = num('msgwait');
  return watchdog === null || msgwait === null ? null : { watchdog, msgwait };
}

/** Lists the slots: `sbd -d DEV list`. */
export function sbdListArgv(device: string): Argv {
  return ['sbd', '-d', device, 'list'];
}

export interface SbdSlot {
  slot: number;
  node: string;
  /** clear, reset, off, exit, test, crashdump: what the node reads in its slot. */
  message: string;
  /** Who wrote it; null for a cleared slot. */
  from: string | null;
}

/**
 * `sbd -d DEV list`: one tab-separated line per allocated slot, "slot node message sender" (sbd 1.5;
 * the sender is empty for a clear slot). A fence by SBD is a `reset` or `off` in the target's slot,
 * the poison pill the target reads and resets on (test/fixtures/probes/sbd/sbd_d_list.allocated.txt and sbd_d_list.lab1-reset.txt).
 */
export function parseSbdList(stdout: string): SbdSlot[] {
  return stdout.split('\n').flatMap((line) => {
    const m = /^(\d+)\t(\S+)\t(\S+)\t(\S*)\s*$/.exec(line);
    return m ? [{ slot: Number(m[1]), node: m[2]!, message: m[3]!, from: m[4] ? m[4] : null }] : [];
  });
}
