// Fencing settings, in one place: what the CIB gets when a fence device (or SBD) is configured, with the
// numbers docs/ha-tuning.md ("Fencing") justifies. Pure: answers in, values out. cib-model.ts calls
// these; the rehearsal and the tests read the same constants.
import { PRIORITY_FENCING_DELAY_DEFAULT, tuningSeconds, type Answers } from '../answers/schema.js';

/**
 * priority-fencing-delay: a lost node that runs the promoted DRBD instance (the active node) is fenced
 * this much later than the other. When the cluster link breaks and both nodes shoot, the active node's
 * request goes out first and the passive node is off before its own (delayed) request leaves: the node
 * serving the clients survives, without a failover. Pacemaker's own metadata (2.1.5,
 * `pacemaker-schedulerd metadata`): pcmk_delay_base is added to it and it "should be significantly
 * greater than, safely twice" the largest pcmk_delay_base.
 */
export const PRIORITY_FENCING_DELAY_S = tuningSeconds(PRIORITY_FENCING_DELAY_DEFAULT)!;

/**
 * The priority-fencing-delay this cluster gets: pacemaker.tuning.priorityFencingDelay (default 10 s).
 * The head start must exceed the favoured node's own fence time (agent start, BMC round trip, the DC's
 * decision lag): the emulated lab measured ~19 s and sets 45 s (docs/ha-tuning.md, "Fencing").
 */
export function priorityFencingDelayS(a: Pick<Answers, 'pacemaker'>): number {
  return tuningSeconds(a.pacemaker.tuning.priorityFencingDelay) ?? PRIORITY_FENCING_DELAY_S;
}
/**
 * pcmk_delay_base on the device that fences nodes[0]: the tie-breaker when both nodes have the same
 * priority (nothing promoted, e.g. while DRBD has not reported yet): then nodes[0] survives.
 */
export const FENCE_DELAY_BASE_S = 5;

/**
 * pcmk_delay_base always in the per-target map form ("nfs1:5s" or "nfs1:5s;nfs2:0s"): pacemaker-fenced
 * 2.1.5 parses the value as a map first whenever it knows the target and logs "pcmk_delay_base: empty
 * value in mapping" for a plain "5s" (seen on the lab; the delay still applied). The map form says the
 * same thing, to a reader too, without the error.
 */
export function delayBaseMap(delays: [node: string, seconds: number][]): string {
  return delays.map(([n, s]) => `${n}:${s}s`).join(';');
}
/**
 * The resource priority that makes priority-fencing-delay count: set on the DRBD clone, whose promoted
 * instance counts base + 1 (2) against the unpromoted one (1). Nothing else carries a priority.
 */
export const DRBD_PRIORITY = '1';
/**
 * Fence device monitor: a status query to the BMC every 60 s (pcs's default for stonith resources).
 * More often buys nothing for a node failure (the fence is requested anyway) and BMCs are slow, shared
 * and known to hang under frequent polling; less often leaves a dead BMC unnoticed longer.
 */
export const FENCE_MONITOR = { interval: '60s', timeout: '120s' } as const;

/**
 * The longest one fence_ipmilan reboot may take, from its metadata defaults (test/fixtures/fence-agents/
 * fence_ipmilan.xml): login_timeout 5 + power_timeout 20 for "off" and the same for "on", + power_wait 2
 * after each, = 54 s. The agents the wizard offers have the same timeouts (fence-agents' common defaults).
 */
export const AGENT_REBOOT_S = 2 * (5 + 20 + 2);

/**
 * stonith-timeout (Pacemaker's default: 60 s): how long one fencing attempt may take before the fencer
 * calls it failed and tries again. It must hold the delays (priority-fencing-delay + pcmk_delay_base,
 * which the fencer waits inside the attempt) and the agent's own reboot, with a margin: a timeout that
 * cuts a slow but working BMC short turns a fence into a failure and freezes the cluster for nothing.
 * For SBD it is computed from msgwait instead (sbd.ts).
 */
export function agentStonithTimeoutS(priorityDelayS: number): number {
  const needed = priorityDelayS + FENCE_DELAY_BASE_S + AGENT_REBOOT_S;
  // 20% margin, rounded up to 10 s: 69 s -> 90 s (the lab's 45 s delay: 104 s -> 130 s).
  return Math.ceil((needed * 1.2) / 10) * 10;
}

export function hasFencing(a: Pick<Answers, 'pacemaker'>): boolean {
  return a.pacemaker.stonith !== 'none';
}

/** The cluster properties fencing sets (crm_config): stonith-enabled first, as before. */
export function fencingProperties(a: Pick<Answers, 'pacemaker'>, stonithTimeoutS: number): [string, string][] {
  if (!hasFencing(a)) return [['stonith-enabled', 'false']];
  return [
    ['stonith-enabled', 'true'],
    ['stonith-timeout', `${stonithTimeoutS}s`],
    ['priority-fencing-delay', `${priorityFencingDelayS(a)}s`],
  ];
}
