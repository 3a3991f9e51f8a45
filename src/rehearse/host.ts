// Where the rehearsal's Pacemaker tools run: on this machine, or on a cluster node through the one runner
// interface (SSH), so the scheduler that plays the scenarios is the one the nodes will run (Pacemaker 2.1
// on Debian 12, 3.0 on Debian 13: they differ in what they accept and how they decide).
//
// On a node the rehearsal only ever works on CIB FILES in a private temporary directory it makes with
// mktemp and removes at the end: crm_simulate always gets -x FILE and crm_attribute/crm_mon always get
// CIB_file=FILE, and anything else is refused here (without CIB_file, crm_attribute would write to the
// live cluster). Nothing of the node's configuration is read or changed, so this is not an apply step.
import { copyFile as fsCopyFile, mkdtemp as fsMkdtemp, readFile as fsReadFile, rm as fsRm, writeFile as fsWriteFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { posix } from 'node:path';
import { LocalRunner } from '../exec/local-runner.js';
import type { Argv, Runner, RunResult } from '../exec/runner.js';

const TIMEOUT_MS = 30_000;

export type ToolResult = { ok: true; stdout: string } | { ok: false; message: string };

export interface ToolHost {
  /** Where the tools run, for the report: "this machine" or the node's name. */
  readonly where: string;
  readonly remote: boolean;
  mkdtemp(prefix: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  readFile(path: string): Promise<string>;
  copyFile(from: string, to: string): Promise<void>;
  /** Removes a directory this host's mkdtemp made (and nothing else). */
  rmTemp(dir: string): Promise<void>;
  /** Runs one Pacemaker tool; `cibFile` becomes CIB_file so crm_attribute and crm_mon act on that file. */
  tool(argv: Argv, cibFile?: string, signal?: AbortSignal): Promise<ToolResult>;
}

export class HostError extends Error {}

function outcome(r: RunResult, shown: Argv): ToolResult {
  if (r.aborted) return { ok: false, message: 'aborted' };
  if (r.exitCode === 0 && !r.timedOut && r.error === undefined) return { ok: true, stdout: r.stdout };
  const why = r.error ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`);
  const detail = r.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  return { ok: false, message: `${shown.join(' ')}: ${why}${detail ? `: ${detail}` : ''}` };
}

/** This machine: node's fs and a LocalRunner per call (CIB_file in the environment). */
export function localHost(tmpDir?: string): ToolHost {
  return {
    where: 'this machine',
    remote: false,
    mkdtemp: (prefix) => fsMkdtemp(posix.join(tmpDir ?? tmpdir(), prefix)),
    writeFile: (path, text) => fsWriteFile(path, text),
    readFile: (path) => fsReadFile(path, 'utf8'),
    copyFile: (from, to) => fsCopyFile(from, to),
    rmTemp: (dir) => fsRm(dir, { recursive: true, force: true }),
    async tool(argv, cibFile, signal) {
      const runner = new LocalRunner(cibFile === undefined ? {} : { env: { CIB_file: cibFile } });
      const r = await runner.run(argv, signal ? { timeoutMs: TIMEOUT_MS, signal } : { timeoutMs: TIMEOUT_MS });
      return outcome(r, argv);
    },
  };
}

const CIB_TOOLS = new Set(['crm_attribute', 'crm_mon', 'crm_resource']);

/**
 * Why an argv would not act on a CIB file only (null: it does). Pure; the remote host refuses those, so
 * no bug in the rehearsal can reach a node's live cluster.
 */
export function liveClusterRisk(argv: Argv, cibFile: string | undefined): string | null {
  const [cmd, ...args] = argv;
  if (cmd === 'crm_simulate') {
    if (args.length === 1 && args[0] === '--version') return null;
    return args.includes('-x') || args.some((a) => a.startsWith('--xml-file')) ? null : 'crm_simulate without -x FILE would read the live CIB';
  }
  if (cmd !== undefined && CIB_TOOLS.has(cmd)) return cibFile === undefined ? `${cmd} without CIB_file would act on the live cluster` : null;
  return `${cmd ?? '(nothing)'} is not one of the rehearsal's tools`;
}

/**
 * A node, through its runner (SSH, or a replay in tests). Files go through stdin/stdout of plain
 * coreutils (dd, cat, cp) in a directory mktemp made on the node; the tools get CIB_file through env(1).
 */
export function runnerHost(runner: Runner, where = runner.label): ToolHost {
  const temps = new Set<string>();
  const must = async (argv: Argv, input?: string): Promise<string> => {
    const r = await runner.run(argv, input === undefined ? { timeoutMs: TIMEOUT_MS } : { timeoutMs: TIMEOUT_MS, input });
    const o = outcome(r, argv);
    if (!o.ok) throw new HostError(`on ${where}: ${o.message}`);
    return o.stdout;
  };
  const inTemp = (path: string) => {
    if (![...temps].some((d) => path.startsWith(`${d}/`))) throw new HostError(`on ${where}: ${path} is outside the rehearsal's temporary directory`);
    return path;
  };
  return {
    where,
    remote: true,
    async mkdtemp(prefix) {
      const dir = (await must(['mktemp', '-d', `/tmp/${prefix}XXXXXXXX`])).trim();
      if (!/^\/tmp\/[A-Za-z0-9._-]+$/.test(dir)) throw new HostError(`on ${where}: mktemp answered "${dir}"`);
      temps.add(dir);
      return dir;
    },
    async writeFile(path, text) {
      await must(['dd', `of=${inTemp(path)}`, 'status=none'], text);
    },
    readFile: async (path) => must(['cat', '--', inTemp(path)]),
    async copyFile(from, to) {
      await must(['cp', '--', inTemp(from), inTemp(to)]);
    },
    async rmTemp(dir) {
      if (!temps.has(dir)) throw new HostError(`on ${where}: ${dir} was not made by this rehearsal`);
      await must(['rm', '-rf', '--', dir]);
      temps.delete(dir);
    },
    async tool(argv, cibFile, signal) {
      const risk = liveClusterRisk(argv, cibFile);
      if (risk !== null) return { ok: false, message: `refused on ${where}: ${risk}` };
      const full = cibFile === undefined ? argv : ['env', `CIB_file=${inTemp(cibFile)}`, ...argv];
      const r = await runner.run(full, signal ? { timeoutMs: TIMEOUT_MS, signal } : { timeoutMs: TIMEOUT_MS });
      return outcome(r, argv);
    },
  };
}

/** "Pacemaker 3.0.1" (crm_simulate --version's first line, any Pacemaker since 1.1) -> "3.0.1". Pure. */
export function parsePacemakerVersion(stdout: string): string | null {
  return /^Pacemaker (\d+\.\d+\.\d+\S*)/m.exec(stdout)?.[1] ?? null;
}

/** The scheduler's version on this host, or why there is none. */
export async function schedulerVersion(host: ToolHost): Promise<{ ok: true; version: string } | { ok: false; message: string }> {
  const r = await host.tool(['crm_simulate', '--version']);
  if (!r.ok) return r;
  const version = parsePacemakerVersion(r.stdout);
  return version === null ? { ok: false, message: `crm_simulate --version on ${host.where} printed no "Pacemaker X.Y.Z" line` } : { ok: true, version };
}

/**
 * The host whose scheduler should play the rehearsal: the first node (of those given) whose crm_simulate
 * runs, so the release the cluster runs decides; this machine otherwise (bare nodes have no Pacemaker
 * yet), with the reason in `note` for the report.
 */
export async function chooseHost(runners: readonly Runner[], local: ToolHost = localHost()): Promise<{ host: ToolHost; note?: string }> {
  const why: string[] = [];
  for (const r of runners) {
    const host = runnerHost(r);
    const v = await schedulerVersion(host);
    if (v.ok) return { host };
    why.push(`${host.where}: ${v.message}`);
  }
  return why.length === 0 ? { host: local } : { host: local, note: `no node's crm_simulate ran (${why.join('; ')})` };
}
