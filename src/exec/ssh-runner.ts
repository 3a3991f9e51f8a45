// Runs commands on a peer over SSH (ssh2). One connection per node, opened on first use and reused for
// every command (each command is one exec channel); a dropped connection fails the commands in flight
// with a clear error and is re-opened by the next call. Host keys are checked against known_hosts: a
// changed key is refused, always; an unknown one needs an expected fingerprint or the user's "yes".
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
// ssh2 is CommonJS and stays external in the bundle: Node's ESM loader cannot see its `utils` export by
// name, so take both from the default export.
import ssh2 from 'ssh2';
import type { Client as SshClient, ConnectConfig, AnyAuthMethod } from 'ssh2';

const { Client, utils } = ssh2;
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from './runner.js';
import { quoteArgv } from './shell-quote.js';
import { describeSshError, ExecCall, PID_MARK, type ExecHost, type ExecOptions, type ExecOutcome, type Inflight } from './ssh-exec.js';
import { checkHostKey, defaultKnownHostsPath, knownKeyTypes, normalizeFingerprint, readKnownHosts, type HostKeyStatus } from './host-keys.js';
import { hostKeyTypeOrder, judgeHostKey, type HostKeyJudge, type HostKeyPrompt } from './ssh-host-key.js';
import { parseBatchOutput, batchScript, type BatchPart } from './ssh-batch.js';
import { targetLabel } from './node-target.js';

export type { HostKeyPrompt } from './ssh-host-key.js';
// runMany's protocol lives in ssh-batch.ts; its tests import it from here, as before.
export { batchScript, parseBatchOutput } from './ssh-batch.js';

export interface SshRunnerOptions {
  host: string;
  port?: number;
  username: string;
  label?: string;
  /** A private key file given with --identity; tried first. */
  identityFile?: string;
  /** ssh-agent socket; default $SSH_AUTH_SOCK; null = no agent. */
  agentSocket?: string | null;
  /** Key files tried after the agent; default ~/.ssh/id_ed25519, id_ecdsa, id_rsa. */
  defaultKeyFiles?: string[];
  /** default ~/.ssh/known_hosts (tests point it at a temp file). */
  knownHostsPath?: string;
  /** Accept an unknown host whose key has exactly this SHA256 fingerprint (--host-key); or any of a list. */
  expectedFingerprint?: string | string[];
  /** Asked when the host is unknown and no expectedFingerprint is given; resolve true to accept. */
  confirmHostKey?: (prompt: HostKeyPrompt) => Promise<boolean>;
  /** Append an accepted unknown key to known_hosts, as ssh does. Default true. */
  rememberHostKey?: boolean;
  /**
   * What an unknown host key's refusal tells the admin to do, after its fingerprint (default: pass
   * --host-key, which probe accepts; apply names what it accepts instead).
   */
  unknownHostKeyAdvice?: (fingerprint: string) => string;
  connectTimeoutMs?: number;
  /** Commands in flight at once on the connection (sshd's MaxSessions is 10). Default 8. */
  maxChannels?: number;
  keepaliveIntervalMs?: number;
}

export type ConnectOutcome =
  | { ok: true; hostKey: HostKeyStatus }
  | { ok: false; error: string; hostKey?: HostKeyStatus };

export class SshRunner implements Runner {
  readonly label: string;
  private readonly o: SshRunnerOptions & { port: number };
  private client: SshClient | null = null;
  private connecting: Promise<ConnectOutcome> | null = null;
  /** The client still in its handshake, so close() can end it instead of waiting out readyTimeout. */
  private handshaking: SshClient | null = null;
  private readonly inflight = new Set<Inflight>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;
  /** The host key status seen on the last handshake (for the probe output). */
  lastHostKey: HostKeyStatus | null = null;
  /** How many connections were opened: tests check reuse and reconnection with it. */
  connectCount = 0;

  constructor(options: SshRunnerOptions) {
    const port = options.port ?? 22;
    this.o = { ...options, port };
    this.label = options.label ?? targetLabel(options.username, options.host, port);
  }

