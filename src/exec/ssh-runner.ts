// Runs commands on a peer over SSH (ssh2). One connection per node, opened on first use and reused for
// every command (each command is one exec channel); a dropped connection fails the commands in flight
// with a clear error and is re-opened by the next call. Host keys are checked against known_hosts: a
// changed key is refused, always; an unknown one needs an expected fingerprint or the user's "yes".
import { readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { homedir } from 'node:os';
import { join } from 'node:path';
// ssh2 is CommonJS and stays external in the bundle: Node's ESM loader cannot see its `utils` export by
// name, so take both from the default export.
import ssh2 from 'ssh2';
import type { Client as SshClient, ClientChannel, ConnectConfig, AnyAuthMethod } from 'ssh2';

const { Client, utils } = ssh2;
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from './runner.js';
import { quoteArgv } from './shell-quote.js';
import { splitLines } from './split-lines.js';
import {
  addKnownHost, checkHostKey, defaultKnownHostsPath, knownKeyTypes, normalizeFingerprint, readKnownHosts, type HostKeyStatus,
  knownHostsName, otherKeysWarning,
} from './host-keys.js';
import { targetLabel } from './node-target.js';

export interface HostKeyPrompt {
  host: string;
  port: number;
  label: string;
  keyType: string;
  fingerprint: string;
  /** OpenSSH's warning when known_hosts holds keys of other types for this host, else absent. */
  otherKeysWarning?: string;
}

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

const PID_MARK = 'hanfs-wizard-pid:';

/** How long a batch whose commands the timeout killed may take to print what had ended. */
const BATCH_GRACE_MS = 5000;

interface Inflight {
  fail(message: string): void;
}

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

      const verify = (key: Buffer, done: (ok: boolean) => void) => {
        const status = checkHostKey(knownText, host, port, key, knownPath);
        hostKey = status;
        if (status.status === 'known') return done(true);
        if (status.status === 'revoked') {
          refusal = `${this.label}: host key ${status.fingerprint} is marked @revoked in ${status.file}:${status.line}; refusing to connect`;
          return done(false);
        }
        if (status.status === 'changed') {
          refusal =
            `${this.label}: HOST KEY CHANGED: the server offers ${status.keyType} ${status.fingerprint}, but ${status.file} ` +
            `line ${status.lines.join(',')} holds ${status.knownFingerprints.join(', ')}. Someone may be intercepting the ` +
            `connection, or the host was reinstalled. Refusing to connect; if the change is expected, remove the old ` +
            `key with: ssh-keygen -R ${port === 22 ? host : `'[${host}]:${port}'`} -f ${status.file}`;
          return done(false);
        }
        const accept = () => {
          if (this.o.rememberHostKey !== false) {
            try {
              addKnownHost(knownPath, host, port, key);
            } catch {
              // Not being able to remember the key only means the question comes again next time.
            }
          }
          done(true);
        };
        if (expectedList.length > 0) {
          if (expectedList.includes(status.fingerprint)) return accept();
          refusal = `${this.label}: host key is ${status.keyType} ${status.fingerprint}, not the expected ${expectedList.join(' or ')}; refusing to connect`;
          return done(false);
        }
        const others = otherKeysWarning(knownHostsName(host, port), status.otherKeys);
        if (this.o.confirmHostKey === undefined) {
          const advice = this.o.unknownHostKeyAdvice?.(status.fingerprint) ?? `pass --host-key ${status.fingerprint}`;
          refusal =
            `${this.label}: ${others ? `WARNING: ${others}; ` : ''}unknown host key ${status.keyType} ${status.fingerprint}; check it on the host ` +
            `(ssh-keygen -lf /etc/ssh/ssh_host_${status.keyType.replace(/^ssh-|^ecdsa-sha2-nistp\d+$/, (m) => (m.startsWith('ecdsa') ? 'ecdsa' : ''))}_key.pub) ` +
            `and ${advice}`;
          return done(false);
        }
        this.o
          .confirmHostKey({ host, port, label: this.label, keyType: status.keyType, fingerprint: status.fingerprint, ...(others ? { otherKeysWarning: others } : {}) })
          .then((yes) => {
            if (yes) return accept();
            refusal = `${this.label}: host key ${status.fingerprint} not accepted`;
            done(false);
          })
          .catch((e: unknown) => {
            refusal = `${this.label}: host key confirmation failed: ${(e as Error).message}`;
            done(false);
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
      if (preferred.length > 0) {
        // Ask for a key type we already know first, as OpenSSH does, so a host with several keys is not
        // mistaken for an unknown one.
        const all = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
        const want = (t: string) => preferred.includes(t) || (t.startsWith('rsa-sha2') && preferred.includes('ssh-rsa'));
        config.algorithms = { serverHostKey: [...all.filter(want), ...all.filter((t) => !want(t))] as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] };
      }
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

  private async exec(
    argv: Argv,
    rawCommand: string | null,
    options: RunOptions & { stream: StreamOptions | undefined; batch?: boolean },
  ): Promise<{ result: RunResult; stdout: Buffer; cutShort?: boolean }> {
    const started = Date.now();
    const base = { argv, stdout: '', stderr: '', timedOut: false, aborted: false };
    const early = (extra: Partial<RunResult>) => ({ result: { ...base, exitCode: null, durationMs: 0, ...extra }, stdout: Buffer.alloc(0) });
    const batch = options.batch === true;
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
      return await new Promise<{ result: RunResult; stdout: Buffer; cutShort?: boolean }>((resolve) => {
        // Bytes are kept as Buffers and decoded once (or through a StringDecoder for streams), so a
        // multi-byte character split across two packets is not mangled.
        const outChunks: Buffer[] = [];
        let stderr = '';
        let exitCode: number | null = null;
        let exitSignal: string | undefined;
        let done = false;
        let channel: ClientChannel | null = null;
        let timer: NodeJS.Timeout | undefined;
        /** A batch whose running commands the timeout killed: it ends by itself, with what had ended. */
        let cutShort = false;
        const outDecoder = new StringDecoder('utf8');
        const errDecoder = new StringDecoder('utf8');
        const outLines = options.stream ? splitLines(options.stream.onLine) : null;
        const errLines = options.stream ? splitLines((l) => options.stream?.onStderr?.(l)) : null;

        const finish = (extra: Partial<RunResult>) => {
          if (done) return;
          done = true;
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          this.inflight.delete(entry);
          outLines?.push(outDecoder.end());
          outLines?.end();
          const errTail = errDecoder.end();
          if (errLines) errLines.push(errTail);
          errLines?.end();
          stderr += errTail;
          const out = Buffer.concat(outChunks);
          resolve({
            result: { ...base, exitCode, stdout: outLines ? '' : out.toString('utf8'), stderr, durationMs: Date.now() - started, ...extra },
            stdout: out,
            ...(cutShort ? { cutShort } : {}),
          });
        };
        let remotePid: number | null = null;
        let pidSeen = false;
        let errHead = '';
        let killPending = false;
        const kill = () => {
          if (remotePid !== null || channel === null) {
            if (remotePid !== null) this.killRemote(remotePid, batch);
            channel?.close();
            return;
          }
          // The shell has not told its PID yet (a slow login): keep the channel open until it does, so
          // the command can still be killed, and close it anyway after a grace period.
          killPending = true;
          const ch = channel;
          setTimeout(() => ch.close(), 3000).unref();
        };
        const entry: Inflight = { fail: (message) => finish({ exitCode: null, error: message }) };
        const onAbort = () => {
          kill();
          finish({ exitCode: null, aborted: true });
        };
        this.inflight.add(entry);
        options.signal?.addEventListener('abort', onAbort, { once: true });
        if (options.timeoutMs !== undefined) {
          timer = setTimeout(() => {
            // A batch: kill only its commands (the shell's children); the shell then reports what had
            // ended. If it does not end within the grace (a hung node), the whole session goes.
            if (batch && remotePid !== null && channel !== null) {
              cutShort = true;
              this.killChildren(remotePid);
              timer = setTimeout(() => {
                kill();
                finish({ exitCode: null, timedOut: true });
              }, BATCH_GRACE_MS);
              return;
            }
            kill();
            finish({ exitCode: null, timedOut: true });
          }, options.timeoutMs);
        }

        this.connect().then((c) => {
          if (done) return;
          if (!c.ok || this.client === null) return finish({ exitCode: null, error: c.ok ? `${this.label}: not connected` : c.error });
          this.client.exec(command, (err, ch) => {
            // A server that died between commands shows here as a failed write (EPIPE): say what it means.
            if (err) return finish({ exitCode: null, error: `${this.label}: ${describeSshError(err)}` });
            channel = ch;
            ch.on('data', (d: Buffer) => {
              if (outLines) outLines.push(outDecoder.write(d));
              else outChunks.push(d);
            });
            ch.stderr.on('data', (d: Buffer) => {
              let s = errDecoder.write(d);
              if (!pidSeen) {
                // The first stderr line is our PID marker, never shown to the caller.
                errHead += s;
                const nl = errHead.indexOf('\n');
                if (nl < 0) return;
                pidSeen = true;
                const m = new RegExp(`^${PID_MARK}(\\d+)$`).exec(errHead.slice(0, nl));
                if (m) {
                  remotePid = Number(m[1]);
                  s = errHead.slice(nl + 1);
                } else s = errHead;
                errHead = '';
                if (killPending && remotePid !== null) {
                  this.killRemote(remotePid, batch);
                  channel?.close();
                }
                if (s === '') return;
              }
              if (errLines) {
                errLines.push(s);
                stderr = (stderr + s).slice(-8192);
              } else stderr += s;
            });
            ch.on('exit', (code: number | null, signal?: string) => {
              if (typeof code === 'number') exitCode = code;
              if (signal) exitSignal = signal;
            });
            ch.on('close', () => {
              finish(
                exitCode === null && exitSignal === undefined
                  ? { error: `${this.label}: the command ended without an exit status (connection lost?)` }
                  : exitSignal
                    ? { error: `${this.label}: killed by signal ${exitSignal}` }
                    : {},
              );
            });
            if (options.input !== undefined) ch.end(options.input);
            else ch.end();
            // Timed out or aborted while the channel was opening: kill what it started.
            if (done) kill();
          });
        });
      });
    } finally {
      this.release();
    }
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

interface BatchPart {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * The POSIX sh text that runs each argv (quoted by quoteArgv, the one quoting function) in the background
 * with its outputs in a private temp dir and waits for each in turn, printing one line
 * `hanfs-batch <i> <exit>` per command (wait's status: shell builtins only), then one `wc -c` of every
 * output file (so the byte counts), a line `hanfs-batch-data`, and one `cat` of all the outputs in order.
 * The node pays one fork and exec per command and four programs for the whole batch (mktemp, wc, cat,
 * rm): each fork and exec costs the lab's emulated vCPUs 20-100 ms, the batch exists to spare the node
 * work (apply's assessment sends 25-30 checks per node through it, the monitor's one-shot 13).
 * The temp dir goes when the shell exits (the EXIT trap), also on a hangup, a broken pipe or SIGTERM;
 * SIGKILL, which the runner's timeout sends to the whole session, leaves no trap a chance: the runner's
 * kill removes the dir then (its name holds the shell's PID: hanfs-batch.<pid>.XXXXXX).
 */
export function batchScript(argvs: readonly Argv[]): string {
  const lines = [
    'd=$(mktemp -d "${TMPDIR:-/tmp}/hanfs-batch.$$.XXXXXX") || exit 97',
    `trap 'cd / && rm -rf -- "$d"' EXIT`,
    "trap 'exit 129' HUP; trap 'exit 141' PIPE; trap 'exit 143' TERM",
    'cd "$d" || exit 97',
  ];
  // Each command is the shell's own child (no subshell around it): the runner's timeout kills the
  // children (pkill -P) and the shell still reports the ones that had ended.
  argvs.forEach((argv, i) => {
    lines.push(`${quoteArgv(argv)} >${i}.o 2>${i}.e </dev/null & p${i}=$!`);
  });
  argvs.forEach((_, i) => {
    lines.push(`wait "$p${i}"; printf 'hanfs-batch %s %s\n' ${i} "$?"`);
  });
  const files = argvs.flatMap((_, i) => [`${i}.o`, `${i}.e`]).join(' ');
  lines.push(`wc -c -- ${files} || exit 97`, "printf 'hanfs-batch-data\n'", `cat -- ${files}`);
  return lines.join('\n');
}

/** Splits the batch output by its exit lines and byte counts; anything unexpected is an error, not a guess. */
export function parseBatchOutput(out: Buffer, count: number): { ok: true; value: BatchPart[] } | { ok: false; error: string } {
  let pos = 0;
  const line = (): string | null => {
    const nl = out.indexOf(0x0a, pos);
    if (nl < 0) return null;
    const l = out.subarray(pos, nl).toString('latin1');
    pos = nl + 1;
    return l;
  };
  const codes: number[] = [];
  for (let i = 0; i < count; i++) {
    const l = line();
    if (l === null) return { ok: false, error: `output ended before command ${i}` };
    const m = /^hanfs-batch (\d+) (\d+)$/.exec(l);
    if (!m || Number(m[1]) !== i) return { ok: false, error: `unexpected output before command ${i}` };
    codes.push(Number(m[2]));
  }
  // wc -c: "<bytes> <file>" per file in the order given (padded to one width), then a total line.
  const sizes = new Map<string, number>();
  for (;;) {
    const l = line();
    if (l === null) return { ok: false, error: 'output ended before the outputs' };
    if (l === 'hanfs-batch-data') break;
    const m = /^\s*(\d+) (\S+)$/.exec(l);
    if (!m) return { ok: false, error: 'unexpected output in the byte counts' };
    sizes.set(m[2]!, Number(m[1]));
  }
  const parts: BatchPart[] = [];
  for (let i = 0; i < count; i++) {
    const outLen = sizes.get(`${i}.o`);
    const errLen = sizes.get(`${i}.e`);
    if (outLen === undefined || errLen === undefined) return { ok: false, error: `no byte count for command ${i}` };
    if (pos + outLen + errLen > out.length) return { ok: false, error: `output of command ${i} is cut short` };
    parts.push({
      exitCode: codes[i]!,
      stdout: out.subarray(pos, pos + outLen).toString('utf8'),
      stderr: out.subarray(pos + outLen, pos + outLen + errLen).toString('utf8'),
    });
    pos += outLen + errLen;
  }
  if (pos !== out.length) return { ok: false, error: 'more output than the byte counts say' };
  return { ok: true, value: parts };
}

function describeSshError(err: Error & { code?: string; level?: string }): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused (is sshd running, is the port right?)';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'host name not found';
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') return 'host unreachable';
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return 'connection lost (the node closed the connection)';
  if (err.level === 'client-timeout') return 'timed out during the SSH handshake';
  return err.message;
}
