// Phase: the service settled where the constraints put it, confirmed by its monitors; DRBD healthy on
// both nodes; the filesystem mounted once; the exports visible through the virtual IP.
import type { NodeAnswers } from '../../answers/schema.js';
import { hostAddress } from '../../answers/derived.js';
import { connectedToPeers, describeDrbdState, drbdStuck } from '../../probes/drbd-status.js';
import { failedActions, failedActionsAdvice, monitoredPrimitives, settleProblems, unconfirmedMonitors } from '../../probes/cluster-settle.js';
import { parseCrmMon, type CrmStatus } from '../../probes/crm-mon.js';
import { parseShowmountE } from '../../probes/nfs.js';
import type { RunResult } from '../../exec/runner.js';
import type { PlanContext } from '../context.js';
import { CRM_MON, crm, drbdRes, ok } from '../judges.js';
import { step, type PlanStep } from '../types.js';

export function settle(ctx: PlanContext): PlanStep[] {
  const monitored = monitoredPrimitives(ctx.cib);
  const unsettled = (c: CrmStatus) => [...settleProblems(c, ctx.names), ...unconfirmedMonitors(c, monitored)];
  return [
    step({
      id: 'cluster/settle', node: ctx.first.name, cluster: true, title: 'wait until the service runs, confirmed by its monitors', parallelGroup: '18-settle',
      why: 'DRBD promoted, filesystem, NFS server, exports and the virtual IP started where the constraints put them, none pending, none failed, and each one\'s first monitor after its start reported it running',
      // No fixed time window: a start in flight shows as pending, and a resource that starts and then
      // fails is caught by its first recurring monitor, which Pacemaker runs right after the start
      // (src/probes/cluster-settle.ts). A settled cluster is confirmed at the first poll.
      verify: {
        kind: 'probe', argv: CRM_MON, waitMs: 600_000, intervalMs: 3000,
        describe: 'every resource started where expected, none pending, none failed, DRBD promoted on one node, every first monitor reported',
        judge: (r) => {
          const c = crm(r);
          return c !== null && failedActions(c) === null && unsettled(c).length === 0;
        },
        blockers: (r) => {
          const c = crm(r);
          const f = c ? failedActions(c) : null;
          return f ? { lines: [`failed actions:`, ...f.lines.map((l) => `  ${l}`)], next: failedActionsAdvice(f) } : null;
        },
        explain: (r) => {
          const c = parseCrmMon(r.stdout);
          if (!c.ok) return [`crm_mon: ${c.message}${c.errors.length ? `: ${c.errors.join('; ')}` : ''}`];
          return unsettled(c);
        },
      },
    }),
  ];
}

export function verifyDrbd(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const { a, res, checks } = ctx;
  // Two readings in a row: `drbdadm up` (Pacemaker starting DRBD on a returning node) passes through
  // StandAlone for a moment; a resource still StandAlone 2 s later is not connecting.
  let stuckBefore = false;
  return [
    step({
      id: `${n.name}/verify-drbd`, node: n.name, title: `verify ${res} on ${n.name}`, parallelGroup: '19-verify',
      why: 'Connected and UpToDate on both nodes',
      verify: {
        ...checks.upToDateBoth,
        judge: (r) => checks.upToDateBoth.judge(r) && checks.connectedBoth.judge(r),
        // Waits out a reconnect and its resync. Both happen on a healthy cluster: a node that missed DRBD's
        // ping answer (1 s) under load is disconnected, outdated by the fence-peer handler and resynced
        // seconds later (a CI run's apply found it SyncSource at 100.00%, 2026-11-27; the one-shot check
        // failed the apply). The resync's size is what changed while disconnected, so minutes at most.
        waitMs: 300_000, intervalMs: 2000, progress: 'drbd-resync',
        blockers: (r) => {
          const stuck = drbdStuck(drbdRes(r, res), res);
          const out = stuck !== null && stuckBefore ? stuck : null;
          stuckBefore = stuck !== null;
          return out;
        },
        explain: (r) => (ok(r) ? describeDrbdState(drbdRes(r, res), res) : [`drbdadm status exited ${r.exitCode ?? r.error ?? '?'}`]),
        advice: (r) => drbdAdvice(ctx, n, r),
      },
    }),
  ];
}

function drbdAdvice(ctx: PlanContext, n: NodeAnswers, r: RunResult): string | null {
  const { a, res } = ctx;
  const st = drbdRes(r, res);
  if (st === null) return null;
  const peer = a.nodes.find((x) => x.name !== n.name)!;
  if (!connectedToPeers(st)) {
    return `DRBD on ${n.name} cannot reach its peer over the replication link: check it (ping ${hostAddress(peer.replication.address)} from ${n.name}, TCP port ${a.drbd.port} open both ways, DRBD up on ${peer.name}), then run apply again.`;
  }
  if (st.peers.some((x) => /^(Sync|PausedSync|WFBitMap|WFSync)/.test(x.replication ?? ''))) {
    return 'a resync is still running: follow it with hanfs-wizard monitor, and run apply again once both nodes are UpToDate.';
  }
  return null;
}

export function verifyService(ctx: PlanContext): PlanStep[] {
  const { a } = ctx;
  const vip = hostAddress(a.virtualIp.address);
  return [
    step({
      id: 'cluster/verify-mount', node: ctx.first.name, cluster: true, title: `verify ${a.filesystem.mount} is mounted on exactly one node`, parallelGroup: '19-verify',
      why: 'only the DRBD Primary may mount the filesystem',
      verify: {
        kind: 'probe', argv: CRM_MON, describe: 'the Filesystem resource runs on exactly one node, where DRBD is Promoted',
        judge: (r) => {
          const c = crm(r);
          if (c === null) return false;
          const fs = c.resources.filter((x) => x.agent.endsWith(':Filesystem') && x.active);
          const prom = c.resources.filter((x) => x.role === 'Promoted');
          return fs.length === 1 && fs[0]!.nodes.length === 1 && prom.length === 1 && prom[0]!.nodes[0] === fs[0]!.nodes[0];
        },
      },
    }),
    step({
      // From the second node: what a client elsewhere sees, not the node that serves.
      id: 'cluster/verify-export', node: ctx.second.name, cluster: true, title: `verify the exports are visible through ${vip}`, parallelGroup: '20-verify-export',
      why: 'what NFS clients will see: showmount through the virtual IP',
      verify: {
        kind: 'probe', argv: ['showmount', '-e', vip], describe: `showmount -e ${vip} lists ${a.nfs.exports.map((e) => e.path).join(', ')}`, waitMs: 60_000, intervalMs: 3000,
        judge: (r) => {
          const s = parseShowmountE(r.stdout);
          return ok(r) && s.ok && a.nfs.exports.every((e) => s.exports.some((x) => x.path === e.path));
        },
      },
    }),
  ];
}
