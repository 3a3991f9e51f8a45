// Runs commands on this machine with execa: argv only, never a shell; failures come back as data.
import { splitLines } from './split-lines.js';
import { execa } from 'execa';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from './runner.js';

export interface LocalRunnerOptions {
  label?: string;
  /** Extra environment for every command (tests use it; LC_ALL=C is always set so outputs parse). */
  env?: Record<string, string>;
}

export class LocalRunner implements Runner {
  readonly label: string;
  private readonly env: Record<string, string>;

  constructor(options: LocalRunnerOptions = {}) {
    this.label = options.label ?? 'local';
    this.env = { LC_ALL: 'C', ...options.env };
  }

  async run(argv: Argv, options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const [file, ...args] = argv;
    if (file === undefined) return failure(argv, 'empty argv', started);
    const r = await execa(file, args, {
      reject: false,
      env: this.env,
      timeout: options.timeoutMs,
      cancelSignal: options.signal,
      input: options.input,
      stdin: options.input === undefined ? 'ignore' : 'pipe',
      stripFinalNewline: false,
      encoding: 'utf8',
      forceKillAfterDelay: 2000,
    });
    const notStarted = r.exitCode === undefined && !r.timedOut && !r.isCanceled;
    return {
      argv,
      exitCode: r.exitCode ?? null,
      stdout: typeof r.stdout === 'string' ? r.stdout : '',
      stderr: typeof r.stderr === 'string' ? r.stderr : '',
      timedOut: r.timedOut,
      aborted: r.isCanceled,
      ...(notStarted ? { error: r.shortMessage } : {}),
      durationMs: Date.now() - started,
    };
  }

  async stream(argv: Argv, options: StreamOptions): Promise<RunResult> {
    const started = Date.now();
    const [file, ...args] = argv;
    if (file === undefined) return failure(argv, 'empty argv', started);
    const sub = execa(file, args, {
      reject: false,
      env: this.env,
      cancelSignal: options.signal,
      stdin: 'ignore',
      buffer: false,
      encoding: 'utf8',
      forceKillAfterDelay: 2000,
    });
    const outLines = splitLines(options.onLine);
    const errLines = splitLines(options.onStderr ?? (() => {}));
    let stderr = '';
    sub.stdout?.on('data', (chunk: Buffer | string) => outLines.push(chunk.toString()));
    sub.stderr?.on('data', (chunk: Buffer | string) => {
      const s = chunk.toString();
      // Keep a bounded tail of stderr for the result: a long-running stream must not grow without end.
      stderr = (stderr + s).slice(-8192);
      errLines.push(s);
    });
    const r = await sub;
    outLines.end();
    errLines.end();
    const notStarted = r.exitCode === undefined && !r.isCanceled;
    return {
      argv,
      exitCode: r.exitCode ?? null,
      stdout: '',
      stderr,
      timedOut: false,
      aborted: r.isCanceled,
      ...(notStarted ? { error: r.shortMessage } : {}),
      durationMs: Date.now() - started,
    };
  }

  async close(): Promise<void> {
    // Nothing held: each command is its own process.
  }
}

function failure(argv: Argv, error: string, started: number): RunResult {
  return { argv, exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: false, error, durationMs: Date.now() - started };
}
