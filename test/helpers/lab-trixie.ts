// The project lab's real Debian 13 "trixie" captures (test/fixtures/lab-trixie/<state>/, capture.sh,
// SOURCE.md there: Pacemaker 3.0.0, drbd-utils 9.22 with the kernel's DRBD 8.4.11, nfs-utils 2.8.3,
// kernel 6.12). running: lab2 active, lab1 passive. failed-over: lab2 killed, lab1 took over; lab2 has
// no capture (down). The parser tests read them beside their Debian 12 counterparts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type TrixieState = 'running' | 'failed-over';

export const TRIXIE_DIR = fileURLToPath(new URL('../fixtures/lab-trixie/', import.meta.url));

/** The path of one capture, e.g. trixiePath('running', 'proc_drbd.lab1.txt'). */
export function trixiePath(state: TrixieState, file: string): string {
  return `${TRIXIE_DIR}${state}/${file}`;
}

/** One capture's text. */
export function trixie(state: TrixieState, file: string): string {
  return readFileSync(trixiePath(state, file), 'utf8');
}

/** The exit status the capture log recorded for one file (the files never hold it). */
export function trixieExit(state: TrixieState, file: string): number {
  const line = trixie(state, 'capture-log.tsv').split('\n').find((l) => l.split('\t')[2] === file);
  if (line === undefined) throw new Error(`${state}/${file} is not in capture-log.tsv`);
  return Number(line.split('\t')[3]);
}
