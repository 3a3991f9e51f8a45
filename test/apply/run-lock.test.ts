// The run lock for real: flock on this machine through the local runner and through a real sshd, two
// applies' lock-taking against two replayed nodes (the lock program's real outputs), and two
// real `hanfs-wizard apply` processes against the same nodes (the second refuses at once, naming the
// first; the first's lock goes when it is killed with SIGKILL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { acquireRunLocks, holderDescription, runLockPath } from '../../src/apply/run-lock.js';
import { LocalRunner } from '../../src/exec/local-runner.js';
import { SshRunner } from '../../src/exec/ssh-runner.js';
import type { Runner } from '../../src/exec/runner.js';
import { freePort, startSshd, type Sshd } from '../helpers/sshd.js';
import { ReplayRunner, type ReplayManifest } from '../../src/exec/replay-runner.js';
import { RUN_LOCK_SCRIPT } from '../../src/apply/run-lock.js';

const unique = () => `rl${process.pid}x${Math.floor(Math.random() * 1e9)}`;

async function lockCycle(make: () => Runner) {
  const node = unique();
  const a = make();
  const b = make();
  try {
    const first = await acquireRunLocks(new Map([[node, a]]), holderDescription(new Date('2026-12-07T09:00:00Z'), 4242, ['apply', '--answers', 'x y.yaml']));
    expect(first.ok).toBe(true);
    const t0 = Date.now();
    const second = await acquireRunLocks(new Map([[node, b]]), 'second');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(second).toEqual({
      ok: false,
      node,
      heldByOther: true,
      message: `another apply is running on ${node} (host ${hostname()}, PID 4242, started 2026-12-07T09:00:00.000Z, command: hanfs-wizard apply --answers 'x y.yaml'); wait for it to finish, then run apply again`,
    });
    if (first.ok) await first.release();
    const third = await acquireRunLocks(new Map([[node, b]]), 'third');
    expect(third.ok ? 'ok' : third.message).toBe('ok');
    if (third.ok) await third.release();
  } finally {
    await a.close();
    await b.close();
    rmSync(runLockPath(node), { force: true });
    rmSync(`${runLockPath(node)}.owner`, { force: true });
  }
}

describe('run lock through the local runner (real sh and flock here)', () => {
  it('the second holder is refused at once with the first one named; released at the end', async () => {
    await lockCycle(() => new LocalRunner({ label: 'local' }));
  });
});

describe('run lock against the replay runner: two applies on two replayed nodes', () => {
  // The nodes answer with the real outputs of the lock's program (test/fixtures/run-lock/SOURCE.md): to
  // the first apply's holder line "locked" then "held" (held open, as the live program never ends), to the
  // second apply's "held-by: <the first>" with exit 75, and the release's flock wait with exit 0.
  const FIRST = holderDescription(new Date('2026-12-07T12:00:00Z'), 4242, ['apply', '--answers', 'answers.yaml', '--yes'], 'admin1');
  const SECOND = holderDescription(new Date('2026-12-07T12:00:05Z'), 4343, ['apply', '--answers', 'answers.yaml'], 'admin2');
  const node = (name: string) => {
    const manifest: ReplayManifest = {
      node: name,
      commands: [
        { argv: ['sh', '-c', RUN_LOCK_SCRIPT, '--', runLockPath(name), FIRST], stdout: 'run-lock.first-holder.stdout.txt', stream: { intervalMs: 20, holdOpen: true } },
        { argv: ['sh', '-c', RUN_LOCK_SCRIPT, '--', runLockPath(name), SECOND], stdout: 'run-lock.second-refused.stdout.txt', exitCode: 75 },
        { argv: ['flock', '-w', '10', runLockPath(name), 'true'] },
      ],
    };
    return new ReplayRunner({ dir: join(import.meta.dirname, '../fixtures/run-lock', name), label: name, manifest });
  };

  it('the second apply is refused at once naming the first; the first holds both nodes until it releases them', async () => {
    const a = node('replay-lock-a');
    const b = node('replay-lock-b');
    const nodes = () => new Map<string, Runner>([['replay-lock-a', a], ['replay-lock-b', b]]);
    const first = await acquireRunLocks(nodes(), FIRST);
    expect(first.ok).toBe(true);
    const second = await acquireRunLocks(nodes(), SECOND);
    // Both nodes answer "held-by" at once: the refusal names whichever answered first.
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.heldByOther).toBe(true);
    expect(second.message).toBe(`another apply is running on ${second.node} (host admin1, PID 4242, started 2026-12-07T12:00:00.000Z, command: hanfs-wizard apply --answers answers.yaml --yes); wait for it to finish, then run apply again`);
    expect(['replay-lock-a', 'replay-lock-b']).toContain(second.node);
    // The refused apply took nothing: it waited for no release on either node.
    expect([...a.history, ...b.history].filter((x) => x[0] === 'flock')).toEqual([]);
    if (first.ok) await first.release();
    // Released: the holders' streams ended, and each node was asked until its lock was free.
    expect(a.history.filter((x) => x[0] === 'flock')).toEqual([['flock', '-w', '10', runLockPath('replay-lock-a'), 'true']]);
    expect(b.history.filter((x) => x[0] === 'flock')).toEqual([['flock', '-w', '10', runLockPath('replay-lock-b'), 'true']]);
  });
});

