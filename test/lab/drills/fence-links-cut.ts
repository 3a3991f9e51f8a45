// Drill (issue 26 point 4, LAB_BMC=1): the active node's cluster and replication links cut while its
// service link works. In the lab the cluster's links are Corosync's two knet links, link 0 on repl0 (the
// cable DRBD uses too) and link 1 on svc0: the active node's repl NIC is cut (QEMU set_link, the cable
// pulled on its side) and the hub drops the IPv4 frames between the two nodes' service addresses
// (svc-hub.mjs `cut`), while the service network still carries the VIP, the gateway and the BMCs.
// Both nodes lose each other at once and each asks to fence the other. What must happen:
// - exactly one node is fenced through its BMC, the one the fence delays in the running CIB do not
//   favour (priority-fencing-delay favours the promoted, active node: fence-delay.ts); the drill refuses
//   to run when the CIB favours the passive node, because its client runs on the node meant to survive;
// - no split brain: the survivor stays Primary throughout (DRBD's own role on both nodes every 2 s),
//   never two Primaries, the fenced node comes back (the fence's power on), resyncs and is Secondary,
//   Connected, UpToDate, and no "Split-Brain detected" in either kernel log;
// - the client, writing through the VIP on the surviving node itself, loses no acknowledged write (the
//   harness checks them after the drill); its pause (DRBD freezes I/O until the peer is fenced:
//   fencing resource-and-stonith) is the drill's "failover" seconds, though nothing moves.
// The links are restored as soon as the fence is seen (the fenced node then boots into a whole network),
// and in any case before the drill returns or throws.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { qemuPid, sleep, waitFor, type NodeName } from '../lab.js';
import { firstReadAfter, type Workload } from '../workload.js';
import {
  cutClusterLinks, expectFenceSucceeded, expectNeverTwoPrimaries, qemuPids, racePrediction, restoreLinks, sampleRoles, servesHere,
  splitBrainLines, waitFenced, waitRejoinedSecondary, waitSettled,
} from './fence-common.js';

export interface FenceLinkDrillContext {
  /** The healthy cluster's roles when the drill starts. */
  active: NodeName;
  passive: NodeName;
  /** The client workload already writing through the VIP, on the active node (the one meant to survive). */
  workload: Workload;
  vip: string;
  /** Each node's service address without prefix (answers nodes[].service.address): the hub cuts between them. */
  serviceAddress: Record<NodeName, string>;
  settleMs: number;
  logDir: string;
}

export interface FenceLinkDrillOutcome {
  note: string;
  survivor: NodeName;
  fenced: NodeName;
  /** Cut -> the fenced node's QEMU gone (its BMC's power off), host clock. */
  fenceSeconds: number;
  /** Cut -> first client read through the VIP after the cut (the client's pause; nothing moved). */
  failoverSeconds: number;
  /** Cut -> the fenced node Secondary, Connected, UpToDate again. */
  rejoinSeconds: number;
  transcripts: string[];
}

