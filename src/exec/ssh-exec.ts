// One command on an SSH channel, from the exec request to its result: output kept as bytes, the PID the
// login shell announces (so a timeout or abort can kill the command's process group), the timeout (a
// batch's commands first, then the whole session), and the result once the channel closes. Apart from
// ssh-runner.ts, which owns the connection, because the state of one command is its own: one object
// per command, its steps as methods.
import { StringDecoder } from 'node:string_decoder';
import type { Client as SshClient, ClientChannel } from 'ssh2';
import type { RunOptions, RunResult, StreamOptions } from './runner.js';
import { splitLines } from './split-lines.js';

/** The first stderr line of every command: `echo hanfs-wizard-pid:$$ >&2` (see SshRunner.exec). */
export const PID_MARK = 'hanfs-wizard-pid:';

/** How long a batch whose commands the timeout killed may take to print what had ended. */
const BATCH_GRACE_MS = 5000;

export interface Inflight {
  fail(message: string): void;
}

/** What a command needs of its runner: the connection, the set of commands in flight, the kills. */
export interface ExecHost {
  readonly label: string;
  connect(): Promise<{ ok: true } | { ok: false; error: string }>;
  /** The open client (read when the channel is requested). */
  client(): SshClient | null;
  readonly inflight: Set<Inflight>;
  killRemote(pid: number, batch: boolean): void;
  killChildren(pid: number): void;
}

export type ExecOptions = RunOptions & { stream: StreamOptions | undefined; batch?: boolean };
export type ExecOutcome = { result: RunResult; stdout: Buffer; cutShort?: boolean };
type Base = Pick<RunResult, 'argv' | 'stdout' | 'stderr' | 'timedOut' | 'aborted'>;

export class ExecCall {
  // Bytes are kept as Buffers and decoded once (or through a StringDecoder for streams), so a
  // multi-byte character split across two packets is not mangled.
  private readonly outChunks: Buffer[] = [];
  private stderr = '';
  private exitCode: number | null = null;
  private exitSignal: string | undefined;
  private done = false;
  private channel: ClientChannel | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** A batch whose running commands the timeout killed: it ends by itself, with what had ended. */
  private cutShort = false;
  private readonly outDecoder = new StringDecoder('utf8');
  private readonly errDecoder = new StringDecoder('utf8');
  private readonly outLines: ReturnType<typeof splitLines> | null;
  private readonly errLines: ReturnType<typeof splitLines> | null;
  private remotePid: number | null = null;
  private pidSeen = false;
  private errHead = '';
  private killPending = false;
  private readonly batch: boolean;
  private readonly entry: Inflight = { fail: (message) => this.finish({ exitCode: null, error: message }) };
  private readonly onAbort = () => {
    this.kill();
    this.finish({ exitCode: null, aborted: true });
  };

  constructor(
    private readonly h: ExecHost,
    private readonly command: string,
    private readonly base: Base,
    private readonly options: ExecOptions,
    private readonly started: number,
    private readonly resolve: (o: ExecOutcome) => void,
  ) {
    this.batch = options.batch === true;
    this.outLines = options.stream ? splitLines(options.stream.onLine) : null;
    this.errLines = options.stream ? splitLines((l) => options.stream?.onStderr?.(l)) : null;
  }

  start(): void {
    this.h.inflight.add(this.entry);
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (this.options.timeoutMs !== undefined) this.timer = setTimeout(() => this.onTimeout(), this.options.timeoutMs);
    this.h.connect().then((c) => {
      if (this.done) return;
      const client = this.h.client();
      if (!c.ok || client === null) return this.finish({ exitCode: null, error: c.ok ? `${this.h.label}: not connected` : c.error });
      client.exec(this.command, (err, ch) => {
        // A server that died between commands shows here as a failed write (EPIPE): say what it means.
        if (err) return this.finish({ exitCode: null, error: `${this.h.label}: ${describeSshError(err)}` });
        this.attach(ch);
      });
    });
  }

