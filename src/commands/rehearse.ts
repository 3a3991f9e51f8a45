// `hanfs-wizard rehearse --answers FILE [--cib FILE] [--on NODE] [--json]`: plays failure scenarios on the
// generated Pacemaker configuration (or on a given CIB file, e.g. an exported cluster/cib.xml an admin
// edited) with Pacemaker's own scheduler and says whether every invariant holds, and which scheduler
// (version, and where it ran) decided. --on NODE runs crm_simulate on that node over SSH (the answers'
// nodes[].ssh, host key verified against known_hosts), so the release the cluster runs decides.
// Exit codes: 0 every invariant holds, 1 one breaks, 2 bad usage or answers file, 3 the rehearsal could
// not run (Pacemaker's tools missing, or a tool failed).
import { readFile } from 'node:fs/promises';
import { formatProblems, loadAnswersFile } from '../answers/load.js';
import type { Answers } from '../answers/schema.js';
import type { Runner } from '../exec/runner.js';
import { rehearse, rehearseCib } from '../rehearse/engine.js';
import { formatRehearsalTable, rehearsalJson } from '../rehearse/format.js';
import { renderCommandHelp } from './help-source.js';

const USAGE = renderCommandHelp('rehearse');

export async function run(argv: string[]): Promise<number> {
  let answersPath: string | undefined;
  let json = false;
  let cibPath: string | undefined;
  let on: string | undefined;
  let identity: string | undefined;
  let knownHosts: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      return 0;
    } else if (arg === '--json') json = true;
    else if (arg === '--answers') answersPath = argv[++i];
    else if (arg.startsWith('--answers=')) answersPath = arg.slice('--answers='.length);
    else if (arg === '--cib') cibPath = argv[++i];
    else if (arg.startsWith('--cib=')) cibPath = arg.slice('--cib='.length);
    else if (arg === '--on') on = argv[++i];
    else if (arg.startsWith('--on=')) on = arg.slice('--on='.length);
    else if (arg === '--identity') identity = argv[++i];
    else if (arg === '--known-hosts') knownHosts = argv[++i];
    else {
      process.stderr.write(`error: ${arg}: unknown option; run hanfs-wizard rehearse --help for the options\n`);
      return 2;
    }
  }
  if (!answersPath) {
    process.stderr.write('error: --answers: is required (the answers file to rehearse)\n');
    return 2;
  }
  const loaded = await loadAnswersFile(answersPath);
  if (!loaded.ok) {
    process.stderr.write(`${formatProblems(loaded.problems)}\n`);
    return 2;
  }
  if (loaded.warnings.length) process.stderr.write(`${formatProblems(loaded.warnings, 'warning')}\n`);
  let cibXml: string | undefined;
  if (cibPath !== undefined) {
    try {
      cibXml = await readFile(cibPath, 'utf8');
    } catch (e) {
      process.stderr.write(`error: --cib: ${cibPath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as Error).message)}\n`);
      return 2;
    }
  }
  let runner: Runner | undefined;
  if (on !== undefined) {
    const made = await nodeRunner(loaded.answers, on, identity, knownHosts);
    if (!made.ok) {
      process.stderr.write(`error: --on: ${made.error}\n`);
      return 2;
    }
    runner = made.runner;
  }
  let result;
  try {
    const { runnerHost } = await import('../rehearse/host.js');
    const opts = runner === undefined ? {} : { host: runnerHost(runner) };
    result = cibXml === undefined ? await rehearse(loaded.answers, opts) : await rehearseCib(cibXml, loaded.answers, opts);
  } finally {
    await runner?.close();
  }
  if (!result.ok) {
    process.stderr.write(`error: ${result.message}\n`);
    return 3;
  }
  process.stdout.write(`${json ? rehearsalJson(result) : formatRehearsalTable(result, process.stdout.columns ?? 100)}\n`);
  return result.holds ? 0 : 1;
}

/**
 * The runner to the named node of the answers: its nodes[].ssh, opened like apply opens it (the one opener,
 * src/exec/open-runners.ts, host keys known only: an unknown key fails the connection, saying how to trust it).
 */
async function nodeRunner(a: Answers, name: string, identity: string | undefined, knownHosts: string | undefined): Promise<{ ok: true; runner: Runner } | { ok: false; error: string }> {
  const n = a.nodes.find((x) => x.name === name);
  if (!n) return { ok: false, error: `${name}: not a node of the answers (${a.nodes.map((x) => x.name).join(', ')})` };
  const { parseNodeTarget } = await import('../exec/node-target.js');
  const t = parseNodeTarget(n.ssh);
  if (!t.ok || (t.target.kind !== 'ssh' && n.ssh !== 'local')) return { ok: false, error: `${name}: nodes[].ssh: ${t.ok ? 'expected user@host[:port]' : t.error}` };
  const { openKnownOnly } = await import('./action-nodes.js');
  const [runner] = openKnownOnly([{ target: t.target, label: n.name }], { ...(identity ? { identity } : {}), ...(knownHosts ? { knownHosts } : {}) });
  return { ok: true, runner: runner! };
}