export async function fenceLinksCutDrill(ctx: FenceLinkDrillContext): Promise<FenceLinkDrillOutcome> {
  const { active, passive, workload: w } = ctx;
  const nodes: [NodeName, NodeName] = [active, passive];
  const transcripts: string[] = [];
  await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
  // Settled before the prediction and the cut: the first run cut in the middle of a transition.
  await waitSettled('fence links drill', nodes, ctx.settleMs, transcripts);
  const p = await racePrediction(active, nodes, active, transcripts);
  if (p.survivor !== active) {
    throw new Error(`fence links drill: the running CIB favours ${p.survivor}, the passive node, in a fence race (${p.why}); the generated configuration should favour the active one`);
  }
  if (w.node !== p.survivor) throw new Error(`fence links drill: the client runs on ${w.node}, not on ${p.survivor}, the node meant to survive`);
  const pids = qemuPids(nodes);
  const sampler = sampleRoles(nodes);
  try {
    await sleep(4_000); // a few samples of the healthy state first
    const cutAt = Date.now();
    await cutClusterLinks([active], ctx.serviceAddress);
    transcripts.push(`${new Date(cutAt).toISOString()}: ${active}'s repl NIC cut (set_link repl off); hub: cut ${ctx.serviceAddress[active]} <-> ${ctx.serviceAddress[passive]}`);

    // 1. Exactly one node fenced, and the one the delays do not favour.
    const f = await waitFenced(pids, ctx.settleMs);
    const fenceSeconds = (f.at - cutAt) / 1000;
    transcripts.push(`${new Date(f.at).toISOString()}: powered off: ${f.nodes.join(', ')} (${fenceSeconds.toFixed(1)} s after the cut)`);
    await restoreLinks();
    if (f.nodes.length !== 1 || f.nodes[0] !== p.loser) {
      throw new Error(`fence links drill: expected ${p.loser} alone to be fenced (${p.why}), but powered off: ${f.nodes.join(', ')}`);
    }

    // 2. The survivor kept the service: still Primary with the VIP, and the client reads again.
    await waitFor(`${active} still Primary with the VIP`, ctx.settleMs, 2_000, async () => ((await servesHere(active, ctx.vip)) ? true : null));
    const readAt = await waitFor('a read through the VIP after the cut', ctx.settleMs, 500, async () => firstReadAfter(w, cutAt));
    const failoverSeconds = (readAt - cutAt) / 1000;

    // 3. Pacemaker's own record of the fence, on the survivor.
    await expectFenceSucceeded('fence links drill', active, passive, transcripts);

    // 4. The fenced node comes back and resyncs as Secondary: DRBD connected again, so no split brain.
    await waitRejoinedSecondary(passive, ctx.settleMs);
    const rejoinSeconds = (Date.now() - cutAt) / 1000;
    await sleep(4_000); // a few samples of the rejoined state
    await sampler.stop();
    for (const n of nodes) {
      const sb = await splitBrainLines(n, cutAt);
      if (sb.length) throw new Error(`fence links drill: ${n}'s kernel log reports split brain:\n${sb.join('\n')}`);
    }
    if (qemuPid(active) !== pids[active]) throw new Error(`fence links drill: ${active}, the survivor, was powered off after all (QEMU PID ${pids[active]} gone)`);

    // 5. Never two Primaries, and the survivor Primary in every round it answered: nothing moved.
    expectNeverTwoPrimaries('fence-links-cut', ctx.logDir, nodes, sampler.samples);
    const demoted = sampler.samples.filter((s) => s.roles[active] !== null && s.roles[active] !== 'Primary');
    if (demoted.length) throw new Error(`fence links drill: ${active} was not Primary at ${demoted.map((s) => `${new Date(s.at).toISOString()} (${s.roles[active]})`).join(', ')} (fence-links-cut-roles.txt)`);
    if (!sampler.samples.some((s) => s.at > f.at && s.roles[passive] === 'Secondary')) throw new Error(`fence links drill: no sample shows ${passive} back as Secondary (fence-links-cut-roles.txt)`);
    writeFileSync(join(ctx.logDir, 'fence-links-cut-transcript.txt'), transcripts.join('\n\n'));

    return {
      note: `${active}'s cluster+replication links cut: ${passive} fenced through its BMC in ${fenceSeconds.toFixed(0)} s, ${active} stayed Primary (client paused ${failoverSeconds.toFixed(0)} s), ${passive} back as Secondary in ${rejoinSeconds.toFixed(0)} s; ${sampler.samples.length} role samples, never two Primaries, no split brain`,
      survivor: active,
      fenced: passive,
      fenceSeconds,
      failoverSeconds,
      rejoinSeconds,
      transcripts,
    };
  } finally {
    await sampler.stop();
    await restoreLinks().catch(() => undefined);
    writeFileSync(join(ctx.logDir, 'fence-links-cut-transcript.txt'), transcripts.join('\n\n'));
  }
}
