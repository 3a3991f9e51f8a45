// The one interface every part of hanfs-wizard uses to reach a node: local (execa), SSH (ssh2) and
// replay (a folder of real captured outputs) all implement it, so probes, apply and the monitor never
// know which one they talk to. Commands are argv arrays, never shell strings.

/** An argv array: argv[0] is the program, the rest its arguments, passed without any shell. */
export type Argv = readonly string[];

export interface RunOptions {
  /** Milliseconds before the command is killed and the result is `timedOut`. */
  timeoutMs?: number;
  /** Aborting kills the command; the result then has `aborted: true`. */
  signal?: AbortSignal;
  /** Written to the command's standard input, then closed. */
  input?: string | Buffer;
}

/** The outcome of one command. A failure is data, never an exception (STYLE.md rule 8). */
export interface RunResult {
  argv: Argv;
  /** Exit code; null when the command was killed, timed out, or never started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the command could not be run at all (node unreachable, program missing). */
  error?: string;
  durationMs: number;
}

export interface StreamOptions {
  signal: AbortSignal;
  /** Called once per complete line of standard output, without the newline. */
  onLine: (line: string) => void;
  onStderr?: (line: string) => void;
}

export interface Runner {
  /** A short label for messages: the node name or user@host. */
  readonly label: string;
  run(argv: Argv, options?: RunOptions): Promise<RunResult>;
  /**
   * Runs a long-lived command (`drbdsetup events2`, `ping`) and reports its output line by line until it
   * ends or the signal aborts; resolves with the final result.
   */
  stream(argv: Argv, options: StreamOptions): Promise<RunResult>;
  /**
   * Optional: runs several independent commands at once, as cheaply as the runner can (SSH: one session
   * for all, in parallel on the node). Results come in the same order. Without it, callers use run() for
   * each in parallel (see runAll in run-all.ts).
   */
  runMany?(argvs: readonly Argv[], options?: RunOptions): Promise<RunResult[]>;
  /** Releases the connection (SSH) or anything else held. Safe to call twice. */
  close(): Promise<void>;
}

/** True when a command ran and exited 0. */
export function succeeded(r: RunResult): boolean {
  return r.exitCode === 0 && !r.timedOut && !r.aborted && r.error === undefined;
}
