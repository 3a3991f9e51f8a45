// The RAID step's check output (src/plan/sh/md-members.sh) as the node prints it: the script's own marker
// lines around real captures of each command it runs (test/fixtures/probes, SOURCE.md there), so the judge
// is tested on what mdadm, lsblk and ls really print.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../src/exec/runner.js';

const PROBES = join(import.meta.dirname, '../fixtures/probes');
const read = (f: string) => readFileSync(join(PROBES, f), 'utf8');

export interface MdMembersParts {
  /** mdadm --detail's capture (file of test/fixtures/probes), or null: no such array (mdadm exits 1). */
  detail: string | null;
  lsblk: string;
  byId: string;
  /** The pin record's text (written by pin-disks.sh), if any. */
  pins?: string;
}

export function mdMembersText(p: MdMembersParts): string {
  return [
    '#hanfs mdadm-detail\n', p.detail ? read(p.detail) : '', `#hanfs mdadm-exit ${p.detail ? 0 : 1}\n`,
    '#hanfs lsblk\n', read(p.lsblk), '#hanfs by-id\n', read(p.byId), '#hanfs pins\n', p.pins ?? '',
  ].join('');
}

export function mdMembersResult(p: MdMembersParts): RunResult {
  return { argv: [], exitCode: 0, stdout: mdMembersText(p), stderr: '', timedOut: false, aborted: false, durationMs: 1 };
}
