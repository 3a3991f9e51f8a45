// Lab drill (issue 30, NFSv3 locks): an NFSv3 client holds a lock through the virtual IP while
// `hanfs-wizard switchover` moves the service. NFSv3 locks live in the server's lockd memory only; after a
// move the new server knows them only if its sm-notify tells every client (from the VIP, with the list
// statd kept on the replicated filesystem) and the clients reclaim them in the grace period. If nobody is
// told, the lock is silently gone: a second client gets it while the first still believes it holds it.
//
// What it asserts (docs/ha-tuning.md, "NFSv3 locks after a move"):
// - before the move, the old Primary's statd monitors the holder (its name in statd's sm/ directory);
// - after it, on the new Primary: sm-notify ran with hosts to notify and did not fail to bind (journal,
//   `-t sm-notify`); the holder left sm.bak/ (notified: sm-notify removes a host once it answered) and is in
//   sm/ again (its lockd came back to the new server, which monitors it; a reclaim refused after the grace
//   period would do that too, so this is not yet the proof);
// - a second client's non-blocking attempt on the same file is refused while the holder still holds it
//   (exit 75 = EWOULDBLOCK), and succeeds once the holder released it (so the refusal was the lock, not a
//   broken lock service).
//
// The lab has no third machine: the holder is the passive node, and the switchover moves the service to
// it, so after the move the holder is its own server (through the VIP, with one statd for both roles).
// The second client is the old Primary, a genuinely remote client of the new one. A holder on the active
// node cannot be used: the nfsserver agent stops rpc.statd when the service leaves, so that client would
// never hear the notification.
import { peerOf, ssh, sshOk, waitFor, type NodeName } from '../lab.js';
import { action, activeNode, crmState, type OpsDrillContext } from './ops-common.js';

/** Its own mount point (NFSv3, beside the workload's NFSv4.2 mount at /mnt/hanfs-e2e). */
export const NFS3_MOUNT = '/mnt/hanfs-nfs3';
const LOCK_FILE = `${NFS3_MOUNT}/e2e-nfs3/lock`;
const HELD = '/run/hanfs-nfs3-held';
/** util-linux flock(1) -E: the exit code for "the lock is held by someone else" (EWOULDBLOCK). */
const CONFLICT = 75;
/** statd's directory as the node's nfs.conf says (hanfs.conf sets it; Debian's default is /var/lib/nfs). */
const STATD = 'd=$(nfsconf --get statd state-directory-path 2>/dev/null || echo /var/lib/nfs)';

export interface LockAttempt {
  /** flock's exit code: 75 refused (held elsewhere), 0 granted, 124 timed out, other: an error. */
  code: number | null;
  seconds: number;
  stderr: string;
}

export interface Nfs3LocksDrillResult {
  from: NodeName;
  to: NodeName;
  holder: NodeName;
  second: NodeName;
  switchoverExit: number | null;
  switchoverSeconds: number;
  /** statd's monitor list (sm/) on the old Primary before the move. */
  monitoredBefore: string[];
  /** `journalctl -t sm-notify` on the new Primary from the move on. */
  smNotifyJournal: string[];
  /** Seconds from the end of the switchover until the holder was notified and monitored again; null: never. */
  reclaimedAfterSeconds: number | null;
  /** The holder's kernel log lines from lockd since the move ("failed to reclaim lock" when it lost it). */
  holderLockd: string[];
  /** The second client's attempt while the holder holds the lock (75 expected). */
  whileHeld: LockAttempt | null;
  /** The same attempt after the holder released it (0 expected). */
  afterRelease: LockAttempt | null;
  /** Every target missed, one line each: empty when the drill passed. */
  problems: string[];
}

async function mountV3(node: NodeName, vip: string, exportPath: string): Promise<void> {
  // vers=3 with NLM locking (the default `lock`); mount.nfs starts rpc.statd itself (start-statd) when
  // it is not running. hard: I/O waits for the service, as the workload's mount does.
  await sshOk(
    node,
    `mkdir -p ${NFS3_MOUNT} && { mountpoint -q ${NFS3_MOUNT} || ` +
      `mount -t nfs -o vers=3,hard,timeo=20,retrans=3 ${vip}:${exportPath} ${NFS3_MOUNT}; } && mkdir -p ${NFS3_MOUNT}/e2e-nfs3 && touch ${LOCK_FILE}`,
    180_000,
  );
}

/** One non-blocking exclusive lock attempt on the lock file (opened read-write: NFS locks a write lock only on a writable descriptor). */
async function tryLock(node: NodeName, timeoutS: number): Promise<LockAttempt> {
  // During the new server's grace period lockd answers "grace period" and the client waits and retries,
  // even for a non-blocking request: the attempt can take until the grace period ends.
  const r = await ssh(node, `timeout ${timeoutS} sh -c 'exec 9<>"$0"; flock -n -E ${CONFLICT} -x 9' ${LOCK_FILE}`, { timeoutMs: (timeoutS + 60) * 1000 });
  return { code: r.code, seconds: r.seconds, stderr: r.stderr.trim() };
}

