// Drill (issue 26 point 5; LAB_SBD=1): the paused-node drill again, fenced by SBD on the disk both VMs
// share (lab-answers-sbd.yaml, start-node.sh). The active VM is paused with QEMU's monitor `stop`:
// alive, silent, still holding the DRBD Primary, the mount and the VIP, as a hung kernel would.
//
// What SBD can and cannot do to a paused VM decides what this drill asserts. `stop` freezes the whole
// guest, its sbd and its emulated i6300esb watchdog timer with it: nothing runs there that could read a
// message or let a watchdog fire. SBD does not need it to: the peer writes the poison pill (`reset`) into
// the paused node's slot, and fence_sbd reports the fence done after msgwait, the time within which a
// node that runs reads its slot or is reset by its watchdog (sbd(8)). So, with the client writing through
// the VIP from the passive node throughout:
// - while the VM stays paused, the peer writes the pill into its slot (read with `sbd list` on the peer),
//   and promotes DRBD no earlier than msgwait after it; Pacemaker's fence history says the fence succeeded;
//   the service comes back on the peer. The paused VM is untouched (still paused, same QEMU process):
//   the fence is a promise the paused node keeps when it runs again, not something done to it;
// - resumed (`cont`), the node resets itself (sbd reads the pill; were sbd stuck, its watchdog fires):
//   a new boot id, the same QEMU process (a reset, not a power cut). Between the resume and the reset it
//   may still call itself Primary, even Connected for a moment (its DRBD has not yet noticed that the
//   connection died while it was frozen), but never connected to a Primary peer: a sample where both
//   nodes are Primary and both say Connected, or where the resumed node sees its peer Primary while
//   Connected, is two Primaries and fails the drill;
// - it comes back, rejoins and resyncs as Secondary (no split brain: DRBD would refuse to connect);
// - every acknowledged client write survives (the harness checks them after the drill: finishDrill).
// If the drill fails before the resume, it resumes the VM (`cont`) so the lab is not left frozen.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { parseSbdList, sbdListArgv } from '../../../src/generate/sbd.js';
import { qemuMonitor, qemuPid, ssh, sleep, waitFor, type NodeName } from '../lab.js';
import { hasAddress, parseProcDrbd84 } from '../truth.js';
import { firstReadAfter } from '../workload.js';
import type { FenceDrillContext } from './fence-paused.js';
import { dropSshMaster, expectFenceSucceeded, sampleEvery2s } from './fence-common.js';

export interface SbdFenceDrillContext extends FenceDrillContext {
  /** The SBD disk as the answers name it: the same /dev/disk/by-id path on both nodes. */
  device: string;
  /** msgwait in seconds as apply wrote it into the disk's header (sbdTimeouts of the answers). */
  msgwaitS: number;
}

export interface SbdFenceDrillOutcome {
  note: string;
  /** Pause -> the poison pill seen in the paused node's slot (on the peer). */
  pillSeconds: number;
  /** Pause -> the peer seen Primary. */
  promoteSeconds: number;
  /** Pause -> first client read through the VIP after the takeover. */
  failoverSeconds: number;
  /** Resume -> the resumed node answers with a new boot id (it reset itself). */
  resetSeconds: number;
  /** Pause -> the fenced node Secondary, Connected, UpToDate again. */
  rejoinSeconds: number;
  transcripts: string[];
}

interface DrbdSample {
  role: string;
  peerRole: string;
  connection: string;
}

interface Sample {
  /** When the reads started and when both had answered (host clock). */
  at: number;
  doneAt: number;
  states: Record<NodeName, DrbdSample | null>;
}

/** The node's first DRBD resource (role, connection), or null when it does not answer within 8 s. */
async function drbdState(node: NodeName): Promise<DrbdSample | null> {
  // Its own connection with a short timeout: the paused node never answers, and a shared connection
  // master to it would hang every later command.
  const r = await ssh(node, 'cat /proc/drbd', { timeoutMs: 8_000, mux: false });
  if (r.code !== 0) return null;
  const s = parseProcDrbd84(r.stdout)[0];
  return s ? { role: s.role, peerRole: s.peerRole, connection: s.connection } : { role: 'none', peerRole: 'none', connection: 'none' };
}

/** Reads both nodes' DRBD state every 2 s until stopped: the evidence for the roles and connections. */
function sampleStates(nodes: [NodeName, NodeName]): { samples: Sample[]; stop: () => Promise<void> } {
  return sampleEvery2s(nodes, drbdState, (at, doneAt, states): Sample => ({ at, doneAt, states }));
}

const bootIdCommand = 'cat /proc/sys/kernel/random/boot_id';

