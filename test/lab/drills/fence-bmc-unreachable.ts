// Drill (issue 26 point 4, LAB_BMC=1): the BMC unreachable when it is needed. The active node's BMC is
// cut off the service network (the hub neither answers ARP for it nor relays to it: svc-hub.mjs
// `block-bmc`, as a BMC on a dead management switch), checked with the fence agent's own `-o status`
// from the peer, and then the active VM is paused (QEMU `stop`: alive, silent, holding the mount, as in
// fence-paused.ts). The peer must fence it and cannot. What must happen:
// - nothing is promoted or started on the peer while the fence has not succeeded: DRBD's own role on
//   both nodes every 2 s (the peer stays Secondary), the VIP and the mount not on the peer, and the
//   fencer's history shows the failed attempt(s);
// - `hanfs-wizard monitor --json` says why: health CRITICAL with a fencing problem naming the node (its
//   fence pending, or UNCLEAN with the last fence failed) and what to do (the stonith_admin commands);
// - once the BMC answers again (the block lifted), the next attempt fences the node through its BMC and
//   the failover completes: the peer Primary with the VIP, the client reads again; the fenced node comes
//   back as Secondary; never two Primaries; no acknowledged write lost (the harness checks after).
// Afterwards, as an admin would once the BMC is back, `hanfs-wizard cleanup` clears the failures the
// outage left (the fence device's failed monitor), so the next drill starts from a healthy cluster.
// The block is lifted and a still-paused VM resumed before the drill returns or throws.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubControl } from '../hub-control.js';
import { qemuMonitor, qemuPid, run, sleep, ssh, waitFor, type NodeName } from '../lab.js';
import { hasAddress, parseCrmMonXml } from '../truth.js';
import { firstReadAfter, type Workload } from '../workload.js';
import { dropSshMaster, expectFenceSucceeded, expectNeverTwoPrimaries, fenceEvents, sampleRoles, servesHere, waitRejoinedSecondary, waitSettled } from './fence-common.js';

export interface FenceBmcDrillContext {
  active: NodeName;
  passive: NodeName;
  /** The client workload already writing through the VIP from the passive node. */
  workload: Workload;
  vip: string;
  /** Each node's BMC address (answers pacemaker.stonith.nodes.<node>.ip): the hub blocks the active one's. */
  bmcAddress: Record<NodeName, string>;
  /** The fence agent and each node's options as the answers give them (the agent's stdin form). */
  agent: string;
  fenceOptions: Record<NodeName, Record<string, string | number>>;
  /** The CLI under test, its environment and the answers: monitor --json and cleanup. */
  cli: string;
  env: NodeJS.ProcessEnv;
  answers: string;
  monitorIntervalMs: number;
  settleMs: number;
  logDir: string;
}

export interface FenceBmcDrillOutcome {
  note: string;
  /** Pause -> the block lifted (how long the cluster waited on the BMC). */
  blockedSeconds: number;
  /** Block lifted -> the paused node's QEMU gone (its BMC's power off). */
  fenceSeconds: number;
  /** Block lifted -> first client read through the VIP after the takeover. */
  failoverSeconds: number;
  /** Pause -> first client read (the clients' whole outage). */
  outageSeconds: number;
  /** Failed fence attempts recorded before the block was lifted. */
  failedAttempts: number;
  /** The monitor's CRITICAL fencing problem while the BMC was unreachable. */
  monitorSaid: string;
  cleanedUp: boolean;
  transcripts: string[];
}

interface MonitorDoc {
  health: string;
  problems: { severity: string; node: string | null; subject: string; text: string }[];
}