  /** Opens the connection now (or returns the open one); the result says why it failed. */
  connect(): Promise<ConnectOutcome> {
    if (this.client !== null && this.lastHostKey !== null) return Promise.resolve({ ok: true, hostKey: this.lastHostKey });
    if (this.connecting === null) {
      this.connecting = this.open().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private authMethods(): { methods: AnyAuthMethod[]; notes: string[] } {
    const methods: AnyAuthMethod[] = [];
    const notes: string[] = [];
    const username = this.o.username;
    const addKeyFile = (file: string, explicit: boolean) => {
      let buf: Buffer;
      try {
        buf = readFileSync(file);
      } catch (e) {
        if (explicit) notes.push(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        return;
      }
      const parsed = utils.parseKey(buf);
      if (parsed instanceof Error) {
        // Encrypted keys need a passphrase we never ask for: use the agent for those.
        notes.push(`${file}: ${parsed.message}`);
        return;
      }
      methods.push({ type: 'publickey', username, key: buf });
    };
    if (this.o.identityFile !== undefined) addKeyFile(this.o.identityFile, true);
    const agent = this.o.agentSocket === undefined ? process.env.SSH_AUTH_SOCK : this.o.agentSocket;
    if (agent) methods.push({ type: 'agent', username, agent });
    const defaults = this.o.defaultKeyFiles ?? ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(homedir(), '.ssh', f));
    for (const f of defaults) addKeyFile(f, false);
    return { methods, notes };
  }

  private open(): Promise<ConnectOutcome> {
    const { host, port } = this.o;
    const knownPath = this.o.knownHostsPath ?? defaultKnownHostsPath();
    const knownText = readKnownHosts(knownPath);
    const { methods, notes } = this.authMethods();
    if (methods.length === 0) {
      const why = notes.length > 0 ? ` (${notes.join('; ')})` : '';
      return Promise.resolve({ ok: false, error: `${this.label}: no SSH key to log in with: start ssh-agent, or give --identity FILE${why}` });
    }
    const given = this.o.expectedFingerprint === undefined ? [] : ([] as string[]).concat(this.o.expectedFingerprint);
    const expectedList: string[] = [];
    for (const g of given) {
      const n = normalizeFingerprint(g);
      if (n === null) return Promise.resolve({ ok: false, error: `--host-key: "${g}" is not a SHA256 fingerprint (SHA256: and 43 base64 characters)` });
      expectedList.push(n);
    }

    return new Promise<ConnectOutcome>((resolve) => {
      const client = new Client();
      this.handshaking = client;
      let hostKey: HostKeyStatus | undefined;
      let refusal: string | undefined;
      let settled = false;
      const settle = (r: ConnectOutcome) => {
        if (settled) return;
        settled = true;
        resolve(r);
      };

      const judge: HostKeyJudge = {
        host, port, label: this.label, knownPath, expected: expectedList, remember: this.o.rememberHostKey !== false,
        ...(this.o.confirmHostKey ? { confirm: this.o.confirmHostKey } : {}),
        ...(this.o.unknownHostKeyAdvice ? { advice: this.o.unknownHostKeyAdvice } : {}),
      };
      const verify = (key: Buffer, done: (ok: boolean) => void) => {
        const status = checkHostKey(knownText, host, port, key, knownPath);
        hostKey = status;
        judgeHostKey(judge, status, key, (why) => {
          if (why !== null) refusal = why;
          done(why === null);
        });
      };

      client.on('ready', () => {
        this.handshaking = null;
        this.client = client;
        this.lastHostKey = hostKey ?? null;
        this.connectCount++;
        settle({ ok: true, hostKey: hostKey as HostKeyStatus });
      });
      client.on('error', (err: Error & { level?: string }) => {
        let msg = refusal ?? `${this.label}: ${describeSshError(err)}`;
        if (refusal === undefined && err.level === 'client-authentication') {
          msg = `${this.label}: login refused for user ${this.o.username} (tried ${methods.map((m) => m.type).join(', ')})` + (notes.length ? `; ${notes.join('; ')}` : '');
        }
        settle({ ok: false, error: msg, ...(hostKey ? { hostKey } : {}) });
        if (this.client === client) this.dropped(msg);
      });
      client.on('close', () => {
        settle({ ok: false, error: refusal ?? `${this.label}: connection closed during the handshake`, ...(hostKey ? { hostKey } : {}) });
        if (this.client === client) this.dropped(`${this.label}: connection lost`);
      });

      const preferred = knownKeyTypes(knownText, host, port);
      const config: ConnectConfig = {
        host,
        port,
        username: this.o.username,
        readyTimeout: this.o.connectTimeoutMs ?? 15_000,
        keepaliveInterval: this.o.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: 3,
        hostVerifier: verify,
        authHandler: methods,
      };
      const order = hostKeyTypeOrder(preferred);
      if (order !== null) config.algorithms = { serverHostKey: order as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] };
      client.connect(config);
    });
  }

  /** The connection went away: fail what was running and let the next call reconnect. */
  private dropped(message: string): void {
    const c = this.client;
    this.client = null;
    this.lastHostKey = null;
    for (const f of [...this.inflight]) f.fail(message);
    c?.removeAllListeners('ready');
    c?.end();
  }

  private async acquire(): Promise<void> {
    const max = this.o.maxChannels ?? 8;
    if (this.active < max) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  run(argv: Argv, options: RunOptions = {}): Promise<RunResult> {
    return this.exec(argv, null, { ...options, stream: undefined }).then((r) => r.result);
  }

  stream(argv: Argv, options: StreamOptions): Promise<RunResult> {
    return this.exec(argv, null, { signal: options.signal, stream: options }).then((r) => r.result);
  }

  /**
   * Runs several commands in ONE SSH session, in parallel on the node, each with its own stdout, stderr
   * and exit code. Every session costs the node a sshd fork and a login shell (~0.2-0.4 s on a loaded
   * 2-core machine), so probing a node this way costs 2 sessions instead of about 20.
   * The commands must not need input (stdin is /dev/null); the timeout and signal apply to the batch.
   * At the timeout the commands still running are killed and the batch ends as usual: those say
   * `timedOut`, the ones that had ended keep their results (a slow crm_mon does not cost the /proc reads).
   * Only a batch that does not end even then (a hung node) fails whole.
   */
  async runMany(argvs: readonly Argv[], options: RunOptions = {}): Promise<RunResult[]> {
    const started = Date.now();
    if (argvs.length === 0) return [];
    let script: string;
    try {
      script = batchScript(argvs);
    } catch (e) {
      return argvs.map((argv) => ({ argv, exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: false, error: (e as Error).message, durationMs: 0 }));
    }
    const { result, stdout, cutShort } = await this.exec(['sh', '-c', '<batch>'], script, { timeoutMs: options.timeoutMs, signal: options.signal, stream: undefined, batch: true });
    const failedAll = (error: string | undefined, extra: Partial<RunResult> = {}): RunResult[] =>
      argvs.map((argv) => ({ argv, exitCode: null, stdout: '', stderr: '', timedOut: result.timedOut, aborted: result.aborted, ...(error !== undefined ? { error } : {}), durationMs: Date.now() - started, ...extra }));
    if (result.error !== undefined || result.timedOut || result.aborted) return failedAll(result.error);
    const parsed = parseBatchOutput(stdout, argvs.length);
    // Cut short, a batch whose own end was caught by the kill is a timeout, not garbage.
    if (!parsed.ok) return cutShort ? failedAll(undefined, { timedOut: true }) : failedAll(`${this.label}: batch of ${argvs.length} commands: ${parsed.error}${result.stderr ? ` (${result.stderr.trim().split('\n')[0]})` : ''}`);
    return argvs.map((argv, i) => {
      const p = parsed.value[i] as BatchPart;
      const durationMs = Date.now() - started;
      // Killed by the timeout (SIGKILL: 128 + 9): what it printed so far is not its answer.
      if (cutShort && p.exitCode === 137) return { argv, exitCode: null, stdout: '', stderr: '', timedOut: true, aborted: false, durationMs };
      return { argv, exitCode: p.exitCode, stdout: p.stdout, stderr: p.stderr, timedOut: false, aborted: false, durationMs };
    });
  }

  private async exec(argv: Argv, rawCommand: string | null, options: ExecOptions): Promise<ExecOutcome> {
    const started = Date.now();
    const base = { argv, stdout: '', stderr: '', timedOut: false, aborted: false };
    const early = (extra: Partial<RunResult>) => ({ result: { ...base, exitCode: null, durationMs: 0, ...extra }, stdout: Buffer.alloc(0) });
    if (this.closed) return early({ error: `${this.label}: runner closed` });
    let command: string;
    try {
      // The login shell prints its PID (= the session's process group: sshd starts each session with
      // setsid) on stderr, then becomes the command. A timeout or abort kills that group through a second
      // channel: OpenSSH refuses "signal" requests from clients ("session signalling requires privilege
      // separation", seen with root logins), and closing a channel does not stop a command without a tty.
      command = `echo ${PID_MARK}$$ >&2; ${rawCommand ?? `exec ${quoteArgv(argv)}`}`;
    } catch (e) {
      return early({ error: (e as Error).message });
    }
    if (options.signal?.aborted) return early({ aborted: true });

    await this.acquire();
    try {
      return await new Promise<ExecOutcome>((resolve) => new ExecCall(this.execHost(), command, base, options, started, resolve).start());
    } finally {
      this.release();
    }
  }

  /** What one command (ssh-exec.ts) needs of this runner. */
  private execHost(): ExecHost {
    return {
      label: this.label,
      connect: () => this.connect(),
      client: () => this.client,
      inflight: this.inflight,
      killRemote: (pid, batch) => this.killRemote(pid, batch),
      killChildren: (pid) => this.killChildren(pid),
    };
  }

  /**
   * Kills a remote process group through its own channel; best effort, never waits for the answer. A
   * batch's temp dir goes with it: SIGKILL leaves its shell no chance to remove it (batchScript).
   */
  private killRemote(pid: number, batch = false): void {
    if (!Number.isInteger(pid) || pid <= 1) return;
    const kill = quoteArgv(['kill', '-s', 'KILL', '--', `-${pid}`]);
    this.fire(batch ? `${kill}; rm -rf -- "\${TMPDIR:-/tmp}"/hanfs-batch.${pid}.*` : kill);
  }

  /** Kills the children of a batch's shell (its commands), not the shell, which then prints what ended. */
  private killChildren(pid: number): void {
    if (!Number.isInteger(pid) || pid <= 1) return;
    this.fire(quoteArgv(['pkill', '-KILL', '-P', String(pid)]));
  }

  /** Runs a command on its own channel without waiting for it (the kills). */
  private fire(command: string): void {
    const c = this.client;
    if (c === null) return;
    c.exec(command, (err, ch) => {
      if (err) return;
      ch.on('data', () => {});
      ch.stderr.on('data', () => {});
      ch.end();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    // A connection still in its handshake (a node that accepts TCP but does not answer) is dropped now.
    this.handshaking?.destroy();
    this.handshaking = null;
    const c = this.client;
    this.client = null;
    if (c) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        c.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        c.end();
        // Once the socket has flushed our disconnect (and FIN), the connection is closed from here: the
        // node's own teardown of the session (PAM, logind, wtmp, on an emulated vCPU) is not ours to wait
        // for, as it is not the ssh command's. ssh2 keeps its socket private; without it, wait as before.
        const sock = (c as unknown as { _sock?: { writableFinished?: boolean; once?: (e: string, f: () => void) => void; destroy?: () => void } })._sock;
        if (sock?.once !== undefined && sock.destroy !== undefined) {
          if (sock.writableFinished === true) sock.destroy();
          else sock.once('finish', () => sock.destroy?.());
        }
      });
    }
  }
}
