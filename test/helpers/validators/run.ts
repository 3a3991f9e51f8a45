// Runs a real validator tool for the generated-file tests. A tool that is missing is a FAILED check
// (never a skip): the message says how to get it (test/setup/install-tools.sh).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Validation {
  ok: boolean;
  /** What the tool said (stdout and stderr, noise removed): shown when a test fails. */
  output: string;
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the tool could not be started at all (ENOENT: not installed). */
  missing?: string;
}

const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin`;

export function runTool(argv: string[], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): ToolRun {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, PATH: SBIN_PATH, LC_ALL: 'C', ...options.env },
    input: options.input,
    cwd: options.cwd,
    timeout: 60_000,
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return {
      code: null,
      stdout: '',
      stderr: '',
      missing: code === 'ENOENT' ? `${argv[0]} is not installed: run test/setup/install-tools.sh` : `${argv[0]}: ${String(r.error)}`,
    };
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A private temporary directory holding the given files; removed by the returned cleanup. */
export function withTempFiles<T>(files: Record<string, string>, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-validate-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      // A name may hold a subdirectory (a unit's drop-in: nfsdcld.service.d/hanfs.conf).
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content, { mode: 0o600 });
    }
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeRun(what: string, r: ToolRun): string {
  if (r.missing) return `${what}: ${r.missing}`;
  return `${what}: exit ${r.code}\n${[r.stdout, r.stderr].filter((s) => s.trim()).join('\n')}`.trimEnd();
}

/** Runs a bash script as root in fresh mount (and optionally network) namespaces: the host is untouched. */
export function runInNamespaces(script: string, args: string[], options: { net: boolean }): ToolRun {
  const flags = options.net ? ['-n', '-m'] : ['-m'];
  return runTool(['unshare', ...flags, '--propagation', 'private', 'bash', '-euc', script, 'hanfs-validate', ...args]);
}
