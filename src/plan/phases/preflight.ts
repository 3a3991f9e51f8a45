// Phase: check that each node is the node the answers name, before anything changes; and, once the
// packages are there (the agents and sbd come with them), that each fence device answers and that SBD's
// watchdog and disk exist, before any configuration, disk or service is touched.
import type { NodeAnswers } from '../../answers/schema.js';
import { sbdOf } from '../../answers/schema.js';
import { SECRET_PARAMETER } from '../../answers/serialize.js';
import { fenceStatusProbes, fenceStatusProblem, type FenceStatusProbe } from '../../generate/fencing-steps.js';
import { SYSFS_WATCHDOG_ARGV, WATCHDOG_ADVICE, parseSysfsWatchdogs, parseWdctl, sysfsHasWatchdog, watchdogProblem, wdctlArgv } from '../../probes/watchdog.js';
import type { PlanContext } from '../context.js';
import { ok } from '../judges.js';
import { oneLine } from '../sh.js';
import fenceStatusSh from '../sh/fence-status.sh';
import { step, type PlanStep, type ProbeCheck } from '../types.js';

export function preflight(_ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const named: ProbeCheck = { kind: 'probe', argv: ['uname', '-n'], describe: `uname -n is ${n.name}`, judge: (r) => ok(r) && r.stdout.trim() === n.name };
  return [
    step({
      id: `${n.name}/node-name`, node: n.name, title: `check that this node is ${n.name}`, parallelGroup: '00-preflight',
      why: 'DRBD and Corosync find their own section by the host name: a mismatch fails later and obscurely',
      check: named,
      verify: { ...named, describe: `uname -n is ${n.name} (else: fix nodes[].name or the host name, nothing was changed)` },
    }),
  ];
}

/** Where nothing has been configured yet when a fencing preflight fails: said with its error. */
const NOTHING_CONFIGURED = 'nothing was configured (only the packages were installed); fix it, then run apply again';

/**
 * The fence devices this node will use (each fences the peer), asked with the agent's own `-o status`
 * (issue 26's bad input "a BMC address the node cannot reach"): every apply, since a BMC's address or
 * password can change under a running cluster and the fence that needs it comes when nobody looks.
 * After the packages (the agent is one of them), before the modules, the files and the cluster start.
 */
export function fencePreflight(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  return [...fenceStatusProbes(ctx.a).filter((p) => p.runOn === n.name).map(fenceStatusStep), ...sbdPreflight(ctx, n)];
}

/** The agent's options as plan/<node>.sh shows them: every secret value left out. */
function shownOptions(stdin: string): string {
  return stdin.replace(/^([^=\n]+)=.*$/gm, (line, key: string) => (SECRET_PARAMETER.test(key) ? `${key}=<the value from the answers, not written here>` : line));
}

function fenceStatusStep(p: FenceStatusProbe): PlanStep {
  return step({
    id: `${p.runOn}/fence-status:${p.target}`, node: p.runOn, title: `ask ${p.target}'s fence device for its power status`, parallelGroup: '01-fence-check',
    why: `${p.runOn} fences ${p.target} with ${p.argv[0]}: a device it cannot reach is found now, not when a fence is needed`,
    // The options (and the password) on stdin, never in the argv: a command line is visible in ps and
    // in the journals. The engine journals the stdin's size only.
    commands: [['sh', '-c', oneLine(fenceStatusSh), '--', ...p.argv]],
    stdin: { 0: { kind: 'text', text: p.stdin, secret: { shown: shownOptions(p.stdin) } } },
    failureAdvice: (r) => `${p.field}: ${fenceStatusProblem(p, r) ?? `${p.argv[0]} -o status failed`}; ${NOTHING_CONFIGURED}.`,
  });
}

/**
 * SBD's watchdog on each node (wdctl says whether the device exists; /sys/class/watchdog lists the ones
 * the kernel registered, without opening any) and its disk (a block device on both nodes, which a disk that is not shared fails on
 * one of them). Read-only: they are judged by their checks, and a failing one stops the run here.
 */
const registeredWords = (names: string[]) => (names.length === 0 ? 'no watchdog (/sys/class/watchdog is empty or missing)' : `only ${names.join(', ')}`);

function sbdPreflight(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const sbd = sbdOf(ctx.a.pacemaker.stonith);
  if (!sbd) return [];
  const wd: ProbeCheck = {
    kind: 'probe', argv: wdctlArgv(sbd.watchdog), describe: `${sbd.watchdog} exists on ${n.name} (wdctl)`,
    judge: (r) => parseWdctl(r.exitCode ?? 1, r.stdout, r.stderr).ok,
  };
  // Not `sbd query-watchdog`: it opens every watchdog, which arms it, and a nowayout driver then resets
  // the node mid-apply (src/probes/watchdog.ts SYSFS_WATCHDOG_ARGV cites sbd's source). sysfs opens nothing.
  const listed: ProbeCheck = {
    kind: 'probe', argv: SYSFS_WATCHDOG_ARGV, describe: `the kernel on ${n.name} registered the watchdog ${sbd.watchdog} (/sys/class/watchdog)`,
    judge: (r) => sysfsHasWatchdog(sbd.watchdog, parseSysfsWatchdogs(r.stdout)),
  };
  const out = [
    step({
      id: `${n.name}/sbd-watchdog`, node: n.name, title: `check SBD's watchdog ${sbd.watchdog}`, parallelGroup: '01-fence-check',
      why: 'sbd refuses to start without its watchdog, and a node without it cannot be fenced',
      check: wd,
      verify: {
        ...wd,
        advice: (r) => `pacemaker.stonith.sbd.watchdog: ${watchdogProblem(n.name, sbd.watchdog, parseWdctl(r.exitCode ?? 1, r.stdout, r.stderr)) ?? 'wdctl failed'}; ${NOTHING_CONFIGURED}.`,
      },
    }),
    step({
      id: `${n.name}/sbd-watchdog-found`, node: n.name, title: 'check that the kernel registered the watchdog', parallelGroup: '01-fence-check',
      why: 'sbd uses only a watchdog the kernel registered (its is_watchdog() looks the device up in /sys/class/watchdog): a device node without a driver cannot reset the node; listing sysfs opens no watchdog, so it arms none',
      check: listed,
      verify: { ...listed, advice: (r) => `pacemaker.stonith.sbd.watchdog: the kernel on ${n.name} registered ${registeredWords(parseSysfsWatchdogs(r.stdout))}, not ${sbd.watchdog}'s: ${WATCHDOG_ADVICE}; ${NOTHING_CONFIGURED}.` },
    }),
  ];
  if (sbd.device !== undefined) {
    const dev: ProbeCheck = { kind: 'probe', argv: ['blockdev', '--getsize64', sbd.device], describe: `${sbd.device} is a block device on ${n.name}`, judge: ok };
    out.push(step({
      id: `${n.name}/sbd-disk`, node: n.name, title: `check that the SBD disk ${sbd.device} is there`, parallelGroup: '01-fence-check',
      why: 'both nodes read and write their slots on the same disk (sbd(8)): a disk one node lacks is not shared',
      check: dev,
      verify: { ...dev, advice: () => `pacemaker.stonith.sbd.device: ${sbd.device} is no block device on ${n.name}: the SBD disk must be shared by both nodes under the same name; ${NOTHING_CONFIGURED}.` },
    }));
  }
  return out;
}
