// Lab drill (issue 30): `standby NODE`, `online NODE`, `maintenance on`, `maintenance off` on the active
// node while an NFS client writes and reads through the virtual IP. Targets: every action exits 0 (each
// read back its own promise), each state is seen by `monitor --json` within its refresh interval (the
// node's standby flag; maintenance-mode as the monitor's warning), the service moves off the node in
// standby and stays put when it comes back online, 0 client errors, 0 acknowledged writes lost. Whatever
// fails, the cluster is left out of standby and out of maintenance (by the same actions). The e2e wires it
// in (the lead runs the lab) and asserts `problems` is empty.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peerOf, waitFor, type NodeName } from '../lab.js';
import { mountClient, startWorkload, verifyWrites } from '../workload.js';
import { action, activeNode, crmState, maxStall, monitorShows, type MonitorView, type OpsDrillContext } from './ops-common.js';

export interface OpsStep {
  words: string[];
  exitCode: number | null;
  actionSeconds: number;
  /** Seconds until monitor --json showed the state after the action returned; null: not within its interval. */
  monitorSeconds: number | null;
  maxStallSeconds: number;
  clientErrors: number;
  servedBy: NodeName | null;
}

export interface StandbyMaintenanceResult {
  steps: OpsStep[];
  client: NodeName;
  written: number;
  verified: number;
  lost: string[];
  problems: string[];
}

const MAINTENANCE_TEXT = 'maintenance-mode=true';
const nodeIs = (v: MonitorView, name: string, standby: boolean) => v.nodes.some((n) => n.name === name && n.online && n.standby === standby);
const inMaintenance = (v: MonitorView) => v.problems.some((p) => p.text.includes(MAINTENANCE_TEXT));

export async function standbyMaintenanceDrill(ctx: OpsDrillContext): Promise<StandbyMaintenanceResult> {
  const active = activeNode(await crmState());
  if (active === null) throw new Error('standby drill: the service runs nowhere; start from a healthy cluster');
  const passive = peerOf(active);
  const client = passive;
  await mountClient(client, ctx.vip, ctx.exportPath);
  const w = await startWorkload(client, 'standby');
  const steps: OpsStep[] = [];
  const problems: string[] = [];
  const plan: { words: string[]; shows: (v: MonitorView) => boolean; servedBy: NodeName }[] = [
    { words: ['standby', active], shows: (v) => nodeIs(v, active, true), servedBy: passive },
    { words: ['online', active], shows: (v) => nodeIs(v, active, false), servedBy: passive },
    { words: ['maintenance', 'on'], shows: inMaintenance, servedBy: passive },
    { words: ['maintenance', 'off'], shows: (v) => !inMaintenance(v), servedBy: passive },
  ];
  try {
    await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
    for (const p of plan) {
      const errorsBefore = w.errors;
      const r = await action(ctx, p.words);
      const name = p.words.join('-');
      writeFileSync(join(ctx.logDir, `ops-${name}.log`), `$ ${r.argv.join(' ')}\n${r.stdout}\n${r.stderr}\n[exit ${r.code} after ${r.seconds.toFixed(1)} s]\n`);
      const monitorSeconds = await monitorShows(ctx, p.shows);
      await waitFor(`a client read after ${name}`, 120_000, 500, async () => (w.reads.some((t) => t > r.endedAt) ? true : null)).catch(() => undefined);
      const s: OpsStep = {
        words: p.words,
        exitCode: r.code,
        actionSeconds: r.seconds,
        monitorSeconds,
        maxStallSeconds: maxStall(w.reads, r.startedAt, r.endedAt),
        clientErrors: w.errors - errorsBefore,
        servedBy: activeNode(await crmState()),
      };
      steps.push(s);
      if (s.exitCode !== 0) problems.push(`${p.words.join(' ')} exited ${s.exitCode} (see ops-${name}.log)`);
      if (s.monitorSeconds === null) problems.push(`${p.words.join(' ')}: monitor --json did not show the state within one refresh interval (${ctx.monitorIntervalMs / 1000} s)`);
      if (s.servedBy !== p.servedBy) problems.push(`${p.words.join(' ')}: the service runs on ${s.servedBy ?? 'no node'}, expected ${p.servedBy}`);
      if (s.clientErrors) problems.push(`${p.words.join(' ')}: the client saw ${s.clientErrors} I/O errors`);
      if (s.exitCode !== 0) break;
    }
  } finally {
    await w.stop();
    // Never leave the lab in standby or maintenance for the next drill: the same actions undo them
    // (each does nothing when there is nothing to undo).
    await action(ctx, ['maintenance', 'off']).catch(() => undefined);
    await action(ctx, ['online', active]).catch(() => undefined);
  }
  const { verified, bad } = await verifyWrites(client, w.acked);
  if (w.acked.size === 0) problems.push('the client acknowledged no write at all');
  if (bad.length) problems.push(`acknowledged writes lost or changed: ${bad.slice(0, 5).join('; ')}${bad.length > 5 ? ` (+${bad.length - 5})` : ''}`);
  return { steps, client, written: w.acked.size, verified, lost: bad, problems };
}
