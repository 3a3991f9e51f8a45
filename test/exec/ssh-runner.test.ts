// The SSH runner against a REAL sshd on loopback (test/helpers/sshd.ts). No mock anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, copyFileSync, chmodSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SshRunner, type SshRunnerOptions } from '../../src/exec/ssh-runner.js';
import { succeeded } from '../../src/exec/runner.js';
import { sshKeygen, startAgent, startSshd, type Sshd } from '../helpers/sshd.js';

let sshd: Sshd;
let work: string;

beforeAll(async () => {
  sshd = await startSshd();
  work = mkdtempSync(join(tmpdir(), 'hanfs-ssh-test-'));
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

let n = 0;
/** A known_hosts file that already trusts the test server, unless told otherwise. */
function knownHosts(content?: string): string {
  const file = join(work, `known_hosts_${n++}`);
  writeFileSync(file, content ?? `[127.0.0.1]:${sshd.port} ssh-ed25519 ${sshd.hostKeyBlob.toString('base64')}\n`);
  return file;
}

function runner(extra: Partial<SshRunnerOptions> = {}): SshRunner {
  return new SshRunner({
    host: '127.0.0.1',
    port: sshd.port,
    username: sshd.user,
    identityFile: sshd.clientKey,
    agentSocket: null,
    defaultKeyFiles: [],
    knownHostsPath: knownHosts(),
    ...extra,
  });
}

describe('SshRunner against a real sshd', () => {
  it('logs in with a key file, returns stdout, stderr and exit codes, and reuses one connection', async () => {
    const r = runner();
    const a = await r.run(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(a.exitCode).toBe(3);
    expect(a.stdout).toBe('out\n');
    expect(a.stderr).toBe('err\n');
    expect(a.error).toBeUndefined();
    const b = await r.run(['uname', '-n']);
    expect(succeeded(b)).toBe(true);
    const c = await Promise.all([1, 2, 3, 4, 5].map((i) => r.run(['echo', String(i)])));
    expect(c.map((x) => x.stdout)).toEqual(['1\n', '2\n', '3\n', '4\n', '5\n']);
    expect(r.connectCount).toBe(1);
    await r.close();
  });

  it('logs in through a real ssh-agent holding the key', async () => {
    const agent = startAgent(sshd.clientKey);
    try {
      const r = runner({ identityFile: undefined, agentSocket: agent.socket });
      const res = await r.run(['echo', 'via agent']);
      expect(res.stdout).toBe('via agent\n');
      await r.close();
    } finally {
      agent.stop();
    }
  });

  it('reports a refused login clearly', async () => {
    const other = join(work, 'not_authorized');
    sshKeygen(other);
    const r = runner({ identityFile: other });
    const res = await r.run(['true']);
    expect(res.exitCode).toBeNull();
    expect(res.error).toMatch(/login refused for user/);
    await r.close();
  });

  it('refuses an unknown host, then accepts it by its fingerprint and remembers it', async () => {
    const kh = knownHosts('');
    const refused = runner({ knownHostsPath: kh });
    const res = await refused.run(['true']);
    expect(res.exitCode).toBeNull();
    expect(res.error).toContain('unknown host key');
    expect(res.error).toContain(sshd.hostFingerprint);
    await refused.close();

    const wrong = runner({ knownHostsPath: kh, expectedFingerprint: 'SHA256:' + 'A'.repeat(43) });
    expect((await wrong.run(['true'])).error).toMatch(/not the expected/);
    await wrong.close();

    const accepted = runner({ knownHostsPath: kh, expectedFingerprint: sshd.hostFingerprint });
    expect(succeeded(await accepted.run(['true']))).toBe(true);
    await accepted.close();
    expect(readFileSync(kh, 'utf8')).toContain(`[127.0.0.1]:${sshd.port} ssh-ed25519 ${sshd.hostKeyBlob.toString('base64')}`);

    // Now known: no fingerprint needed any more.
    const again = runner({ knownHostsPath: kh });
    expect(succeeded(await again.run(['true']))).toBe(true);
    await again.close();
  });

  it('asks confirmHostKey with the SHA256 fingerprint for an unknown host', async () => {
    const kh = knownHosts('');
    const asked: string[] = [];
    const no = runner({ knownHostsPath: kh, confirmHostKey: async (p) => (asked.push(p.fingerprint), false) });
    expect((await no.run(['true'])).error).toMatch(/not accepted/);
    await no.close();
    expect(existsSync(kh) ? readFileSync(kh, 'utf8') : '').toBe('');
    const yes = runner({ knownHostsPath: kh, confirmHostKey: async (p) => (asked.push(p.fingerprint), true) });
    expect(succeeded(await yes.run(['true']))).toBe(true);
    await yes.close();
    expect(asked).toEqual([sshd.hostFingerprint, sshd.hostFingerprint]);
  });

  it('warns as OpenSSH does when known_hosts holds a key of another type for the host', async () => {
    const other = join(work, 'other_type_key');
    const { blob, fingerprint } = sshKeygen(other, 'ecdsa');
    const kh = knownHosts(`[127.0.0.1]:${sshd.port} ecdsa-sha2-nistp256 ${blob.toString('base64')}\n`);
    const refused = runner({ knownHostsPath: kh });
    const res = await refused.run(['true']);
    await refused.close();
    expect(res.exitCode).toBeNull();
    expect(res.error).toContain(`WARNING: the authenticity of host '[127.0.0.1]:${sshd.port}' can't be established but keys of different type are already known for this host: ecdsa-sha2-nistp256 key ${fingerprint} (${kh}:1)`);
    expect(res.error).toContain(`unknown host key ssh-ed25519 ${sshd.hostFingerprint}`);
    // The interactive question carries the same warning.
    const asked: (string | undefined)[] = [];
    const no = runner({ knownHostsPath: kh, confirmHostKey: async (p) => (asked.push(p.otherKeysWarning), false) });
    await no.run(['true']);
    await no.close();
    expect(asked[0]).toContain(`ecdsa-sha2-nistp256 key ${fingerprint}`);
    // A host never seen gets no such warning.
    const fresh: (string | undefined)[] = [];
    const first = runner({ knownHostsPath: knownHosts(''), confirmHostKey: async (p) => (fresh.push(p.otherKeysWarning), false) });
    await first.run(['true']);
    await first.close();
    expect(fresh).toEqual([undefined]);
  });

  it('an unknown host key refusal gives the advice the caller names instead of --host-key', async () => {
    const r = runner({ knownHostsPath: knownHosts(''), unknownHostKeyAdvice: (fp) => `trust ${fp} with ssh first` });
    const res = await r.run(['true']);
    await r.close();
    expect(res.error).toContain(`and trust ${sshd.hostFingerprint} with ssh first`);
    expect(res.error).not.toContain('--host-key');
  });

  it('refuses a CHANGED host key, even with a matching --host-key or a yes', async () => {
    const other = join(work, 'other_host_key');
    const { blob } = sshKeygen(other);
    const kh = knownHosts(`[127.0.0.1]:${sshd.port} ssh-ed25519 ${blob.toString('base64')}\n`);
    const r = runner({ knownHostsPath: kh, expectedFingerprint: sshd.hostFingerprint, confirmHostKey: async () => true });
    const res = await r.run(['true']);
    expect(res.exitCode).toBeNull();
    expect(res.error).toContain('HOST KEY CHANGED');
    expect(res.error).toContain(sshd.hostFingerprint);
    expect(res.error).toContain('ssh-keygen -R');
    await r.close();
  });

  it('matches a hashed known_hosts entry (ssh-keygen -H)', async () => {
    const kh = knownHosts();
    execHash(kh);
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    const r = runner({ knownHostsPath: kh });
    expect(succeeded(await r.run(['true']))).toBe(true);
    await r.close();
  });

  it('delivers arguments with spaces, quotes, $(...), backticks, globs and newlines intact', async () => {
    const r = runner();
    const args = ['a b', "it's", '"dq"', '$(touch /tmp/hanfs-pwned)', '`id`', '*', 'line1\nline2', '', '-n', '\\', '$HOME', ';', '|', '&&'];
    const res = await r.run(['printf', '%s\\0', ...args]);
    expect(res.exitCode).toBe(0);
    expect(res.stdout.split('\0').slice(0, -1)).toEqual(args);
    expect(existsSync('/tmp/hanfs-pwned')).toBe(false);
    await r.close();
  });

  it('runMany: one session, each command with its own stdout, stderr, exit code, bytes intact', async () => {
    const r = runner();
    const args = ["it's", '$(id)', 'é€😀', 'a\nb'];
    const res = await r.runMany([
      ['printf', '%s\\0', ...args],
      ['sh', '-c', 'echo to-err >&2; exit 5'],
      ['hanfs-no-such-program'],
      ['printf', 'no newline at end'],
      ['head', '-c', '100000', '/dev/zero'],
    ]);
    expect(res[0]!.stdout.split('\0').slice(0, -1)).toEqual(args);
    expect(res[1]).toMatchObject({ exitCode: 5, stdout: '', stderr: 'to-err\n' });
    expect(res[2]!.exitCode).toBe(127);
    expect(res[2]!.stderr).toMatch(/not found/);
    expect(res[3]!.stdout).toBe('no newline at end');
    expect(res[4]!.stdout.length).toBe(100000);
    expect(r.connectCount).toBe(1);
    await r.close();
  });

  it('runMany: a timeout kills what still runs and keeps what had ended; its temp dir does not stay on the node', async () => {
    const r = runner();
    // The first command tells where the batch keeps its outputs (the test's sshd is this machine).
    const where = join(work, 'batch-dir');
    const t0 = Date.now();
    const res = await r.runMany([['sh', '-c', 'pwd > "$1"; echo ended', 'x', where], ['sleep', '29.7'], ['echo', 'also ended']], { timeoutMs: 1500 });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(res.map((x) => x.timedOut)).toEqual([false, true, false]);
    expect(res[0]).toMatchObject({ exitCode: 0, stdout: 'ended\n' });
    expect(res[1]).toMatchObject({ exitCode: null, stdout: '' });
    expect(res[2]).toMatchObject({ exitCode: 0, stdout: 'also ended\n' });
    const dir = readFileSync(where, 'utf8').trim();
    expect(dir).toMatch(/\/hanfs-batch\.\d+\.[^/]+$/);
    expect(existsSync(dir)).toBe(false);
    // The killed sleep is gone, not left running on the node.
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toMatch(/^sleep 29\.7$/m);
    expect((await r.run(['echo', 'ok'])).stdout).toBe('ok\n');
    await r.close();
  });

  it('runMany: a batch that does not end even after its commands are killed fails whole, and its temp dir goes', async () => {
    const r = runner();
    const where = join(work, 'batch-dir-hung');
    // The shell itself is stopped (SIGSTOP from its own command): killing its children cannot end it, so
    // after the grace the whole session is killed (as on a hung node) and the runner removes the dir.
    const res = await r.runMany([['sh', '-c', 'pwd > "$1"; kill -STOP "$PPID"', 'x', where], ['sleep', '30']], { timeoutMs: 1000 });
    expect(res.map((x) => x.timedOut)).toEqual([true, true]);
    const dir = readFileSync(where, 'utf8').trim();
    const until = Date.now() + 10_000;
    while (existsSync(dir) && Date.now() < until) await new Promise((f) => setTimeout(f, 100));
    expect(existsSync(dir)).toBe(false);
    expect((await r.run(['echo', 'ok'])).stdout).toBe('ok\n');
    await r.close();
  });

  it('runMany: the temp dir is gone after a normal batch too', async () => {
    const r = runner();
    const res = await r.runMany([['pwd'], ['true']]);
    expect(res[0]!.exitCode).toBe(0);
    expect(res[0]!.stdout).toMatch(/\/hanfs-batch\.[^/]+\n$/);
    expect(existsSync(res[0]!.stdout.trim())).toBe(false);
    await r.close();
  });

  it('passes input to the command', async () => {
    const r = runner();
    const res = await r.run(['cat'], { input: 'hello\nworld\n' });
    expect(res.stdout).toBe('hello\nworld\n');
    await r.close();
  });

  it('times out a command and kills it, and the connection stays usable', async () => {
    const r = runner();
    const marker = join(work, `timeout-${Date.now()}`);
    const t0 = Date.now();
    const res = await r.run(['sh', '-c', `sleep 3; touch ${marker}`], { timeoutMs: 500 });
    expect(res.timedOut).toBe(true);
    expect(res.exitCode).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2500);
    const next = await r.run(['echo', 'still here']);
    expect(next.stdout).toBe('still here\n');
    await new Promise((ok) => setTimeout(ok, 3200));
    expect(existsSync(marker)).toBe(false); // the remote command was really killed
    await r.close();
  });

  it('aborts a command through its signal', async () => {
    const r = runner();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const res = await r.run(['sleep', '5'], { signal: ac.signal });
    expect(res.aborted).toBe(true);
    await r.close();
  });

  it('streams output line by line until aborted', async () => {
    const r = runner();
    const ac = new AbortController();
    const lines: string[] = [];
    const res = await r.stream(['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.1; done'], {
      signal: ac.signal,
      onLine: (l) => {
        lines.push(l);
        if (lines.length === 3) ac.abort();
      },
    });
    expect(lines.slice(0, 3)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(res.aborted).toBe(true);
    await r.close();
  });

  it('reports the server killed mid-command, and reconnects on the next call', async () => {
    const r = runner();
    expect(succeeded(await r.run(['true']))).toBe(true);
    const pending = r.run(['sleep', '20']);
    await new Promise((ok) => setTimeout(ok, 400));
    sshd.killSessions();
    const res = await pending;
    expect(res.exitCode).toBeNull();
    expect(res.error).toMatch(/connection lost|without an exit status|connection reset|closed/);
    const next = await r.run(['echo', 'back']);
    expect(next.stdout).toBe('back\n');
    expect(r.connectCount).toBe(2);
    await r.close();
  });

  it('reports a server that is down as data, then reconnects once it is back on the same port', async () => {
    // Keep the keys outside the server's temp dir, which stop() removes.
    const hostKeyFile = join(work, 'kept_host_key');
    const clientKeyFile = join(work, 'kept_client_key');
    for (const [from, to] of [[sshd.hostKeyFile, hostKeyFile], [sshd.clientKey, clientKeyFile]] as const) {
      copyFileSync(from, to);
      copyFileSync(`${from}.pub`, `${to}.pub`);
      chmodSync(to, 0o600);
    }
    const port = sshd.port;
    const r = runner({ identityFile: clientKeyFile });
    expect(succeeded(await r.run(['true']))).toBe(true);
    await sshd.stop();
    const down = await r.run(['true']);
    expect(down.exitCode).toBeNull();
    expect(down.error).toMatch(/connection refused|connection lost|without an exit status/);
    sshd = await startSshd({ hostKeyFile, clientKeyFile, port });
    const up = await r.run(['echo', 'up']);
    expect(up.stdout).toBe('up\n');
    expect(r.connectCount).toBe(2);
    await r.close();
  });

  it('kills the remote command of an aborted stream', async () => {
    const r = runner();
    const marker = join(work, `stream-${Date.now()}`);
    const ac = new AbortController();
    const res = await r.stream(['sh', '-c', `echo started; sleep 2; touch ${marker}`], {
      signal: ac.signal,
      onLine: () => ac.abort(),
    });
    expect(res.aborted).toBe(true);
    await new Promise((ok) => setTimeout(ok, 2500));
    expect(existsSync(marker)).toBe(false);
    await r.close();
  });
});

function execHash(file: string): void {
  // ssh-keygen -H hashes the host names in place (the real tool, as a user would).

  execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
}

describe('batchScript / parseBatchOutput (the runMany protocol) through a real sh', () => {
  it('property: any arguments come back byte for byte, with each exit code and stderr', async () => {
    const fc = (await import('fast-check')).default;
    const { batchScript, parseBatchOutput } = await import('../../src/exec/ssh-runner.js');
    const arg = fc.string({ unit: 'binary', maxLength: 30 }).filter((x) => !x.includes('\0'));
    fc.assert(
      fc.property(fc.array(arg, { minLength: 1, maxLength: 4 }), arg, fc.integer({ min: 0, max: 255 }), (args, errText, code) => {
        const script = batchScript([
          ['printf', '%s\\0', ...args],
          ['sh', '-c', 'printf %s "$1" >&2; exit "$2"', 'x', errText, String(code)],
        ]);
        const out = execFileSync('sh', ['-c', script]);
        const parsed = parseBatchOutput(out, 2);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.value[0]!.stdout.split('\0').slice(0, -1)).toEqual(args);
        expect(parsed.value[1]).toEqual({ exitCode: code, stdout: '', stderr: errText });
      }),
      { numRuns: 40 },
    );
  });

  it('refuses output that does not follow the protocol', async () => {
    const { parseBatchOutput } = await import('../../src/exec/ssh-runner.js');
    const good = 'hanfs-batch 0 3\n5 0.o\n0 0.e\n5 total\nhanfs-batch-data\nhello';
    expect(parseBatchOutput(Buffer.from(good), 1)).toEqual({ ok: true, value: [{ exitCode: 3, stdout: 'hello', stderr: '' }] });
    expect(parseBatchOutput(Buffer.from(`motd banner\n${good}`), 1).ok).toBe(false);
    expect(parseBatchOutput(Buffer.from(good.replace('hello', 'hell')), 1).ok).toBe(false);
    expect(parseBatchOutput(Buffer.from(`${good}!`), 1).ok).toBe(false);
    expect(parseBatchOutput(Buffer.from(good.replace('5 0.o\n', '')), 1).ok).toBe(false);
    expect(parseBatchOutput(Buffer.from(good.replace('hanfs-batch 0 3', 'hanfs-batch 0 ')), 1).ok).toBe(false);
    expect(parseBatchOutput(Buffer.from(''), 1).ok).toBe(false);
  });
});
