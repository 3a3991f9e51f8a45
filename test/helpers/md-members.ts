// The RAID step's check output (src/plan/sh/md-members.sh) as the node prints it: the script's own marker
// lines around real captures of each command it runs (test/fixtures/probes, SOURCE.md there), so the judge
// is tested on what mdadm, lsblk and ls really print.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { MD_MEMBERS_SCRIPT } from '../../src/plan/md-members.js';
import { READ_PINS_ARGV } from '../../src/plan/disk-pins.js';
import { LSBLK_ARGV } from '../../src/probes/lsblk.js';
import { BY_ID_ARGV } from '../../src/probes/by-id.js';

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

/**
 * A node runner that answers the RAID step's check script as the script would: its marker lines around
 * what each of its commands prints on this node (the inner runner's real captures). Every argv is kept.
 */
export class MembersScriptNode implements Runner {
  readonly seen: Argv[] = [];
  constructor(
    readonly label: string,
    private readonly inner: Runner,
  ) {}
  async run(argv: Argv, o?: RunOptions): Promise<RunResult> {
    this.seen.push(argv);
    if (argv[0] !== 'sh' || argv[2] !== MD_MEMBERS_SCRIPT) return this.inner.run(argv, o);
    const [detail, lsblk, byId, pins] = await Promise.all([['mdadm', '--detail', argv[4]!], LSBLK_ARGV, BY_ID_ARGV, READ_PINS_ARGV].map((a) => this.inner.run(a, o)));
    const stdout = [
      '#hanfs mdadm-detail\n', detail!.exitCode === 0 ? detail!.stdout : detail!.stderr, `#hanfs mdadm-exit ${detail!.exitCode}\n`,
      '#hanfs lsblk\n', lsblk!.stdout, '#hanfs by-id\n', byId!.stdout, '#hanfs pins\n', pins!.exitCode === 0 ? pins!.stdout : '',
    ].join('');
    return { argv, exitCode: 0, stdout, stderr: '', timedOut: false, aborted: false, durationMs: 1 };
  }
  stream(argv: Argv, o: StreamOptions) {
    return this.inner.stream(argv, o);
  }
  close() {
    return this.inner.close();
  }
}
