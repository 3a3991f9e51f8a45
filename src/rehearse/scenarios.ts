// The failure scenarios, as data. Each starts from the settled "both nodes up" state; every step is
// followed by Pacemaker settling (crm_simulate), and every settled state is checked (invariants.ts).
import type { Answers } from '../answers/schema.js';
import { buildCibModel, MIGRATION_THRESHOLD, PING_ATTRIBUTE, drbdPrimitiveId } from '../generate/cib-model.js';

export type Step =
  /** The nodes crash or lose power at once (crm_simulate --node-fail). */
  | { do: 'fail'; nodes: string[] }
  /** Nodes boot and rejoin: no resource history, no transient attributes; then their agents report again. */
  | { do: 'rejoin'; nodes: string[] }
  /** A node attribute as an agent would publish it (pingd from ping, master-<drbd> from drbd), on
   *  several nodes at once when the event hits them together. */
  | { do: 'attr'; nodes: string[]; name: string; value: string }
  | { do: 'standby'; node: string; on: boolean }
  /** `hanfs-wizard switchover`'s constraint: crm_resource --move of the group with a lifetime, and --clear. */
  | { do: 'move'; rsc: string; node: string }
  | { do: 'clear'; rsc: string }
  /** A monitor fails; with failCount, the resource's fail count on that node is that high. */
  | { do: 'monitor-fails'; rsc: string; intervalMs: number; node: string; failCount?: number }
  /** The node is lost and its fence never succeeds (a BMC that does not answer): the transition is
   *  computed but not run; what could run without the fence is judged from its graph. Ends the scenario. */
  | { do: 'fence-fails'; node: string }
  /** The cluster link splits: each node sees the other lost and both fence. The fence race is judged
   *  from both sides; the active side's view is then played (its fence wins). */
  | { do: 'split'; active: string; passive: string };

/** Where the service must end, relative to the settled start (the active node A and the passive P). */
export type Expectation = 'stays' | 'moves' | 'stopped' | 'runs';

export interface Scenario {
  id: string;
  title: string;
  steps: Step[];
  expect: Expectation;
  /** Why that expectation, shown when it breaks. */
  because: string;
}

/** The attribute values a healthy node publishes. */
export function healthyAttributes(a: Answers): [string, string][] {
  const multiplier = Number(buildCibModel(a).ping.primitive.params.find(([k]) => k === 'multiplier')?.[1] ?? 1);
  return [
    // ping publishes multiplier x reachable targets.
    [PING_ATTRIBUTE, String(multiplier * a.ping.targets.length)],
    // The linbit drbd agent's promotion score for UpToDate data (its adjust_master_score default).
    [`master-${drbdPrimitiveId(a)}`, '10000'],
  ];
}

function ms(interval: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(interval);
  if (!m) return 0;
  const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's']!;
  return Number(m[1]) * mult;
}

