// Fencing steps for apply's plan, kept in their own file so they can be ported with the plan refactor
// (issue 23): the fence devices' preflight (each agent's own `-o status` from the node that will use it,
// before anything changes) and SBD's `sbd create` (destructive: typed confirmation like the RAID disks).
// Pure: answers in, data out. The plan's steps are built from them in src/plan/phases/preflight.ts
// (the status probes) and src/plan/phases/sbd.ts (sbd create).
import { isAgentStonith, sbdOf, type Answers } from '../answers/schema.js';
import type { Argv, RunResult } from '../exec/runner.js';
import { parseSbdDump, sbdCreateArgv, sbdDumpArgv, sbdDiskTimeouts } from './sbd.js';

export interface FenceStatusProbe {
  /** The node that runs the agent: the peer of the one it fences (a device never runs on its target). */
  runOn: string;
  /** The node whose BMC is asked. */
  target: string;
  argv: Argv;
  /**
   * The agent's options as `key=value` lines on stdin (the fence-agents convention when no argument is
   * given): the password never appears on a command line or in a process list. SECRET: it holds the
   * BMC credential; the engine must pass it like a secret export file and never log it.
   */
  stdin: string;
  /** The answers field an error names. */
  field: string;
}

/** One status probe per fence device of the answers (agent form only). */
export function fenceStatusProbes(a: Pick<Answers, 'nodes' | 'pacemaker'>): FenceStatusProbe[] {
  const st = a.pacemaker.stonith;
  if (!isAgentStonith(st)) return [];
  return a.nodes.map((node, i) => {
    const peer = a.nodes[1 - i]!;
    const params = st.nodes[node.name] ?? {};
    const lines = [...Object.entries(params).map(([k, v]) => `${k}=${String(v)}`), 'action=status'];
    const addr = ['ip', 'ipaddr'].find((k) => k in params) ?? Object.keys(params)[0] ?? 'ip';
    return { runOn: peer.name, target: node.name, argv: [st.agent], stdin: `${lines.join('\n')}\n`, field: `pacemaker.stonith.nodes.${node.name}.${addr}` };
  });
}

/**
 * The agent's answer to `status` (fence-agents' API: exit 0 the target is on, 2 it is off, anything
 * else a failure to reach or log in to the BMC). On or off both prove the device works; a failure is
 * the one error of this field, with the agent's last words.
 */
export function fenceStatusProblem(p: FenceStatusProbe, r: Pick<RunResult, 'exitCode' | 'stdout' | 'stderr'>): string | null {
  if (r.exitCode === 0 || r.exitCode === 2) return null;
  const said = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? `exit ${r.exitCode}`;
  return `${p.runOn} cannot reach ${p.target}'s fence device with ${p.argv[0]} -o status (${said}): check the address, credentials and that ${p.runOn} reaches it`;
}

/** `sbd create` as a plan step's parts: destructive, the disk it wipes, and the check that says "done". */
export function sbdCreateStepParts(a: Pick<Answers, 'pacemaker'>): { wipes: string[]; command: Argv; check: Argv; done: (r: RunResult) => boolean; describe: string } | null {
  const sbd = sbdOf(a.pacemaker.stonith);
  if (!sbd || sbd.device === undefined) return null;
  const t = sbdDiskTimeouts(sbd);
  return {
    wipes: [sbd.device],
    command: sbdCreateArgv({ ...sbd, device: sbd.device }),
    check: sbdDumpArgv(sbd.device),
    // Done when the header already carries our timeouts: never re-create a live SBD disk.
    done: (r) => {
      const d = r.exitCode === 0 ? parseSbdDump(r.stdout) : null;
      return d !== null && d.watchdog === t.watchdog && d.msgwait === t.msgwait;
    },
    describe: `${sbd.device} carries an SBD header with watchdog ${t.watchdog} s and msgwait ${t.msgwait} s`,
  };
}
