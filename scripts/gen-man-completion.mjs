// Writes the man page and the bash completion, both rendered from the help source
// (src/commands/help-source.ts) that every --help prints:
//   node scripts/gen-man-completion.mjs [OUT]   (default dist/share)
//   -> OUT/man/man8/hanfs-wizard.8, OUT/bash-completion/completions/hanfs-wizard
// The page's date is the release's: SOURCE_DATE_EPOCH when set (reproducible builds), else the last
// commit's date, else today.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { releaseDate } from './release-info.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(ROOT, 'dist', 'share'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));


const { renderManPage } = await tsImport('../src/commands/man-page.ts', import.meta.url);
const { renderBashCompletion } = await tsImport('../src/commands/bash-completion.ts', import.meta.url);
const demoLab = join(ROOT, 'demo-lab');
const scenarios = readdirSync(demoLab).filter((d) => statSync(join(demoLab, d)).isDirectory()).sort();

const man = join(out, 'man', 'man8', 'hanfs-wizard.8');
const completion = join(out, 'bash-completion', 'completions', 'hanfs-wizard');
mkdirSync(dirname(man), { recursive: true });
mkdirSync(dirname(completion), { recursive: true });
writeFileSync(man, renderManPage(pkg.version, releaseDate()));
writeFileSync(completion, renderBashCompletion(scenarios));