export function buildScenarios(a: Answers, active: string, passive: string): Scenario[] {
  const model = buildCibModel(a);
  const sticky = a.pacemaker.stickiness > 0;
  const master = `master-${model.drbd.primitive.id}`;
  const list: Scenario[] = [
    { id: 'both-up', title: 'both nodes up', steps: [], expect: 'runs', because: 'both nodes are healthy' },
    {
      id: 'both-restart',
      title: 'both nodes restart together',
      steps: [{ do: 'fail', nodes: [active, passive] }, { do: 'rejoin', nodes: [active, passive] }],
      expect: 'runs',
      because: 'both nodes came back healthy',
    },
    { id: 'active-fails', title: `active node (${active}) fails`, steps: [{ do: 'fail', nodes: [active] }], expect: 'moves', because: 'the passive node is healthy' },
    { id: 'passive-fails', title: `passive node (${passive}) fails`, steps: [{ do: 'fail', nodes: [passive] }], expect: 'stays', because: 'the active node is unaffected' },
    {
      id: 'active-returns',
      title: `failed active node (${active}) comes back`,
      steps: [{ do: 'fail', nodes: [active] }, { do: 'rejoin', nodes: [active] }],
      expect: sticky ? 'moves' : 'runs',
      because: sticky ? `stickiness ${a.pacemaker.stickiness} keeps the service where it went: no failback` : 'stickiness 0 lets Pacemaker place it on either node',
    },
    {
      id: 'active-loses-ping',
      title: `active node (${active}) loses ping`,
      steps: [{ do: 'attr', nodes: [active], name: PING_ATTRIBUTE, value: '0' }],
      expect: 'moves',
      because: 'the passive node still reaches the network',
    },
    {
      id: 'passive-loses-ping',
      title: `passive node (${passive}) loses ping`,
      steps: [{ do: 'attr', nodes: [passive], name: PING_ATTRIBUTE, value: '0' }],
      expect: 'stays',
      because: 'the active node still reaches the network',
    },
    {
      id: 'both-lose-ping',
      title: 'both nodes lose ping',
      // Both at once (a switch failing), not one after the other: with the stay policy the first loss
      // alone would already move the service.
      steps: [{ do: 'attr', nodes: [active, passive], name: PING_ATTRIBUTE, value: '0' }],
      expect: a.ping.whenAllLost === 'stop' ? 'stopped' : 'stays',
      because: a.ping.whenAllLost === 'stop' ? 'ping.whenAllLost is stop: no ping, no service' : 'ping.whenAllLost is stay: keep serving where it runs',
    },
  ];
  const monitored = model.group.members.filter((p) => ['Filesystem', 'nfsserver', 'exportfs', 'IPaddr2'].includes(p.type));
  const manyExports = monitored.filter((p) => p.type === 'exportfs').length > 1;
  for (const p of monitored) {
    const monitor = p.ops.find((o) => o.name === 'monitor');
    if (!monitor) continue;
    const intervalMs = ms(monitor.interval);
    // Several exports: name each by its path, which is what the admin wrote.
    const what = p.type === 'exportfs' && manyExports ? `exportfs ${p.params.find(([k]) => k === 'directory')?.[1] ?? p.id}` : p.type;
    list.push({
      id: `${p.id}-fails-once`,
      title: `${what} monitor fails once`,
      steps: [{ do: 'monitor-fails', rsc: p.id, intervalMs, node: active }],
      expect: 'stays',
      because: `one failure restarts it in place on ${active}`,
    });
    list.push({
      id: `${p.id}-fails-repeatedly`,
      title: `${what} fails ${MIGRATION_THRESHOLD} times`,
      steps: [{ do: 'monitor-fails', rsc: p.id, intervalMs, node: active, failCount: MIGRATION_THRESHOLD }],
      expect: 'moves',
      because: `the fail count reached migration-threshold (${MIGRATION_THRESHOLD}): ${active} is banned`,
    });
  }
  list.push(
    {
      id: 'stale-passive-active-fails',
      title: `${passive}'s DRBD not UpToDate, then ${active} fails`,
      steps: [{ do: 'attr', nodes: [passive], name: master, value: '0' }, { do: 'fail', nodes: [active] }],
      expect: 'stopped',
      because: `${passive} has no UpToDate data: serving from it would serve stale data`,
    },
    { id: 'standby', title: `${active} put in standby`, steps: [{ do: 'standby', node: active, on: true }], expect: 'moves', because: 'a standby node runs nothing' },
    // hanfs-wizard switchover (src/plan/actions/switchover.ts): the group moved, DRBD must follow it, and
    // once the constraint is cleared stickiness must keep the service on the new node.
    { id: 'switchover', title: `switchover: ${model.group.id} moved to ${passive}`, steps: [{ do: 'move', rsc: model.group.id, node: passive }], expect: 'moves', because: 'the move constraint prefers the passive node' },
    {
      id: 'switchover-cleared',
      title: `switchover to ${passive}, constraint cleared`,
      steps: [{ do: 'move', rsc: model.group.id, node: passive }, { do: 'clear', rsc: model.group.id }],
      expect: sticky ? 'moves' : 'runs',
      because: sticky ? `stickiness ${a.pacemaker.stickiness} keeps it on ${passive} once nothing pins it` : 'stickiness 0 lets Pacemaker place it on either node',
    },
    {
      id: 'standby-and-back',
      title: `${active} in standby and back`,
      steps: [{ do: 'standby', node: active, on: true }, { do: 'standby', node: active, on: false }],
      expect: sticky ? 'moves' : 'runs',
      because: sticky ? `stickiness ${a.pacemaker.stickiness}: no failback when ${active} returns` : 'stickiness 0 lets Pacemaker place it on either node',
    },
  );
  if (a.pacemaker.stonith !== 'none') {
    // Fencing scenarios (issue 26): every node loss above is checked for fencing too; these two add
    // the fence that never succeeds and the split of the cluster link.
    list.push(
      {
        id: 'fence-fails',
        title: `${active} lost, its fence fails`,
        steps: [{ do: 'fence-fails', node: active }],
        expect: 'stays',
        because: `without a confirmed fence of ${active}, nothing may be promoted or started on ${passive}`,
      },
      {
        id: 'link-split',
        title: 'cluster link splits, both nodes fence',
        steps: [{ do: 'split', active, passive }],
        expect: 'stays',
        because: `priority-fencing-delay gives ${active}, which runs the service, the head start: ${passive} is fenced`,
      },
    );
  }
  return list;
}
