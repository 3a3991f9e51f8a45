// What the storage drills (snapshot-restore.ts, grow.ts) need from the e2e harness (e2e.test.ts owns the
// lab, the answers, the CLI copy and the client workload): passed in, so the drills stay plain functions
// the lead wires in. They act only through the CLI under test, as an admin would, and judge by what the
// nodes and the NFS client say.
import { run, sshOk, type NodeName, type Result } from '../lab.js';
import { parseProcDrbd84, type Drbd84State } from '../truth.js';

export interface StorageDrillContext {
  /** The CLI under test (.lab/dist/cli.js), the lab's answers file and the wizard's environment. */
  cli: string;
  answers: string;
  env: NodeJS.ProcessEnv;
  /** The node serving NFS (DRBD Primary) when the drill starts, and the other one. */
  active: NodeName;
  passive: NodeName;
  /** The node whose client mount (workload.ts CLIENT_MOUNT, through the VIP) the drill uses. */
  client: NodeName;
  /** The answers' values: filesystem.mount, the export path, lvm.vg, lvm.lv. */
  mountPoint: string;
  exportPath: string;
  vg: string;
  lv: string;
}

export interface StorageDrillOutcome {
  /** One line for the e2e table's note column. */
  note: string;
  /** What each CLI run printed (argv, exit, output), for the harness's log. */
  transcripts: string[];
}

/** `hanfs-wizard <words> --answers FILE --yes`: the action's plan, lock, journal and read-back. */
export async function cli(ctx: StorageDrillContext, words: string[], transcripts: string[], timeoutMs = 20 * 60_000): Promise<Result> {
  const argv = ['node', ctx.cli, ...words, '--answers', ctx.answers, '--yes'];
  const r = await run(argv, { env: ctx.env, timeoutMs });
  transcripts.push(`$ ${argv.slice(2).join(' ')}\n[exit ${r.code} after ${r.seconds.toFixed(1)} s]\n${r.stdout}${r.stderr}`);
  return r;
}

/** /proc/drbd of the node (DRBD 8.4 in the lab). */
export async function drbdOn(node: NodeName): Promise<Drbd84State[]> {
  return parseProcDrbd84(await sshOk(node, 'cat /proc/drbd', 60_000));
}

/** The snapshots of VG/LV on the node, as LVM lists them (names). */
export async function snapshotsOn(node: NodeName, vg: string, lv: string): Promise<string[]> {
  const out = await sshOk(node, `lvs --noheadings -o lv_name --select 'origin=${lv}' ${vg}`, 60_000);
  return out.split('\n').map((s) => s.trim()).filter((s) => s !== '');
}
