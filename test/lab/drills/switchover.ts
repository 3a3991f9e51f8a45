// Lab drill (issue 30): `hanfs-wizard switchover` and back while an NFS client writes and reads through
// the virtual IP. Targets: each switchover exits 0 (it read back the service on the peer and no move
// constraint left), the service really moved (Pacemaker's word, read on the nodes), 0 client errors,
// 0 acknowledged writes lost, no cli-prefer/cli-ban constraint in the CIB afterwards; the longest pause
// between two successful client reads is measured (the drill table's stall), to set beside the same
// run's kill -9 figure. The e2e wires it in (the lead runs the lab): it passes the context and asserts
// `problems` is empty.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peerOf, waitFor, type NodeName } from '../lab.js';
import { mountClient, startWorkload, verifyWrites } from '../workload.js';
import { action, activeNode, cliConstraints, crmState, maxStall, type OpsDrillContext } from './ops-common.js';

export interface SwitchoverLeg {
  from: NodeName;
  to: NodeName;
  exitCode: number | null;
  /** The action's run time, start to read-back (plan, lock, move, read-backs, clear). */
  actionSeconds: number;
  /** The longest pause between two successful client reads while the action ran. */
  maxStallSeconds: number;
  clientErrors: number;
  /** cli-prefer/cli-ban constraints in the CIB after the action. */
  cliLeft: string[];
  /** Where Pacemaker runs the service after the action. */
  servedBy: NodeName | null;
}

export interface SwitchoverDrillResult {
  legs: SwitchoverLeg[];
  client: NodeName;
  written: number;
  verified: number;
  lost: string[];
  /** Every target missed, one line each: empty when the drill passed. */
  problems: string[];
}

/** Switchover to the peer and back, the client on the node that is passive at the start. */
export async function switchoverDrill(ctx: OpsDrillContext): Promise<SwitchoverDrillResult> {
  const first = activeNode(await crmState());
  if (first === null) throw new Error('switchover drill: the service runs nowhere; start from a healthy cluster');
  const client = peerOf(first);
  await mountClient(client, ctx.vip, ctx.exportPath);
  const w = await startWorkload(client, 'switchover');
  const legs: SwitchoverLeg[] = [];
  const problems: string[] = [];
  try {
    await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
    for (const [from, to] of [[first, peerOf(first)], [peerOf(first), first]] as const) {
      const errorsBefore = w.errors;
      const r = await action(ctx, ['switchover', '--to', to]);
      writeFileSync(join(ctx.logDir, `switchover-${from}-to-${to}.log`), `$ ${r.argv.join(' ')}\n${r.stdout}\n${r.stderr}\n[exit ${r.code} after ${r.seconds.toFixed(1)} s]\n`);
      // A read in flight when the action ended: give the client a moment to report it.
      await waitFor(`a client read after the switchover to ${to}`, 120_000, 500, async () => (w.reads.some((t) => t > r.endedAt) ? true : null)).catch(() => undefined);
      const leg: SwitchoverLeg = {
        from,
        to,
        exitCode: r.code,
        actionSeconds: r.seconds,
        maxStallSeconds: maxStall(w.reads, r.startedAt, r.endedAt),
        clientErrors: w.errors - errorsBefore,
        cliLeft: await cliConstraints(to),
        servedBy: activeNode(await crmState()),
      };
      legs.push(leg);
      if (leg.exitCode !== 0) problems.push(`switchover ${from} -> ${to} exited ${leg.exitCode} (see switchover-${from}-to-${to}.log)`);
      if (leg.servedBy !== to) problems.push(`switchover ${from} -> ${to}: Pacemaker runs the service on ${leg.servedBy ?? 'no node'}`);
      if (leg.clientErrors !== 0) problems.push(`switchover ${from} -> ${to}: the client saw ${leg.clientErrors} I/O errors`);
      if (leg.cliLeft.length) problems.push(`switchover ${from} -> ${to} left ${leg.cliLeft.join(', ')} in the CIB`);
      if (leg.exitCode !== 0) break;
    }
  } finally {
    await w.stop();
  }
  const { verified, bad } = await verifyWrites(client, w.acked);
  if (w.acked.size === 0) problems.push('the client acknowledged no write at all');
  if (bad.length) problems.push(`acknowledged writes lost or changed: ${bad.slice(0, 5).join('; ')}${bad.length > 5 ? ` (+${bad.length - 5})` : ''}`);
  return { legs, client, written: w.acked.size, verified, lost: bad, problems };
}
