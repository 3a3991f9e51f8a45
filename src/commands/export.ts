// `hanfs-wizard export --answers FILE --out DIR [--force]`: the whole configuration as files, no node
// touched. An invalid answers file writes nothing (not even DIR) and exits 2.
import { resolve } from 'node:path';
import { loadAnswersFile, formatProblems } from '../answers/load.js';
import { buildExportFiles, writeExportTree } from '../generate/export-layout.js';
import { generateSecrets } from '../generate/secrets.js';
import { parseCommandOptions } from './cli-options.js';
import { renderCommandHelp } from './help-source.js';

const HELP = renderCommandHelp('export');

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandOptions(argv, { answers: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } }, HELP);
  if (parsed.exit !== null) return parsed.exit;
  const { values } = parsed;
  const missing: string[] = [];
  if (!values.answers) missing.push('error: --answers: required: the answers file to export (see docs/answers.md)');
  if (!values.out) missing.push('error: --out: required: the directory to write the configuration to');
  if (missing.length) {
    process.stderr.write(`${missing.join('\n')}\n`);
    return 2;
  }
  const loaded = await loadAnswersFile(values.answers!);
  if (!loaded.ok) {
    process.stderr.write(`${formatProblems(loaded.problems)}\n`);
    return 2;
  }
  const files = buildExportFiles(loaded.answers, loaded.warnings, generateSecrets(loaded.answers));
  const out = resolve(values.out!);
  const written = await writeExportTree(out, files, { force: values.force ?? false });
  if (!written.ok) {
    process.stderr.write(`error: --out: ${written.message}\n`);
    // A non-empty or linked --out is the admin's choice to change (exit 2); anything else failed to write.
    return /not empty|symbolic link/.test(written.message) ? 2 : 1;
  }
  for (const w of loaded.warnings) process.stderr.write(`warning: ${w.path}: ${w.message}\n`);
  process.stdout.write(`wrote ${written.written} files to ${out}; start with ${out}/README.md\n`);
  return 0;
}
