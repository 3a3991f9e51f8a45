// Starts a REAL OpenSSH sshd on 127.0.0.1 for the SSH runner's tests (VALIDATORS.md, "sshd on loopback"):
// its own temp dir, host key and authorized key, a free port, stopped by its PID. No mocks: if sshd or
// ssh-keygen is missing the test fails (test/setup/install-tools.sh installs them).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';

export interface Sshd {
  port: number;
  user: string;
  dir: string;
  pid: number;
  /** The client's private key (ed25519, no passphrase) authorized on this server. */
  clientKey: string;
  /** Host public key blob and its fingerprint, as ssh-keygen -lf reports it. */
  hostKeyBlob: Buffer;
  hostFingerprint: string;
  hostKeyFile: string;
  /** Kills the per-connection sshd processes (the sessions), keeping the listener: a dropped connection. */
  killSessions(): void;
  /** Stops the listener and every session, by PID. */
  stop(): Promise<void>;
}

export function sshKeygen(file: string, type = 'ed25519'): { blob: Buffer; fingerprint: string } {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'hanfs-test', '-f', file], { stdio: 'ignore' });
  const pub = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
  const fp = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(/\s+/)[1] ?? '';
  return { blob: Buffer.from(pub[1] ?? '', 'base64'), fingerprint: fp };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`sshd exited ${child.exitCode}: ${log()}`));
      const s = createConnection({ host: '127.0.0.1', port });
      s.once('data', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`sshd did not listen on ${port}: ${log()}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** PIDs of every descendant of pid, from /proc (sshd forks one process tree per connection). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      /* process ended while we read */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export interface StartSshdOptions {
  /** Reuse a host key file (to restart "the same" server); a new one is made otherwise. */
  hostKeyFile?: string;
  /** Reuse a client key (private key file with its .pub beside it); a new one is made otherwise. */
  clientKeyFile?: string;
  port?: number;
  extraConfig?: string;
}

export async function startSshd(options: StartSshdOptions = {}): Promise<Sshd> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-sshd-'));
  const hostKeyFile = options.hostKeyFile ?? join(dir, 'host_ed25519');
  const host = options.hostKeyFile ? hostKeyInfo(hostKeyFile) : sshKeygen(hostKeyFile);
  const clientKey = options.clientKeyFile ?? join(dir, 'client_ed25519');
  if (!options.clientKeyFile) sshKeygen(clientKey);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const port = options.port ?? (await freePort());
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyFile}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'MaxSessions 20',
      'MaxStartups 50',
      'LogLevel ERROR',
      // bash sources ~/.bashrc for commands run by sshd; this machine's root .bashrc runs `pyenv init`,
      // whose rehash lock serializes (and stalls for up to a minute) concurrent sessions. Point HOME at
      // the server's own empty dir so the tests measure sshd and our runner, not the host's dotfiles.
      `SetEnv HOME=${dir}`,
      options.extraConfig ?? '',
    ].join('\n') + '\n',
  );
  let log = '';
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  await waitForPort(port, child, () => log);
  const pid = child.pid as number;
  return {
    port,
    user: userInfo().username,
    dir,
    pid,
    clientKey,
    hostKeyBlob: host.blob,
    hostFingerprint: host.fingerprint,
    hostKeyFile,
    killSessions() {
      for (const p of descendants(pid)) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    },
    async stop() {
      const sessions = descendants(pid);
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        process.kill(pid, 'SIGTERM');
        await exited;
      }
      for (const p of sessions) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function hostKeyInfo(file: string): { blob: Buffer; fingerprint: string } {
  const pub = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
  const fp = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(/\s+/)[1] ?? '';
  return { blob: Buffer.from(pub[1] ?? '', 'base64'), fingerprint: fp };
}

/** Starts a real ssh-agent holding the given key; returns its socket and a stop() by PID. */
export function startAgent(keyFile: string): { socket: string; pid: number; stop(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-agent-'));
  const socket = join(dir, 'agent.sock');
  const out = execFileSync('ssh-agent', ['-s', '-a', socket], { encoding: 'utf8' });
  const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)?.[1]);
  execFileSync('ssh-add', [keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  return {
    socket,
    pid,
    stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