async function monitorJson(ctx: FenceBmcDrillContext, file: string): Promise<MonitorDoc> {
  const r = await run(['node', ctx.cli, 'monitor', '--answers', ctx.answers, '--json'], { env: ctx.env, timeoutMs: 180_000 });
  writeFileSync(file, r.stdout);
  if (r.stdout.trim() === '') throw new Error(`monitor --json printed nothing (exit ${r.code}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as MonitorDoc;
}

/** The CRITICAL fencing problem about the node, with what to do, or null. */
function fencingCritical(doc: MonitorDoc, node: NodeName): MonitorDoc['problems'][number] | null {
  if (doc.health !== 'CRITICAL') return null;
  return doc.problems.find((p) => p.severity === 'CRITICAL' && p.subject === 'fencing' && p.node === node && /pending|UNCLEAN|failed/.test(p.text) && /stonith_admin/.test(p.text)) ?? null;
}

/** What of the service runs on the node (DRBD Primary, the VIP, a DRBD mount): [] when nothing; a node that does not answer counts only when it must. */
async function nothingStartedOn(node: NodeName, vip: string, mustAnswer = false): Promise<string[]> {
  const r = await ssh(node, 'cat /proc/drbd; echo @@; ip -j addr; echo @@; findmnt -n -o TARGET,SOURCE | grep drbd || true', { timeoutMs: 30_000, mux: false });
  const [drbd = '', ip = '[]', mounts = ''] = r.stdout.split('@@\n');
  const out: string[] = [];
  if (/ro:Primary\//.test(drbd)) out.push(`${node} is DRBD Primary`);
  if (r.code === 0 && hasAddress(ip, vip)) out.push(`${node} holds the VIP ${vip}`);
  if (mounts.trim() !== '') out.push(`${node} mounts ${mounts.trim()}`);
  if (r.code !== 0 && mustAnswer) out.push(`${node} did not answer (exit ${r.code})`);
  return out;
}

export async function fenceBmcUnreachableDrill(ctx: FenceBmcDrillContext): Promise<FenceBmcDrillOutcome> {
  const { active, passive, workload: w } = ctx;
  const nodes: [NodeName, NodeName] = [active, passive];
  const transcripts: string[] = [];
  const bmc = ctx.bmcAddress[active];
  await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
  const oldPid = qemuPid(active);
  if (oldPid === null) throw new Error(`BMC drill: ${active} has no running QEMU`);
  let fenced = false;
  let sampler: ReturnType<typeof sampleRoles> | null = null;
  try {
    // 0. A settled cluster first: a fault in the middle of a transition judges that transition, not the fault.
    await waitSettled('BMC drill', nodes, ctx.settleMs, transcripts);
    // 1. The BMC off the network, and the fence agent's own word that the peer cannot reach it.
    transcripts.push(`hub: ${JSON.stringify(await hubControl(`block-bmc ${bmc}`))}`);
    const opts = Object.entries({ ...ctx.fenceOptions[active], action: 'status' }).map(([k, v]) => `${k}=${v}`).join('\n');
    const st = await ssh(passive, ctx.agent, { input: `${opts}\n`, timeoutMs: 180_000, mux: false });
    transcripts.push(`$ ${ctx.agent} (action=status for ${active}'s BMC ${bmc}, on ${passive}; exit ${st.code}${st.timedOut ? ', timed out' : ''}, ${st.seconds.toFixed(1)} s)\n${st.stdout}${st.stderr}`.replace(/password=[^\n]*/g, 'password=(hidden)'));
    if (st.code === 0 || /Status: ON/.test(st.stdout)) throw new Error(`BMC drill: ${passive} still reaches ${active}'s BMC at ${bmc} through the hub's block:\n${st.stdout}${st.stderr}`);

    // 2. The active VM paused: the peer must fence it, and cannot.
    sampler = sampleRoles(nodes);
    await sleep(4_000);
    const pausedAt = Date.now();
    const out = await qemuMonitor(active, 'stop');
    if (out !== '') throw new Error(`BMC drill: QEMU monitor stop on ${active}: ${out}`);
    if (!/paused/.test(await qemuMonitor(active, 'info status'))) throw new Error(`BMC drill: ${active} not paused after stop`);
    await dropSshMaster(active);

    // 3. A failed fence attempt recorded, nothing started on the peer meanwhile.
    let startedEarly: string[] = [];
    const failedAttempts = await waitFor(`a failed fence of ${active} in ${passive}'s history (its BMC blocked)`, ctx.settleMs, 3_000, async () => {
      startedEarly = await nothingStartedOn(passive, ctx.vip);
      if (startedEarly.length) return -1;
      const failed = (await fenceEvents(passive, active)).events.filter((e) => e.status === 'failed').length;
      return failed > 0 ? failed : null;
    });
    if (failedAttempts < 0) throw new Error(`BMC drill: before any fence succeeded: ${startedEarly.join('; ')}\n${(await fenceEvents(passive, active)).raw}`);
    if (qemuPid(active) !== oldPid) throw new Error(`BMC drill: ${active} was powered off although its BMC was blocked`);
    transcripts.push((await fenceEvents(passive, active)).raw);

    // 4. The monitor says why: CRITICAL, fencing, the node, what to do.
    let doc = await monitorJson(ctx, join(ctx.logDir, 'fence-bmc-unreachable-monitor-1.json'));
    let said = fencingCritical(doc, active);
    if (said === null) {
      await sleep(ctx.monitorIntervalMs);
      doc = await monitorJson(ctx, join(ctx.logDir, 'fence-bmc-unreachable-monitor-2.json'));
      said = fencingCritical(doc, active);
    }
    transcripts.push(`monitor --json: health ${doc.health}\n${doc.problems.map((p) => `${p.severity} ${p.node ?? '-'} ${p.subject}: ${p.text}`).join('\n')}`);
    if (said === null) {
      throw new Error(`BMC drill: monitor --json does not say CRITICAL for ${active}'s fence (pending or failed, with what to do); health ${doc.health}, problems:\n${doc.problems.map((p) => `${p.severity} ${p.node ?? '-'} ${p.subject}: ${p.text}`).join('\n')}`);
    }
    const stillNothing = await nothingStartedOn(passive, ctx.vip, true);
    if (stillNothing.length) throw new Error(`BMC drill: while the fence had not succeeded: ${stillNothing.join('; ')}`);

    // 5. The BMC answers again: the next attempt fences, the failover completes.
    const unblockedAt = Date.now();
    transcripts.push(`hub: ${JSON.stringify(await hubControl('clear'))} (${((unblockedAt - pausedAt) / 1000).toFixed(0)} s after the pause)`);
    await waitFor(`${active} fenced once its BMC answers (its QEMU PID ${oldPid} gone)`, ctx.settleMs, 500, async () => (qemuPid(active) !== oldPid ? true : null));
    fenced = true;
    const fenceSeconds = (Date.now() - unblockedAt) / 1000;
    await waitFor(`${passive} Primary with the VIP`, ctx.settleMs, 2_000, async () => ((await servesHere(passive, ctx.vip)) ? true : null));
    const readAt = await waitFor('a read through the VIP after the takeover', ctx.settleMs, 500, async () => firstReadAfter(w, unblockedAt));
    await expectFenceSucceeded('BMC drill', passive, active, transcripts);
    await waitRejoinedSecondary(active, ctx.settleMs);
    await sleep(4_000);
    await sampler.stop();

    // 6. Never two Primaries; the peer not Primary in any round that began before the block was lifted.
    expectNeverTwoPrimaries('fence-bmc-unreachable', ctx.logDir, nodes, sampler.samples);
    const early = sampler.samples.filter((s) => s.at < unblockedAt && s.roles[passive] === 'Primary');
    if (early.length) throw new Error(`BMC drill: ${passive} Primary before ${active}'s BMC answered, at ${early.map((s) => new Date(s.at).toISOString()).join(', ')} (fence-bmc-unreachable-roles.txt)`);
    if (!sampler.samples.some((s) => s.roles[active] === 'Secondary' && s.roles[passive] === 'Primary')) throw new Error('BMC drill: the role samples never show the takeover (fence-bmc-unreachable-roles.txt)');

    // 7. The admin's cleanup once the BMC is back: the failures the outage left (the device's monitor).
    let cleanedUp = false;
    const crm = parseCrmMonXml((await ssh(passive, 'crm_mon -1 --output-as=xml', { timeoutMs: 60_000, mux: false })).stdout);
    if (crm.failures > 0) {
      const c = await run(['node', ctx.cli, 'cleanup', '--answers', ctx.answers, '--yes'], { env: ctx.env, timeoutMs: 600_000 });
      transcripts.push(`$ hanfs-wizard cleanup --answers ... --yes (exit ${c.code})\n${c.stdout}${c.stderr}`);
      if (c.code !== 0) throw new Error(`BMC drill: cleanup after the BMC outage exited ${c.code}: ${c.stderr.trim() || c.stdout.trim()}`);
      cleanedUp = true;
    }

    return {
      note: `${active}'s BMC blocked, ${active} paused: ${failedAttempts} failed fence(s), nothing promoted, monitor CRITICAL ("${said.text.slice(0, 80)}..."); BMC back: fenced in ${fenceSeconds.toFixed(0)} s, ${passive} serving in ${((readAt - unblockedAt) / 1000).toFixed(0)} s${cleanedUp ? '; cleanup of the outage\'s failures' : ''}; never two Primaries`,
      blockedSeconds: (unblockedAt - pausedAt) / 1000,
      fenceSeconds,
      failoverSeconds: (readAt - unblockedAt) / 1000,
      outageSeconds: (readAt - pausedAt) / 1000,
      failedAttempts,
      monitorSaid: said.text,
      cleanedUp,
      transcripts,
    };
  } finally {
    await sampler?.stop();
    await hubControl('clear').catch(() => undefined);
    // Failed before the fence: resume the VM rather than leave the lab with a frozen one.
    if (!fenced && qemuPid(active) === oldPid) await qemuMonitor(active, 'cont').catch(() => undefined);
    writeFileSync(join(ctx.logDir, 'fence-bmc-unreachable-transcript.txt'), transcripts.join('\n\n'));
  }
}
