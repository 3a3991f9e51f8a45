// What the recovery drills (issue 31) need from the e2e harness (e2e.test.ts owns the lab, the answers,
// the CLI copy and the client workload): passed in, so the drills stay plain functions the lead wires in.
import { run, type NodeName, type Result } from '../lab.js';
import type { Workload } from '../workload.js';

export interface RecoveryDrillContext {
  /** The healthy cluster's roles when the drill starts (waitHealthy's answer). */
  active: NodeName;
  passive: NodeName;
  /** The CLI under test (.lab/dist/cli.js), the lab's answers file and the wizard's environment. */
  cli: string;
  answers: string;
  env: NodeJS.ProcessEnv;
  /** The journal of each action run goes here (.lab/e2e/<drill>-<n>.log). */
  logDir: string;
  /** The client workload already writing through the virtual IP (startWorkload), from a node that stays up. */
  workload: Workload;
  /** The DRBD resource, the backing VG/LV, the md array and the filesystem mount of the lab's answers. */
  drbdResource: string;
  vg: string;
  lv: string;
  raidDevice: string;
  mountPoint: string;
}

export interface DrillOutcome {
  /** One line for the e2e table's note column. */
  note: string;
  /** What each action run printed, for the harness's log. */
  transcripts: string[];
}

/** Runs one hanfs-wizard subcommand from the host, as an admin would. */
export function runCli(ctx: RecoveryDrillContext, args: string[], timeoutMs = 1_800_000): Promise<Result> {
  return run(['node', ctx.cli, ...args, '--answers', ctx.answers], { env: ctx.env, timeoutMs });
}
