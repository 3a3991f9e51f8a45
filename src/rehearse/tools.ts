// The Pacemaker command-line tools the rehearsal drives, on CIB files only (never a live cluster):
// crm_simulate plays transitions, crm_attribute sets the node attributes agents would set, crm_mon reads
// the result. Every call is an argv through the one runner interface; failures come back as data.
import { readFile } from 'node:fs/promises';
import { LocalRunner } from '../exec/local-runner.js';
import type { Argv, RunResult } from '../exec/runner.js';

const TIMEOUT_MS = 30_000;

export type ToolResult = { ok: true; stdout: string } | { ok: false; message: string };

function outcome(r: RunResult): ToolResult {
  if (r.exitCode === 0 && !r.timedOut && r.error === undefined) return { ok: true, stdout: r.stdout };
  const why = r.error ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`);
  const detail = r.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  return { ok: false, message: `${r.argv.join(' ')}: ${why}${detail ? `: ${detail}` : ''}` };
}

/** Runs one tool; `cibFile` becomes CIB_file so crm_attribute and crm_mon act on that file. */
export async function runTool(argv: Argv, cibFile?: string, signal?: AbortSignal): Promise<ToolResult> {
  const runner = new LocalRunner(cibFile === undefined ? {} : { env: { CIB_file: cibFile } });
  const r = await runner.run(argv, signal ? { timeoutMs: TIMEOUT_MS, signal } : { timeoutMs: TIMEOUT_MS });
  if (r.aborted) return { ok: false, message: 'aborted' };
  return outcome(r);
}

/** Is crm_simulate (pacemaker-cli-utils) installed? */
export async function pacemakerToolsPresent(): Promise<boolean> {
  const r = await new LocalRunner().run(['crm_simulate', '--version'], { timeoutMs: TIMEOUT_MS });
  return r.exitCode === 0 && r.error === undefined;
}

/**
 * The command that installs the Pacemaker CLI tools on this distribution, from /etc/os-release's ID and
 * ID_LIKE. Pure: takes the file's text.
 */
export function installCommand(osRelease: string): string {
  const field = (k: string) => new RegExp(`^${k}=("?)([^"\\n]*)\\1$`, 'm').exec(osRelease)?.[2]?.toLowerCase() ?? '';
  const ids = [field('ID'), ...field('ID_LIKE').split(/\s+/)].filter(Boolean);
  if (ids.some((i) => i === 'debian' || i === 'ubuntu')) return 'apt-get install pacemaker-cli-utils';
  if (ids.some((i) => i.includes('suse') || i === 'sles')) return 'zypper install pacemaker-cli';
  if (ids.some((i) => ['rhel', 'fedora', 'centos', 'rocky', 'almalinux'].includes(i))) return 'dnf install pacemaker-cli';
  return "install your distribution's Pacemaker command-line tools package (pacemaker-cli-utils on Debian and Ubuntu, pacemaker-cli on RHEL and SUSE)";
}

export async function readOsRelease(): Promise<string> {
  try {
    return await readFile('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}
