// The project lab's real Debian 13 "trixie" captures (test/fixtures/lab-trixie/<state>/, capture.sh,
// SOURCE.md there: Pacemaker 3.0.0, drbd-utils 9.22 with the kernel's DRBD 8.4.11, nfs-utils 2.8.3,
// kernel 6.12). running: lab2 active, lab1 passive. failed-over: lab2 killed, lab1 took over; lab2 has
// no capture (down). rejoined: lab2 back and resynced, lab1 still active. service-link-cut: lab1's service
// NIC cut, the service moved to lab2. after-drills: the end of the e2e with every action drill (the first
// state with `cibadmin -Q` and the monitor's exact `lvm fullreport`). The parser tests read them beside
// their Debian 12 counterparts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type TrixieState = 'bare' | 'running' | 'failed-over' | 'rejoined' | 'service-link-cut' | 'after-drills';

export const TRIXIE_DIR = fileURLToPath(new URL('../fixtures/lab-trixie/', import.meta.url));

/** The path of one capture, e.g. trixiePath('running', 'proc_drbd.lab1.txt'). */
export function trixiePath(state: TrixieState, file: string): string {
  return `${TRIXIE_DIR}${state}/${file}`;
}

/** One capture's text. */
export function trixie(state: TrixieState, file: string): string {
  return readFileSync(trixiePath(state, file), 'utf8');
}

/** One file's line of the capture log: time, node, file, exit status, the exact command. */
function logLine(state: TrixieState, file: string): string[] {
  const line = trixie(state, 'capture-log.tsv').split('\n').find((l) => l.split('\t')[2] === file);
  if (line === undefined) throw new Error(`${state}/${file} is not in capture-log.tsv`);
  return line.split('\t');
}

/** The exit status the capture log recorded for one file (the files never hold it). */
export function trixieExit(state: TrixieState, file: string): number {
  return Number(logLine(state, file)[3]);
}

/** The command the capture log says produced one file, as capture.sh ran it (one shell line). */
export function trixieCommand(state: TrixieState, file: string): string {
  return logLine(state, file)[4]!;
}
