// `hanfs-wizard rehearse --answers FILE [--cib FILE] [--json]`: plays failure scenarios on the generated
// Pacemaker configuration (or on a given CIB file, e.g. an exported cluster/cib.xml an admin edited) with
// Pacemaker's own scheduler and says whether every invariant holds.
// Exit codes: 0 every invariant holds, 1 one breaks, 2 bad usage or answers file, 3 the rehearsal could
// not run (Pacemaker's tools missing, or a tool failed).
import { readFile } from 'node:fs/promises';
import { formatProblems, loadAnswersFile } from '../answers/load.js';
import { rehearse, rehearseCib } from '../rehearse/engine.js';
import { formatRehearsalTable, rehearsalJson } from '../rehearse/format.js';
import { renderCommandHelp } from './help-source.js';

const USAGE = renderCommandHelp('rehearse');

export async function run(argv: string[]): Promise<number> {
  let answersPath: string | undefined;
  let json = false;
  let cibPath: string | undefined;
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
  const result = cibXml === undefined ? await rehearse(loaded.answers) : await rehearseCib(cibXml, loaded.answers);
  if (!result.ok) {
    process.stderr.write(`error: ${result.message}\n`);
    return 3;
  }
  process.stdout.write(`${json ? rehearsalJson(result) : formatRehearsalTable(result, process.stdout.columns ?? 100)}\n`);
  return result.holds ? 0 : 1;
}
