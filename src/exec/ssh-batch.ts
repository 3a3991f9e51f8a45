// runMany's protocol: many commands in ONE SSH session (one sshd fork and login shell instead of one per
// command), each with its own stdout, stderr and exit code. The sh text sent and the parser of what comes
// back, apart from the connection code in ssh-runner.ts because both are pure and tested through a real sh.
import type { Argv } from './runner.js';
import { quoteArgv } from './shell-quote.js';

export interface BatchPart {
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