  private finish(extra: Partial<RunResult>): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.h.inflight.delete(this.entry);
    this.outLines?.push(this.outDecoder.end());
    this.outLines?.end();
    const errTail = this.errDecoder.end();
    if (this.errLines) this.errLines.push(errTail);
    this.errLines?.end();
    this.stderr += errTail;
    const out = Buffer.concat(this.outChunks);
    this.resolve({
      result: { ...this.base, exitCode: this.exitCode, stdout: this.outLines ? '' : out.toString('utf8'), stderr: this.stderr, durationMs: Date.now() - this.started, ...extra },
      stdout: out,
      ...(this.cutShort ? { cutShort: true } : {}),
    });
  }

  private kill(): void {
    if (this.remotePid !== null || this.channel === null) {
      if (this.remotePid !== null) this.h.killRemote(this.remotePid, this.batch);
      this.channel?.close();
      return;
    }
    // The shell has not told its PID yet (a slow login): keep the channel open until it does, so
    // the command can still be killed, and close it anyway after a grace period.
    this.killPending = true;
    const ch = this.channel;
    setTimeout(() => ch.close(), 3000).unref();
  }

  private onTimeout(): void {
    // A batch: kill only its commands (the shell's children); the shell then reports what had
    // ended. If it does not end within the grace (a hung node), the whole session goes.
    if (this.batch && this.remotePid !== null && this.channel !== null) {
      this.cutShort = true;
      this.h.killChildren(this.remotePid);
      this.timer = setTimeout(() => {
        this.kill();
        this.finish({ exitCode: null, timedOut: true });
      }, BATCH_GRACE_MS);
      return;
    }
    this.kill();
    this.finish({ exitCode: null, timedOut: true });
  }

  private attach(ch: ClientChannel): void {
    this.channel = ch;
    ch.on('data', (d: Buffer) => {
      if (this.outLines) this.outLines.push(this.outDecoder.write(d));
      else this.outChunks.push(d);
    });
    ch.stderr.on('data', (d: Buffer) => this.onStderr(d));
    ch.on('exit', (code: number | null, signal?: string) => {
      if (typeof code === 'number') this.exitCode = code;
      if (signal) this.exitSignal = signal;
    });
    ch.on('close', () => {
      this.finish(
        this.exitCode === null && this.exitSignal === undefined
          ? { error: `${this.h.label}: the command ended without an exit status (connection lost?)` }
          : this.exitSignal
            ? { error: `${this.h.label}: killed by signal ${this.exitSignal}` }
            : {},
      );
    });
    if (this.options.input !== undefined) ch.end(this.options.input);
    else ch.end();
    // Timed out or aborted while the channel was opening: kill what it started.
    if (this.done) this.kill();
  }

  private onStderr(d: Buffer): void {
    let s = this.errDecoder.write(d);
    if (!this.pidSeen) {
      // The first stderr line is our PID marker, never shown to the caller.
      this.errHead += s;
      const nl = this.errHead.indexOf('\n');
      if (nl < 0) return;
      this.pidSeen = true;
      const m = new RegExp(`^${PID_MARK}(\\d+)$`).exec(this.errHead.slice(0, nl));
      if (m) {
        this.remotePid = Number(m[1]);
        s = this.errHead.slice(nl + 1);
      } else s = this.errHead;
      this.errHead = '';
      if (this.killPending && this.remotePid !== null) {
        this.h.killRemote(this.remotePid, this.batch);
        this.channel?.close();
      }
      if (s === '') return;
    }
    if (this.errLines) {
      this.errLines.push(s);
      this.stderr = (this.stderr + s).slice(-8192);
    } else this.stderr += s;
  }
}

export function describeSshError(err: Error & { code?: string; level?: string }): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused (is sshd running, is the port right?)';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'host name not found';
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') return 'host unreachable';
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return 'connection lost (the node closed the connection)';
  if (err.level === 'client-timeout') return 'timed out during the SSH handshake';
  return err.message;
}
