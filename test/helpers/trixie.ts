// The Debian 13 "trixie" tools root (test/setup/trixie-root.sh builds it once, cached outside the clone):
// Debian 13's own Pacemaker 3.0, drbd-utils, Corosync and nfs-utils, run through test/setup/trixie-run.sh
// in private namespaces. A root that cannot be built is a FAILED test, never a skip.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalRunner } from '../../src/exec/local-runner.js';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import type { ToolRun } from './validators/run.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN = join(ROOT, 'test/setup/trixie-run.sh');

let built: string | undefined;

/** The built root's directory (rootfs/, packages.txt, versions.txt): builds it on first use (about 5.5 min). */
export function trixieRoot(): string {
  if (built !== undefined) return built;
  const r = spawnSync('bash', [join(ROOT, 'test/setup/trixie-root.sh')], { encoding: 'utf8', timeout: 20 * 60_000 });
  const dir = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || dir === '') throw new Error(`test/setup/trixie-root.sh failed (exit ${r.status}):\n${r.stderr}`);
  built = dir;
  return dir;
}

/** "pacemaker-cli-utils" -> "3.0.0-2", from the root's dpkg-query. */
export function trixiePackageVersion(name: string): string {
  const line = readFileSync(join(trixieRoot(), 'packages.txt'), 'utf8').split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} is not installed in the trixie root`);
  return line.split(' ')[1]!;
}

export interface TrixieRunOptions {
  /** Host directories visible at the same path inside (the test's temporary files). */
  binds?: string[];
  /** A private network namespace (corosync -t). */
  net?: boolean;
  /** The root's /tmp, kept between calls. */
  tmp?: string;
  env?: Record<string, string>;
  input?: string;
}

function runArgv(argv: Argv, o: TrixieRunOptions): string[] {
  const env = Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}`);
  return [
    RUN,
    ...(o.net ? ['--net'] : []),
    ...(o.binds ?? []).flatMap((d) => ['--bind', d]),
    ...(o.tmp ? ['--tmp', o.tmp] : []),
    '--',
    ...(env.length ? ['env', ...env] : []),
    ...argv,
  ];
}

/** Runs one command in the trixie root, synchronously (the validators' ToolRun shape). */
export function runInTrixie(argv: Argv, o: TrixieRunOptions = {}): ToolRun {
  const root = trixieRoot();
  const r = spawnSync('bash', runArgv(argv, o), {
    encoding: 'utf8',
    input: o.input,
    timeout: 120_000,
    env: { ...process.env, TRIXIE_ROOTFS: join(root, 'rootfs') },
  });
  if (r.error) return { code: null, stdout: '', stderr: '', missing: String(r.error) };
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A "node" whose commands run in the trixie root: what the rehearsal's runnerHost sends over SSH to a
 * Debian 13 node, run here with Debian 13's tools. `tmp` is the root's /tmp for the runner's lifetime.
 */
export class TrixieRunner implements Runner {
  readonly label: string;
  private readonly local: LocalRunner;
  constructor(
    private readonly tmp: string,
    label = 'trixie',
  ) {
    this.label = label;
    this.local = new LocalRunner({ label, env: { TRIXIE_ROOTFS: join(trixieRoot(), 'rootfs'), PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  }
  run(argv: Argv, options?: RunOptions): Promise<RunResult> {
    return this.local.run(['bash', ...runArgv(argv, { tmp: this.tmp })], options).then((r) => ({ ...r, argv }));
  }
  stream(argv: Argv, options: StreamOptions): Promise<RunResult> {
    return this.local.stream(['bash', ...runArgv(argv, { tmp: this.tmp })], options);
  }
  async close(): Promise<void> {}
}
