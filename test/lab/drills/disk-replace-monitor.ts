// Drill (issues 30 and 31): the disk replacement started from the LIVE MONITOR's key, for real. The
// subcommand's drill (disk-replace.ts) proved the action; this one proves the admin's other way in: the
// monitor runs in a real terminal (tmux on the host, 200x60), a RAID1 member of the active node fails under
// client load, the monitor's panel shows the array DEGRADED, D opens the action's overlay, the blank disk
// hot-plugged into the VM is chosen from the list the action's read offers, its name is typed as the
// confirmation, and the one engine runs the plan (fail/remove/add, the rebuild's progress in the overlay,
// mdadm.conf) until the array is clean; after Enter the panel shows it clean. The screen is kept at each
// phase (<logDir>/disk-replace-monitor-<n>-<phase>.screen.txt). Judged on the node itself: mdadm --detail
// clean with the new disk active, DRBD Primary on the same node at every sample (the service never moved),
// every acknowledged client write there, and the journal the monitor named.
//
// It runs after disk-replace.ts, which filled the first hot-plug port (hanfs-hp) with its disk: this one
// fails the member that is now in the array's second slot (that drill's disk; vdc when run alone) and
// plugs a blank disk into the second port (start-node.sh's hanfs-hp2), or into the first one while that is
// still free (a lab booted before hanfs-hp2 existed, this drill run alone).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, sshOk, waitFor, type NodeName } from '../lab.js';
import { parseProcDrbd84 } from '../truth.js';
import { verifyWrites } from '../workload.js';
import { BAY_1, BAY_2, bayInUse, hotplugBlankDisk, type HotplugBay } from './disk-replace.js';
import { actionOutcome, asksReplacement, confirmWords, journalOfMonitorAdd, monitorReady, offeredDisks, overlayRebuildPercent, panelRaid, typedSoFar } from './monitor-screen.js';
import type { DrillOutcome, RecoveryDrillContext } from './recovery-context.js';

/** The monitor's poll interval in this drill (its default): the failure must be on screen within it (plus the read). */
const INTERVAL_S = 2;
/** From mdadm --fail to DEGRADED on the screen, at most: one interval, the poll's own SSH round trip under TCG, slack. */
const SEEN_WITHIN_MS = 30_000;
/**
 * md's rebuild ceiling during the drill (KiB/s; restored after). A 512 MiB member can be rebuilt between
 * two of the engine's 2 s mdstat reads, and then the rebuild is never on screen; a real disk's rebuild
 * takes hours. 10 MiB/s makes this one last about a minute.
 */
const REBUILD_KIBS = 10_000;

