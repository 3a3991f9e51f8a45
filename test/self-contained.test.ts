// A clone must stand on its own: no test, source, script, bench or package script may name a path on the
// machine it was developed on (an absolute path outside the repository) or a folder beside the clone.
// A user who clones the project has neither; a test that still reaches out passes only where the folder
// happens to exist (issue 29). Real captures belong in test/fixtures, copied with a SOURCE.md.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const THIS_FILE = relative(ROOT, import.meta.filename);

/** The folders the issue names, plus the demo lab's build tools (they are scripts of the project too). */
const SCANNED = ['test', 'src', 'scripts', 'bench', 'demo-lab'];
/** bench/lab-failover.mjs may compare against the recipe, documented as optional (docs/lab.md). */
const BENCH_ALLOWED_SIBLING = /\.\.\/shared\/lab-recipe\b/g;

// Absolute paths that only exist on a developer's or CI's machine. Paths on the managed NODES (/etc,
// /dev, /srv, /root/.ssh, /home/export...) are the product's business and stay allowed: only roots that
// hold checkouts and home directories are refused.
const MACHINE_PATH = [
  /(?<![\w.~$-])\/work(?=[/'"`\s),;:]|$)/m, // this team's machines: the work root that holds the checkouts and the shared folder
  /(?<![\w.~$-])\/Users\/[^/'"`\s]+/, // macOS home directories
  /(?<![\w.~$-])\/home\/[^/'"`\s]+\/[^'"`\s]/, // a path INSIDE someone's home directory
  /(?<![\w.~$-])\/mnt\/[a-z]\//, // WSL drive mounts
  /(?<![\w\\])[A-Z]:\\\\[A-Za-z]/, // Windows drive paths, C:\\Users as source text spells it
];

/** A folder beside the clone, by name: the ones that exist beside development checkouts. */
const SIBLING_NAME = /\.\.\/(?:\.\.\/)*(shared|main|wt-\d+|lab-captures|lab-recipe|LAB\.md)\b/g;
/** A relative path climbing out of the folder its file lives in. */
const RELATIVE_UP = /(?:\.\.\/)+[\w.-]*/g;

interface Finding { file: string; line: number; text: string; why: string }

/** Every finding in one file's text; `file` is relative to the repository root. */
function findOutsidePaths(file: string, text: string, root = ROOT): Finding[] {
  const out: Finding[] = [];
  const lines = text.split('\n');
  const fileDir = resolve(root, dirname(file));
  lines.forEach((raw, i) => {
    const line = file.startsWith(`bench${sep}`) || file.startsWith('bench/') ? raw.replace(BENCH_ALLOWED_SIBLING, '') : raw;
    const add = (why: string) => out.push({ file, line: i + 1, text: raw.trim().slice(0, 160), why });
    for (const re of MACHINE_PATH) if (re.test(line)) add(`absolute machine path (${re.source})`);
    if (line.includes(root)) add('the clone\'s own absolute path');
    for (const m of line.matchAll(SIBLING_NAME)) add(`sibling folder of the clone: ${m[0]}`);
    for (const m of line.matchAll(RELATIVE_UP)) {
      const target = resolve(fileDir, m[0]);
      if (target !== root && !target.startsWith(root + sep)) add(`relative path leaving the repository: ${m[0]}`);
    }
  });
  return out;
}

/** Text files under the scanned folders. Captures in test/fixtures are data (an `ls -l /dev/disk/by-id`
 *  capture is full of ../../vdb), so only their notes (*.md) are read there. */
function scannedFiles(): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(ROOT, rel))) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const child = join(rel, name);
      if (statSync(join(ROOT, child)).isDirectory()) walk(child);
      else if (/\.(ts|tsx|mjs|cjs|js|json|sh|md|yaml|yml|conf|txt)$/.test(name)) {
        if (child.startsWith(join('test', 'fixtures') + sep) && !name.endsWith('.md')) continue;
        if (child.startsWith(join('demo-lab', '')) && !name.endsWith('.mjs')) continue; // captures and notes
        files.push(child);
      }
    }
  };
  for (const d of SCANNED) walk(d);
  return files;
}

describe('the clone stands on its own (issue 29)', () => {
  it('the detector catches what it must and lets node-side paths through', () => {
    const bad: [string, string][] = [
      ['test/x.test.ts', "readFileSync('/" + "work/shared/lab-captures/a.txt')"],
      ['test/x.test.ts', "const C = '/" + "work/shared/lab-captures';"],
      ['bench/x.mjs', "join(root, '../" + "shared/lab-captures')"],
      ['scripts/x.mjs', "cp ../" + "shared/x ."],
      ['test/apply/x.test.ts', "readFileSync('../../../" + "elsewhere/x')"],
      ['src/x.ts', "'/" + "Users/alice/captures/x'"],
      ['src/x.ts', "'/" + "home/alice/captures/x'"],
      ['test/x.test.ts', "'C:" + "\\\\Users\\\\alice\\\\x'"],
      ['test/x.test.ts', `'${ROOT}/test/fixtures/x'`],
    ];
    for (const [file, text] of bad) expect(findOutsidePaths(file, text), `${file}: ${text}`).not.toEqual([]);
    const fine: [string, string][] = [
      ['test/apply/x.test.ts', "import { x } from '../../src/apply/x.js';"],
      ['test/apply/x.test.ts', "join(import.meta.dirname, '../fixtures/lab-captures', rel)"],
      ['bench/lab-failover.mjs', "process.env.LAB_RECIPE ?? join(root, '../" + "shared/lab-recipe')"],
      ['src/x.ts', "['cat', '/proc/drbd'], '/etc/drbd.d/r0.res', '/root/.ssh/id_ed25519', '/dev/vdb'"],
      ['test/answers/x.test.ts', "a.nfs.exports[0].path = '/home/export'"],
      ['test/exec/x.test.ts', "existsSync('/tmp/hanfs-pwned')"],
      ['src/x.ts', "const T = /^\\d\\d:\\d\\d:\\d\\d$/;"],
    ];
    for (const [file, text] of fine) expect(findOutsidePaths(file, text), `${file}: ${text}`).toEqual([]);
  });

  it('no file under test/, src/, scripts/, bench/ (or a demo-lab build script) names a path outside the clone', () => {
    const files = scannedFiles().filter((f) => f !== THIS_FILE);
    expect(files.length, 'the walk found the sources').toBeGreaterThan(100);
    const findings = files.flatMap((f) => findOutsidePaths(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(findings.map((f) => `${f.file}:${f.line}: ${f.why}: ${f.text}`)).toEqual([]);
  });

  it('no package script names a path outside the clone', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const findings = Object.entries(pkg.scripts).flatMap(([name, cmd]) => findOutsidePaths('package.json', `${name}: ${cmd}`));
    expect(findings).toEqual([]);
  });
});