async function statdList(node: NodeName, sub: 'sm' | 'sm.bak'): Promise<string[]> {
  const out = await sshOk(node, `${STATD}; ls -1 "$d/${sub}" 2>/dev/null; true`, 60_000);
  return out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** The lock held on the passive node through a switchover to it; a second client on the old Primary. */
export async function nfs3LocksDrill(ctx: OpsDrillContext): Promise<Nfs3LocksDrillResult> {
  const from = activeNode(await crmState());
  if (from === null) throw new Error('NFSv3 locks drill: the service runs nowhere; start from a healthy cluster');
  const to = peerOf(from);
  const holder = to;
  const second = from;
  const problems: string[] = [];
  const result: Nfs3LocksDrillResult = {
    from, to, holder, second, switchoverExit: null, switchoverSeconds: 0, monitoredBefore: [], smNotifyJournal: [],
    reclaimedAfterSeconds: null, holderLockd: [], whileHeld: null, afterRelease: null, problems,
  };
  try {
    await mountV3(holder, ctx.vip, ctx.exportPath);
    // The holder: takes the lock, then writes its pid, then keeps the descriptor (and so the lock) open.
    await sshOk(
      holder,
      `rm -f ${HELD}; setsid sh -c 'exec 9<>"$0"; flock -x 9 || exit 1; echo $$ > ${HELD}; exec sleep 86400' ${LOCK_FILE} </dev/null >/dev/null 2>&1 &`,
      60_000,
    );
    await waitFor(`the lock taken on ${holder} (NFSv3 through the VIP)`, 120_000, 500, async () => ((await ssh(holder, `test -s ${HELD}`)).code === 0 ? true : null));
    // The old Primary's statd monitors the holder (lockd asked it to when the lock was granted).
    result.monitoredBefore = await statdList(from, 'sm');
    if (!result.monitoredBefore.includes(holder)) problems.push(`before the move, statd on ${from} does not monitor ${holder} (sm/: ${result.monitoredBefore.join(', ') || 'empty'})`);

    const since = (await sshOk(to, 'date +%s', 30_000)).trim();
    const r = await action(ctx, ['switchover', '--to', to]);
    result.switchoverExit = r.code;
    result.switchoverSeconds = r.seconds;
    if (r.code !== 0) {
      problems.push(`switchover ${from} -> ${to} exited ${r.code}: ${(r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' | ')}`);
      return result;
    }
    // Notified (gone from sm.bak) and reclaimed (monitored again in sm/, the new lockd's SM_MON for it).
    const t0 = Date.now();
    const reclaimed = await waitFor(`${holder} notified and monitored again by statd on ${to}`, 180_000, 1000, async () => {
      const [bak, sm] = await Promise.all([statdList(to, 'sm.bak'), statdList(to, 'sm')]);
      return !bak.includes(holder) && sm.includes(holder) ? true : null;
    }).catch(() => false);
    result.reclaimedAfterSeconds = reclaimed ? (Date.now() - t0) / 1000 : null;
    if (!reclaimed) {
      problems.push(`after the move, ${holder} was not notified and monitored again on ${to} within 180 s (sm.bak/: ${(await statdList(to, 'sm.bak')).join(', ') || 'empty'}; sm/: ${(await statdList(to, 'sm')).join(', ') || 'empty'})`);
    }
    const journal = await ssh(to, `journalctl -t sm-notify --since @${since} --no-pager -o short-iso`, { timeoutMs: 60_000 });
    result.smNotifyJournal = journal.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('-- '));
    if (!result.smNotifyJournal.some((l) => /Backgrounding to notify hosts/.test(l))) problems.push(`sm-notify on ${to} did not run with hosts to notify after the move (journal -t sm-notify: ${result.smNotifyJournal.length} lines)`);
    const failed = result.smNotifyJournal.filter((l) => /Failed to bind|bindresvport|Unable to notify|unusable/.test(l));
    if (failed.length) problems.push(`sm-notify on ${to}: ${failed.join(' | ')}`);

    const kernel = await ssh(holder, `journalctl -k --since @${since} --no-pager -o short-iso | grep -i lockd; true`, { timeoutMs: 60_000 });
    result.holderLockd = kernel.stdout.split('\n').filter((l) => l.trim() !== '');
    if ((await ssh(holder, `kill -0 "$(cat ${HELD})"`)).code !== 0) problems.push(`the holder on ${holder} died during the move`);
    await mountV3(second, ctx.vip, ctx.exportPath);
    result.whileHeld = await tryLock(second, 300);
    if (result.whileHeld.code === 0) problems.push(`the lock was lost: a second client on ${second} got it while the holder on ${holder} still held it`);
    else if (result.whileHeld.code !== CONFLICT) problems.push(`the second client's attempt on ${second} ended with exit ${result.whileHeld.code} (${result.whileHeld.stderr || 'no message'}), not "held elsewhere" (${CONFLICT})`);

    await sshOk(holder, `kill "$(cat ${HELD})"; rm -f ${HELD}`, 60_000);
    result.afterRelease = await tryLock(second, 300);
    if (result.afterRelease.code !== 0) problems.push(`after the holder released it, the second client on ${second} still could not lock (exit ${result.afterRelease.code}: ${result.afterRelease.stderr || 'no message'})`);
  } finally {
    await ssh(holder, `test -s ${HELD} && kill "$(cat ${HELD})"; rm -f ${HELD}; true`).catch(() => undefined);
    for (const n of [holder, second]) await ssh(n, `if mountpoint -q ${NFS3_MOUNT}; then umount -f -l ${NFS3_MOUNT}; fi; true`, { timeoutMs: 60_000 }).catch(() => undefined);
  }
  return result;
}