export async function fenceSbdDrill(ctx: SbdFenceDrillContext): Promise<SbdFenceDrillOutcome> {
  const { active, passive, workload: w } = ctx;
  const transcripts: string[] = [];
  const list = sbdListArgv(ctx.device).join(' ');
  await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
  const pid = qemuPid(active);
  if (pid === null) throw new Error(`sbd drill: ${active} has no running QEMU`);
  const boot = await ssh(active, bootIdCommand, { timeoutMs: 15_000, mux: false });
  const bootBefore = boot.stdout.trim();
  if (boot.code !== 0 || bootBefore === '') throw new Error(`sbd drill: no boot id from ${active}: ${boot.stderr}`);
  // SBD must run on both, with both slots on the disk and nothing in them yet.
  for (const n of [active, passive]) {
    const r = await ssh(n, `systemctl is-active sbd.service; ${list}`, { timeoutMs: 30_000, mux: false });
    transcripts.push(`$ systemctl is-active sbd.service; ${list} (on ${n}, exit ${r.code})\n${r.stdout}${r.stderr}`);
    const slots = parseSbdList(r.stdout);
    if (!/^active$/m.test(r.stdout) || ![active, passive].every((x) => slots.some((s) => s.node === x && s.message === 'clear'))) {
      throw new Error(`sbd drill: before the pause, sbd must run on ${n} and both slots be clear:\n${r.stdout}${r.stderr}`);
    }
  }

  const sampler = sampleStates([active, passive]);
  let resumed = false;
  try {
    await sleep(4_000); // a few samples of the healthy state first
    const pausedAt = Date.now();
    const out = await qemuMonitor(active, 'stop');
    if (out !== '') throw new Error(`sbd drill: QEMU monitor stop on ${active}: ${out}`);
    const status = await qemuMonitor(active, 'info status');
    if (!/paused/.test(status)) throw new Error(`sbd drill: ${active} not paused after stop: ${status}`);
    await dropSshMaster(active);

    // 1. The poison pill: the peer writes `reset` (or `off`) into the paused node's slot. `before` is
    //    the start of the last read that did not show it: the pill was written after that moment.
    let before = pausedAt;
    const pill = await waitFor(`the poison pill in ${active}'s slot on ${ctx.device} (read on ${passive})`, ctx.settleMs, 1_000, async () => {
      const startedAt = Date.now();
      const r = await ssh(passive, list, { timeoutMs: 15_000 });
      const slot = parseSbdList(r.stdout).find((s) => s.node === active);
      if (slot && (slot.message === 'reset' || slot.message === 'off')) return { slot, seenAt: Date.now(), text: r.stdout };
      before = startedAt;
      return null;
    });
    transcripts.push(`$ ${list} (on ${passive}, ${((pill.seenAt - pausedAt) / 1000).toFixed(1)} s after the pause)\n${pill.text}`);
    if (pill.slot.from !== passive) throw new Error(`sbd drill: the pill in ${active}'s slot was written by ${pill.slot.from ?? 'nobody'}, not ${passive}`);
    const pillSeconds = (pill.seenAt - pausedAt) / 1000;

    // 2. The takeover: the passive node Primary (read every second on its own: the sampler waits for the
    //    paused node's 8 s timeouts), then with the VIP, and the client reads again.
    const promotedAt = await waitFor(`${passive} Primary`, ctx.settleMs, 1_000, async () => ((await drbdState(passive))?.role === 'Primary' ? Date.now() : null));
    await waitFor(`${passive} holds the VIP`, ctx.settleMs, 2_000, async () => {
      const ip = await ssh(passive, 'ip -j addr', { timeoutMs: 15_000, mux: false });
      return ip.code === 0 && hasAddress(ip.stdout, ctx.vip) ? true : null;
    });
    const readAt = await waitFor('a read through the VIP after the takeover', ctx.settleMs, 500, async () => firstReadAfter(w, pausedAt));
    const failoverSeconds = (readAt - pausedAt) / 1000;
    // No promotion before msgwait had passed since the pill: the read that first saw the peer Primary
    // ended (promotedAt) after the promotion, and the pill was written after `before`. Correct behaviour
    // cannot fail this bound; a peer that promoted without waiting for the fence does.
    const promoteSeconds = (promotedAt - pausedAt) / 1000;
    if (promotedAt - before < ctx.msgwaitS * 1000) {
      throw new Error(`sbd drill: ${passive} was Primary ${((promotedAt - before) / 1000).toFixed(1)} s after the pill at most, before msgwait (${ctx.msgwaitS} s) had passed`);
    }

    // 3. Pacemaker's own record: the fence of the paused node succeeded.
    await expectFenceSucceeded('sbd drill', passive, active, transcripts);

    // 4. The "fenced" VM is untouched: still paused, the same QEMU process. SBD's fence is complete
    //    without anything having been done to it.
    const still = await qemuMonitor(active, 'info status');
    if (!/paused/.test(still) || qemuPid(active) !== pid) throw new Error(`sbd drill: ${active} should still be paused in QEMU PID ${pid}: ${still}, PID ${qemuPid(active)}`);

    // 5. Resumed, it resets itself: a new boot id in the same QEMU process. Until then it must not be
    //    Primary connected to a Primary peer (a stale "Connected" to a Secondary peer is its frozen view).
    const resumedAt = Date.now();
    const cont = await qemuMonitor(active, 'cont');
    resumed = true;
    if (cont !== '') throw new Error(`sbd drill: QEMU monitor cont on ${active}: ${cont}`);
    const staleAnswers: string[] = [];
    const resetAt = await waitFor(`${active} reset after the resume (a new boot id)`, ctx.settleMs, 1_000, async () => {
      const r = await ssh(active, `${bootIdCommand}; cat /proc/drbd`, { timeoutMs: 8_000, mux: false });
      if (r.code !== 0) return null;
      const id = r.stdout.split('\n')[0]!.trim();
      if (id !== bootBefore) return Date.now();
      const s = parseProcDrbd84(r.stdout)[0];
      staleAnswers.push(`${((Date.now() - resumedAt) / 1000).toFixed(1)} s after the resume: ${s ? `${s.role}/${s.peerRole}, ${s.connection}` : 'no DRBD resource'}`);
      if (s && s.role === 'Primary' && s.peerRole === 'Primary' && s.connection === 'Connected') throw new Error(`sbd drill: ${active} resumed and connected as Primary to a Primary ${passive} without resetting`);
      return null;
    });
    const resetSeconds = (resetAt - resumedAt) / 1000;
    if (qemuPid(active) !== pid) throw new Error(`sbd drill: ${active}'s QEMU changed (PID ${pid} -> ${qemuPid(active)}): the reset must be the guest's own`);
    transcripts.push(`${active} resumed; before its reset it answered ${staleAnswers.length} time(s)${staleAnswers.length ? `: ${staleAnswers.join('; ')}` : ''}`);

    // 6. It rejoins and resyncs as Secondary; its slot is read again (sbd clears it at start with
    //    SBD_STARTMODE=always: recorded, not asserted).
    await waitFor(`${active} Secondary, Connected, UpToDate again`, ctx.settleMs, 3_000, async () => {
      const r = await ssh(active, 'cat /proc/drbd', { timeoutMs: 15_000, mux: false });
      const s = r.code === 0 ? parseProcDrbd84(r.stdout)[0] : undefined;
      return s && s.role === 'Secondary' && s.connection === 'Connected' && s.disk === 'UpToDate' && s.peerDisk === 'UpToDate' ? true : null;
    });
    const rejoinSeconds = (Date.now() - pausedAt) / 1000;
    const after = await ssh(passive, list, { timeoutMs: 15_000, mux: false });
    transcripts.push(`$ ${list} (on ${passive}, after the rejoin, exit ${after.code})\n${after.stdout}${after.stderr}`);
    await sleep(4_000); // a few samples of the rejoined state
    await sampler.stop();

    // 7. DRBD's own states: never two Primaries connected to each other; the roles before and after.
    const fmt = (s: DrbdSample | null) => (s ? `${s.role}/${s.peerRole}/${s.connection}` : 'no answer');
    writeFileSync(join(ctx.logDir, 'fence-sbd-roles.txt'), sampler.samples.map((s) => `${new Date(s.at).toISOString()} ${active}=${fmt(s.states[active])} ${passive}=${fmt(s.states[passive])}`).join('\n') + '\n');
    writeFileSync(join(ctx.logDir, 'fence-sbd-transcript.txt'), transcripts.join('\n\n'));
    const both = sampler.samples.filter((s) => s.states[active]?.role === 'Primary' && s.states[passive]?.role === 'Primary');
    const connected = both.filter((s) => s.states[active]!.connection === 'Connected' && s.states[passive]!.connection === 'Connected');
    if (connected.length) throw new Error(`sbd drill: two Primaries Connected at ${connected.map((s) => new Date(s.at).toISOString()).join(', ')} (${join(ctx.logDir, 'fence-sbd-roles.txt')})`);
    const sawBefore = sampler.samples.some((s) => s.at < pausedAt && s.states[active]?.role === 'Primary' && s.states[passive]?.role === 'Secondary');
    const sawAfter = sampler.samples.some((s) => s.states[active]?.role === 'Secondary' && s.states[passive]?.role === 'Primary');
    if (!sawBefore || !sawAfter) throw new Error(`sbd drill: the samples do not show ${active} Primary before and ${passive} Primary after (fence-sbd-roles.txt)`);

    return {
      note:
        `${active} paused; ${passive} wrote the pill ${pillSeconds.toFixed(0)} s after, Primary ${promoteSeconds.toFixed(0)} s after (msgwait ${ctx.msgwaitS} s); ` +
        `resumed, ${active} reset itself in ${resetSeconds.toFixed(0)} s, Secondary again ${rejoinSeconds.toFixed(0)} s after the pause; ` +
        `${sampler.samples.length} samples, ${both.length} with a stale Primary on the resumed node, never two Connected`,
      pillSeconds,
      promoteSeconds,
      failoverSeconds,
      resetSeconds,
      rejoinSeconds,
      transcripts,
    };
  } finally {
    await sampler.stop();
    // Failed before the resume: resume the VM rather than leave the lab with a frozen one.
    if (!resumed && qemuPid(active) === pid) await qemuMonitor(active, 'cont').catch(() => undefined);
  }
}