describe('run lock over a real sshd, and two real applies', () => {
  let sshd: Sshd;
  let work: string;
  let knownHosts: string;
  let silent: Server;
  let silentPort: number;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    sshd = await startSshd();
    work = mkdtempSync(join(tmpdir(), 'run-lock-'));
    knownHosts = join(work, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ssh-ed25519 ${sshd.hostKeyBlob.toString('base64')}\n`);
    // A node that accepts the TCP connection and never speaks SSH: an apply waits on it (up to its
    // 15 s handshake timeout) while it holds the other node's lock.
    silentPort = await freePort();
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(silentPort, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    silent?.close();
    await sshd?.stop();
  });

  const ssh = () => new SshRunner({ host: '127.0.0.1', port: sshd.port, username: sshd.user, identityFile: sshd.clientKey, agentSocket: null, defaultKeyFiles: [], knownHostsPath: knownHosts });

  it('the same cycle over SSH', async () => {
    await lockCycle(ssh);
  });

  it('a second apply refuses at once naming the first (host, PID, start, command); SIGKILL of the first frees the lock', async () => {
    const node1 = unique();
    const answers = join(work, 'a.yaml');
    writeFileSync(
      answers,
      readFileSync('test/fixtures/apply/demo-answers.yaml', 'utf8')
        .replace(/name: node1/g, `name: ${node1}`)
        .replace(/ssh: root@192\.168\.100\.11/, `ssh: ${sshd.user}@127.0.0.1:${sshd.port}`)
        .replace(/ssh: root@192\.168\.100\.12/, `ssh: ${sshd.user}@127.0.0.1:${silentPort}`),
    );
    const args = ['dist/cli.js', 'apply', '--answers', answers, '--yes', '--accept-no-fencing', '--known-hosts', knownHosts, '--identity', sshd.clientKey, '--json'];
    const first = spawn(process.execPath, args, { stdio: 'ignore' });
    try {
      // The first apply holds node1's lock once its owner line names it.
      const owner = `${runLockPath(node1)}.owner`;
      const deadline = Date.now() + 10_000;
      let who = '';
      while (Date.now() < deadline) {
        try {
          who = readFileSync(owner, 'utf8');
          if (who.includes(`PID ${first.pid}`)) break;
        } catch {
          /* not yet */
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(who).toContain(`PID ${first.pid}`);
      const t0 = Date.now();
      const second = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(second.status).toBe(3);
      expect(second.stderr).toMatch(new RegExp(`^error: run lock: another apply is running on ${node1} \\(host ${hostname()}, PID ${first.pid}, started \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, command: hanfs-wizard apply --answers ${answers.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} --yes`, 'm'));
      // Killed without a chance to clean up: the holder's next write fails and the kernel drops the lock.
      first.kill('SIGKILL');
      const runner = ssh();
      let got: Awaited<ReturnType<typeof acquireRunLocks>> | null = null;
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        got = await acquireRunLocks(new Map([[node1, runner]]), 'after the kill');
        if (got.ok) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(got?.ok).toBe(true);
      if (got?.ok) await got.release();
      await runner.close();
    } finally {
      first.kill('SIGKILL');
      rmSync(runLockPath(node1), { force: true });
      rmSync(`${runLockPath(node1)}.owner`, { force: true });
    }
  }, 60_000);
});
