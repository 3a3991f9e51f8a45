// Drill (issue 26 point 4, the first fencing drill; LAB_BMC=1): the active VM paused with QEMU's monitor
// `stop`: alive, silent, still holding the DRBD Primary, the mount and the VIP, as a hung kernel would.
// The client writes through the VIP from the passive node throughout. What must happen, with the lab
// answers' fence_ipmilan through the virtual BMCs (test/lab/bmc-up.sh, lab-answers-ipmi.yaml):
// - the peer fences the paused node through its BMC: its QEMU process is killed (the BMC's power off,
//   test/lab/bmc-power.sh) and Pacemaker's fence history says the fence succeeded;
// - only then the peer takes over (DRBD Primary, the VIP): DRBD's own role, read on both nodes every
//   two seconds during the whole drill, never shows two Primaries;
// - the fenced node comes back (the fence's reboot powers it on again), rejoins and resyncs as Secondary;
// - every acknowledged client write survives (the harness checks them after the drill: finishDrill).
// The drill never resumes the paused VM unless it fails before the fence (then `cont`, so the lab is not
// left with a frozen VM).
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { qemuMonitor, qemuPid, ssh, sleep, waitFor, type NodeName } from '../lab.js';
import { hasAddress, parseProcDrbd84 } from '../truth.js';
import { firstReadAfter, type Workload } from '../workload.js';
import { drbdRole, dropSshMaster, expectFenceSucceeded, sampleRoles, waitSettled } from './fence-common.js';

export interface FenceDrillContext {
  /** The healthy cluster's roles when the drill starts. */
  active: NodeName;
  passive: NodeName;
  /** The client workload already writing through the VIP from the passive node (startWorkload). */
  workload: Workload;
  vip: string;
  /** How long the cluster may take to settle (the harness's SETTLE_MS). */
  settleMs: number;
  /** Transcripts go here (.lab/e2e). */
  logDir: string;
}

export interface FenceDrillOutcome {
  note: string;
  /** Pause -> the paused node's QEMU gone (the BMC's power off), host clock. */
  fenceSeconds: number;
  /** Pause -> first client read through the VIP after the takeover. */
  failoverSeconds: number;
  /** Pause -> the fenced node Secondary, Connected, UpToDate again. */
  rejoinSeconds: number;
  transcripts: string[];
}

export async function fencePausedDrill(ctx: FenceDrillContext): Promise<FenceDrillOutcome> {
  const { active, passive, workload: w } = ctx;
  const transcripts: string[] = [];
  await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
  // Settled before the pause: a pause in the middle of a transition judges that transition, not the fence.
  await waitSettled('fence drill', [active, passive], ctx.settleMs, transcripts);
  const oldPid = qemuPid(active);
  if (oldPid === null) throw new Error(`fence drill: ${active} has no running QEMU`);
  const sampler = sampleRoles([active, passive]);
  let fenced = false;
  try {
    await sleep(4_000); // a few samples of the healthy state first
    const pausedAt = Date.now();
    const out = await qemuMonitor(active, 'stop');
    if (out !== '') throw new Error(`fence drill: QEMU monitor stop on ${active}: ${out}`);
    const status = await qemuMonitor(active, 'info status');
    if (!/paused/.test(status)) throw new Error(`fence drill: ${active} not paused after stop: ${status}`);
    await dropSshMaster(active);

    // 1. The fence: the BMC powers the paused VM off (its QEMU process is gone), within the settle time.
    await waitFor(`${active} fenced (its QEMU PID ${oldPid} gone)`, ctx.settleMs, 500, async () => (qemuPid(active) !== oldPid ? true : null));
    fenced = true;
    const fenceSeconds = (Date.now() - pausedAt) / 1000;

    // 2. The takeover: the passive node Primary with the VIP, and the client reads again.
    await waitFor(`${passive} Primary with the VIP`, ctx.settleMs, 2_000, async () => {
      const role = await drbdRole(passive);
      const ip = await ssh(passive, 'ip -j addr', { timeoutMs: 15_000, mux: false });
      return role === 'Primary' && ip.code === 0 && hasAddress(ip.stdout, ctx.vip) ? true : null;
    });
    const readAt = await waitFor('a read through the VIP after the takeover', ctx.settleMs, 500, async () => firstReadAfter(w, pausedAt));
    const failoverSeconds = (readAt - pausedAt) / 1000;

    // 3. Pacemaker's own record: the fence of the paused node succeeded (and crm_mon's fencing history).
    await expectFenceSucceeded('fence drill', passive, active, transcripts);

    // 4. The fenced node comes back (the reboot's power on), rejoins and resyncs as Secondary.
    await waitFor(`${active} answers SSH after the fence`, ctx.settleMs, 3_000, async () => ((await ssh(active, 'true', { timeoutMs: 15_000, mux: false })).code === 0 ? true : null));
    await waitFor(`${active} Secondary, Connected, UpToDate again`, ctx.settleMs, 3_000, async () => {
      const r = await ssh(active, 'cat /proc/drbd', { timeoutMs: 15_000, mux: false });
      const s = r.code === 0 ? parseProcDrbd84(r.stdout)[0] : undefined;
      return s && s.role === 'Secondary' && s.connection === 'Connected' && s.disk === 'UpToDate' && s.peerDisk === 'UpToDate' ? true : null;
    });
    const rejoinSeconds = (Date.now() - pausedAt) / 1000;
    await sleep(4_000); // a few samples of the rejoined state
    await sampler.stop();

    // 5. Never two Primaries, in any round where both nodes answered; and the sampling really saw both.
    const both = sampler.samples.filter((s) => s.roles[active] === 'Primary' && s.roles[passive] === 'Primary');
    writeFileSync(
      join(ctx.logDir, 'fence-paused-roles.txt'),
      sampler.samples.map((s) => `${new Date(s.at).toISOString()} ${active}=${s.roles[active] ?? 'no answer'} ${passive}=${s.roles[passive] ?? 'no answer'}`).join('\n') + '\n',
    );
    writeFileSync(join(ctx.logDir, 'fence-paused-transcript.txt'), transcripts.join('\n\n'));
    if (both.length) throw new Error(`fence drill: two Primaries at ${both.map((s) => new Date(s.at).toISOString()).join(', ')} (${join(ctx.logDir, 'fence-paused-roles.txt')})`);
    const sawBefore = sampler.samples.some((s) => s.at < pausedAt && s.roles[active] === 'Primary' && s.roles[passive] === 'Secondary');
    const sawAfter = sampler.samples.some((s) => s.roles[active] === 'Secondary' && s.roles[passive] === 'Primary');
    if (!sawBefore || !sawAfter) throw new Error(`fence drill: the role samples do not show ${active} Primary before and ${passive} Primary after (fence-paused-roles.txt)`);

    return {
      note: `${active} paused, fenced through its BMC in ${fenceSeconds.toFixed(0)} s, ${passive} took over, ${active} back as Secondary in ${rejoinSeconds.toFixed(0)} s; ${sampler.samples.length} role samples, never two Primaries`,
      fenceSeconds,
      failoverSeconds,
      rejoinSeconds,
      transcripts,
    };
  } finally {
    await sampler.stop();
    // Failed before the fence: resume the VM rather than leave the lab with a frozen one.
    if (!fenced && qemuPid(active) === oldPid) await qemuMonitor(active, 'cont').catch(() => undefined);
  }
}
