// Answers commands from a folder of real captured outputs (format: demo-lab/README.md), so the demo, the
// screen tests and the probe tests run without a cluster. A command without a capture is a failed result,
// never an exception: the caller sees exactly what a missing program on a real node would look like.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from './runner.js';
import { quoteArgv } from './shell-quote.js';
import { splitLines } from './split-lines.js';

export interface ReplayResponse {
  /** A capture file, or several replayed one after the other (demo-lab/README.md says when that is honest). */
  stdout?: string | string[];
  stderr?: string | string[];
  exitCode?: number;
}

export interface ReplayEntry extends ReplayResponse {
  argv: string[];
  responses?: ReplayResponse[];
  stream?: { intervalMs?: number; holdOpen?: boolean };
  delayMs?: number;
  source?: string;
}

export interface ReplayManifest {
  node?: string;
  commands: ReplayEntry[];
}

export type LoadResult = { ok: true; manifest: ReplayManifest } | { ok: false; error: string };

/** Reads and checks a node folder's manifest.json. */
export function loadManifest(dir: string): LoadResult {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return { ok: false, error: `${file}: no such file` };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, error: `${file}: not JSON (${(e as Error).message})` };
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as ReplayManifest).commands)) {
    return { ok: false, error: `${file}: "commands" must be a list` };
  }
  const m = data as ReplayManifest;
  for (const [i, c] of m.commands.entries()) {
    if (!Array.isArray(c.argv) || c.argv.length === 0 || !c.argv.every((a) => typeof a === 'string')) {
      return { ok: false, error: `${file}: commands[${i}].argv must be a non-empty list of strings` };
    }
  }
  return { ok: true, manifest: m };
}

const key = (argv: Argv): string => JSON.stringify(argv);

export interface ReplayRunnerOptions {
  /** The node folder holding manifest.json and the capture files. */
  dir: string;
  label?: string;
  /** Manifest already loaded (tests); read from dir otherwise. */
  manifest?: ReplayManifest;
}

export class ReplayRunner implements Runner {
  readonly label: string;
  private readonly dir: string;
  private readonly entries = new Map<string, ReplayEntry>();
  private readonly calls = new Map<string, number>();
  private readonly loadError: string | undefined;
  /** Every argv asked for, in order: lets tests check what a probe really runs. */
  readonly history: Argv[] = [];

  constructor(options: ReplayRunnerOptions) {
    this.dir = options.dir;
    let manifest = options.manifest;
    if (manifest === undefined) {
      const loaded = loadManifest(options.dir);
      if (loaded.ok) manifest = loaded.manifest;
      else this.loadError = loaded.error;
    }
    this.label = options.label ?? manifest?.node ?? options.dir;
    for (const c of manifest?.commands ?? []) this.entries.set(key(c.argv), c);
  }

  /** The argv this runner can answer. */
  knownCommands(): string[][] {
    return [...this.entries.values()].map((e) => e.argv);
  }

  private respond(argv: Argv): { response: ReplayEntry | ReplayResponse; entry: ReplayEntry } | { error: string } {
    if (this.loadError !== undefined) return { error: `replay ${this.label}: ${this.loadError}` };
    const entry = this.entries.get(key(argv));
    if (entry === undefined) return { error: `replay ${this.label}: no capture for: ${safeQuote(argv)}` };
    const n = this.calls.get(key(argv)) ?? 0;
    this.calls.set(key(argv), n + 1);
    const list = entry.responses;
    const response = list && list.length > 0 ? (list[Math.min(n, list.length - 1)] as ReplayResponse) : entry;
    return { response, entry };
  }

  private read(file: string | string[] | undefined): string {
    if (file === undefined) return '';
    return (Array.isArray(file) ? file : [file]).map((f) => readFileSync(join(this.dir, f), 'utf8')).join('');
  }

  async run(argv: Argv, options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    this.history.push(argv);
    const r = this.respond(argv);
    if ('error' in r) return missing(argv, r.error, started);
    let stdout: string;
    let stderr: string;
    try {
      stdout = this.read(r.response.stdout);
      stderr = this.read(r.response.stderr);
    } catch (e) {
      return missing(argv, `replay ${this.label}: ${(e as Error).message}`, started);
    }
    const delay = r.entry.delayMs ?? 0;
    if (delay > 0) {
      const outcome = await sleep(delay, options.signal, options.timeoutMs);
      if (outcome !== 'done') {
        return { argv, exitCode: null, stdout: '', stderr: '', timedOut: outcome === 'timeout', aborted: outcome === 'aborted', durationMs: Date.now() - started };
      }
    } else if (options.signal?.aborted) {
      return { argv, exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: true, durationMs: Date.now() - started };
    }
    return { argv, exitCode: r.response.exitCode ?? 0, stdout, stderr, timedOut: false, aborted: false, durationMs: Date.now() - started };
  }

  async stream(argv: Argv, options: StreamOptions): Promise<RunResult> {
    const started = Date.now();
    this.history.push(argv);
    const r = this.respond(argv);
    if ('error' in r) {
      options.onStderr?.(r.error);
      return missing(argv, r.error, started);
    }
    let stdout: string;
    let stderr: string;
    try {
      stdout = this.read(r.response.stdout);
      stderr = this.read(r.response.stderr);
    } catch (e) {
      return missing(argv, `replay ${this.label}: ${(e as Error).message}`, started);
    }
    const interval = r.entry.stream?.intervalMs ?? 0;
    const errSplit = splitLines((l) => options.onStderr?.(l));
    errSplit.push(stderr);
    errSplit.end();
    const lines: string[] = [];
    const outSplit = splitLines((l) => lines.push(l));
    outSplit.push(stdout);
    outSplit.end();
    for (const line of lines) {
      if (options.signal.aborted) return aborted(argv, stderr, started);
      if (interval > 0 && (await sleep(interval, options.signal)) === 'aborted') return aborted(argv, stderr, started);
      options.onLine(line);
    }
    if (r.entry.stream?.holdOpen) {
      await sleep(Number.POSITIVE_INFINITY, options.signal);
      return aborted(argv, stderr, started);
    }
    return { argv, exitCode: r.response.exitCode ?? 0, stdout: '', stderr, timedOut: false, aborted: false, durationMs: Date.now() - started };
  }

  async close(): Promise<void> {
    // Nothing held.
  }
}

function safeQuote(argv: Argv): string {
  try {
    return quoteArgv(argv);
  } catch {
    return JSON.stringify(argv);
  }
}

function missing(argv: Argv, error: string, started: number): RunResult {
  return { argv, exitCode: 127, stdout: '', stderr: error + '\n', timedOut: false, aborted: false, error, durationMs: Date.now() - started };
}

function aborted(argv: Argv, stderr: string, started: number): RunResult {
  return { argv, exitCode: null, stdout: '', stderr, timedOut: false, aborted: true, durationMs: Date.now() - started };
}

/** Waits ms (Infinity = until aborted); resolves how it ended. Cleans its timer and listener either way. */
function sleep(ms: number, signal?: AbortSignal, timeoutMs?: number): Promise<'done' | 'aborted' | 'timeout'> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve('aborted');
    const timers: NodeJS.Timeout[] = [];
    const finish = (how: 'done' | 'aborted' | 'timeout') => {
      for (const t of timers) clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve(how);
    };
    const onAbort = () => finish('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(ms)) timers.push(setTimeout(() => finish('done'), ms));
    if (timeoutMs !== undefined && timeoutMs < ms) timers.push(setTimeout(() => finish('timeout'), timeoutMs));
  });
}