const socket = `hanfs-lab-diskmon-${process.pid}`;
const SESSION = 'dm';
const tmux = (...args: string[]) => spawnSync('tmux', ['-u', '-L', socket, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
// -J: a line the terminal wrapped comes back whole (the outcome line carries the journal's path).
const screen = () => tmux('capture-pane', '-p', '-J', '-t', SESSION).stdout;
const keys = (...k: string[]) => tmux('send-keys', '-t', SESSION, ...k);
const typed = (text: string) => tmux('send-keys', '-t', SESSION, '-l', text);
/** One argument for the shell tmux starts the command with. */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Which port is still free: hanfs-hp unless a disk (the first drill's) was plugged into it, else hanfs-hp2. */
async function freeBay(node: NodeName): Promise<HotplugBay> {
  return (await bayInUse(node, BAY_1)) ? BAY_2 : BAY_1;
}

/** The array's member in RaidDevice slot 1 that is active sync (mdadm --detail's device table), as /dev/vdX. */
function secondMember(detail: string): string | null {
  for (const l of detail.split('\n')) {
    const m = /^\s+\d+\s+\d+\s+\d+\s+1\s+active sync\s+(\/dev\/\S+)/.exec(l);
    if (m) return m[1]!;
  }
  return null;
}

async function drbdRole(ctx: RecoveryDrillContext): Promise<string> {
  return parseProcDrbd84(await sshOk(ctx.active, 'cat /proc/drbd', 60_000))[0]?.role ?? 'none';
}

export async function diskReplaceMonitorDrill(ctx: RecoveryDrillContext): Promise<DrillOutcome> {
  const { active, passive, raidDevice: md } = ctx;
  const nodes = [active, passive];
  const array = md.replace(/^\/dev\//, '');
  const transcripts: string[] = [];
  let phase = 0;
  const keep = (name: string, text: string) => {
    phase++;
    writeFileSync(join(ctx.logDir, `disk-replace-monitor-${phase}-${name}.screen.txt`), text);
    transcripts.push(`--- screen ${phase}: ${name}\n${text}`);
  };
  const until = async (what: string, timeoutMs: number, pred: (s: string) => boolean): Promise<string> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = screen();
      if (pred(s)) return s;
      if (/MONITOR-EXIT=\d+/.test(s)) throw new Error(`disk replace from the monitor: the monitor ended while waiting for ${what}; screen:\n${s}`);
      if (Date.now() > end) {
        keep(`timeout-${what.replace(/\W+/g, '-')}`, s);
        throw new Error(`disk replace from the monitor: timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; screen:\n${s}`);
      }
      await sleep(250);
    }
  };

  await waitFor('client writes flowing', 60_000, 500, async () => (ctx.workload.acked.size >= 3 ? true : null));
  const detailBefore = await sshOk(active, `mdadm --detail ${md}`);
  const failing = secondMember(detailBefore);
  if (failing === null || /degraded|recovering/.test(detailBefore)) throw new Error(`disk replace from the monitor: ${md} on ${active} is not clean with a member in slot 1 before the drill:\n${detailBefore}`);
  const bay = await freeBay(active);
  const newById = await hotplugBlankDisk(active, bay);
  const newDev = (await sshOk(active, `readlink -f ${newById}`)).trim();

  // The service's place, sampled throughout (every 3 s until the drill ends): it must never move.
  const roles: string[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      roles.push(await drbdRole(ctx).catch((e: unknown) => `unreadable (${e instanceof Error ? e.message : String(e)})`));
      await sleep(3_000);
    }
  })();

  const speed = (await sshOk(active, 'cat /proc/sys/dev/raid/speed_limit_max')).trim();
  const env = Object.entries(ctx.env).filter(([k, v]) => v !== undefined && /^(HOME|PATH|LANG|LC_ALL)$/.test(k)).map(([k, v]) => `${k}=${sq(v!)}`);
  // The monitor's actions get its --answers (as `disk replace --answers` does): the new disk is recorded in
  // it. A copy, so the harness's own file stays for later drills; the subcommand drill's updated copy when
  // it ran first (it names the disk that drill added, the member failed here).
  const answersCopy = join(ctx.logDir, 'disk-replace-monitor-answers.yaml');
  const earlier = join(ctx.logDir, 'disk-replace-answers.yaml');
  copyFileSync(existsSync(earlier) ? earlier : ctx.answers, answersCopy);
  const answersBefore = readFileSync(answersCopy, 'utf8');
  const cmd = `env ${env.join(' ')} NO_COLOR=1 node ${sq(ctx.cli)} monitor --answers ${sq(answersCopy)} --interval ${INTERVAL_S}; echo MONITOR-EXIT=$?; sleep 600`;
  const started = tmux('new-session', '-d', '-s', SESSION, '-x', '200', '-y', '60', cmd);
  if (started.status !== 0) throw new Error(`tmux: ${started.stderr}`);
  try {
    await sshOk(active, `echo ${REBUILD_KIBS} > /proc/sys/dev/raid/speed_limit_max`);
    keep('watching', await until(`${active}'s ${array} clean on the monitor`, 120_000, (s) => monitorReady(s) && panelRaid(s, active, nodes, array) === 'clean'));

    // The failure, under load: the panel must show it within the poll interval (and the read's time).
    const failedAt = Date.now();
    await sshOk(active, `mdadm --manage ${md} --fail ${failing}`);
    const degraded = await until(`${active}'s ${array} DEGRADED on the monitor`, SEEN_WITHIN_MS, (s) => panelRaid(s, active, nodes, array) === 'degraded');
    const seenS = (Date.now() - failedAt) / 1000;
    keep('degraded', degraded);
    if (panelRaid(degraded, passive, nodes, array) !== 'clean') throw new Error(`the monitor shows ${passive}'s array as ${panelRaid(degraded, passive, nodes, array)}, not clean:\n${degraded}`);

    // D: the overlay reads the node's disks and offers the blank one (the only eligible disk).
    keys('D');
    const offer = await until('the replacement disk offered', 300_000, (s) => asksReplacement(s) || /error: |refused: /.test(s));
    keep('choose', offer);
    if (!asksReplacement(offer)) throw new Error(`D did not offer a disk:\n${offer}`);
    const offered = offeredDisks(offer);
    const idx = offered.findIndex((o) => o.path === newDev);
    if (idx < 0) throw new Error(`the hot-plugged ${newDev} (${newById}) is not among the disks offered: ${offered.map((o) => o.path).join(', ') || 'none'}\n${offer}`);
    // One Down at a time, each seen to move the cursor (keys sent together arrive as one chunk).
    const cursorAt = (s: string) => offeredDisks(s).find((o) => o.cursor)?.path ?? null;
    for (let moves = 0; cursorAt(screen()) !== newDev; moves++) {
      if (moves > offered.length) throw new Error(`the cursor never reached ${newDev}:\n${screen()}`);
      const from = cursorAt(screen());
      keys('Down');
      await until('the cursor to move', 10_000, (s) => cursorAt(s) !== from);
    }
    keys('Enter');

    // The plan, then the typed confirmation: the new disk's name.
    const plan = await until('the typed confirmation', 300_000, (s) => confirmWords(s) !== null || /error: |refused: /.test(s));
    keep('plan', plan);
    const words = confirmWords(plan);
    if (words !== newDev) throw new Error(`the confirmation asks for "${words}", not the chosen disk ${newDev}:\n${plan}`);
    typed(words);
    await until('the typed words on screen', 30_000, (s) => typedSoFar(s) === words);
    keys('Enter');

    // The engine runs: the rebuild's progress in the overlay, then the outcome with the journal.
    const rebuilding = await until('the rebuild on the monitor', 300_000, (s) => overlayRebuildPercent(s, active, md) !== null || actionOutcome(s) !== null);
    keep('rebuilding', rebuilding);
    if (overlayRebuildPercent(rebuilding, active, md) === null) throw new Error(`the run ended before the monitor showed the rebuild:\n${rebuilding}`);
    const finished = await until('the outcome', 3_600_000, (s) => actionOutcome(s) !== null);
    keep('finished', finished);
    const outcome = actionOutcome(finished)!;
    if (outcome.kind !== 'done') throw new Error(`disk replace from the monitor did not finish: ${outcome.line}\n${finished}`);
    if (outcome.journal === null) throw new Error(`the outcome names no journal: ${outcome.line}`);
    // Enter closes the overlay: the panels come back, the array clean (the monitor polled at the end).
    keys('Enter');
    const clean = await until(`${active}'s ${array} clean on the monitor again`, 60_000, (s) => monitorReady(s) && panelRaid(s, active, nodes, array) === 'clean');
    keep('clean', clean);
    keys('q');
    await until('q to quit', 60_000, (s) => /MONITOR-EXIT=\d+/.test(s));

    // Read back on the node itself: clean, the new disk active sync, the failed one out.
    const detail = await sshOk(active, `mdadm --detail ${md}`);
    transcripts.push(`$ mdadm --detail ${md} (on ${active})\n${detail}`);
    if (/degraded|recovering|resyncing/.test(detail) || !new RegExp(`active sync\\s+${newDev}\\b`).test(detail) || new RegExp(`active sync\\s+${failing}\\b`).test(detail)) {
      throw new Error(`the array after disk replace from the monitor:\n${detail}`);
    }
    sampling = false;
    await sampler;
    const moved = roles.filter((r) => r !== 'Primary');
    if (roles.length < 3 || moved.length) throw new Error(`the service moved: ${active}'s DRBD role samples were ${roles.join(', ')}`);
    const { verified, bad } = await verifyWrites(ctx.workload.node, ctx.workload.acked);
    if (bad.length) throw new Error(`disk replace from the monitor: acknowledged writes lost: ${bad.slice(0, 10).join(', ')}`);
    if (!existsSync(outcome.journal)) throw new Error(`the journal the monitor named is not there: ${outcome.journal}`);
    const journal = readFileSync(outcome.journal, 'utf8');
    copyFileSync(outcome.journal, join(ctx.logDir, 'disk-replace-monitor.journal.log'));
    if (!journalOfMonitorAdd(journal, md, newDev)) {
      throw new Error(`the journal ${outcome.journal} does not record the monitor's run adding ${newDev}`);
    }
    const answersAfter = readFileSync(answersCopy, 'utf8');
    if (answersAfter === answersBefore || !answersAfter.includes(newById)) throw new Error(`the monitor's answers file (${answersCopy}) does not record ${newById}:\n${answersAfter}`);
    return {
      note: `from the monitor: ${failing} failed on ${active}, DEGRADED on screen after ${seenS.toFixed(1)} s, ${newDev} (${bay.bus}) chosen and typed, rebuilt, clean; DRBD Primary on ${active} in all ${roles.length} samples; ${verified} writes kept`,
      transcripts,
    };
  } finally {
    sampling = false;
    await sampler.catch(() => undefined);
    await sshOk(active, `echo ${speed} > /proc/sys/dev/raid/speed_limit_max`).catch(() => undefined);
    tmux('kill-server');
  }
}
