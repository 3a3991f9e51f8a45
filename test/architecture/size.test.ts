// Sizes a newcomer can read: no file of src/ over 400 lines, no function over 80 (generated tables
// aside: none today). Functions are found with the TypeScript compiler's own parser.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

function walk(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * Known debts, each to be split (docs/architecture.md, "Sizes"): listed so that nothing new joins them and
 * a split one must leave the list (the test fails on a listed entry that no longer exceeds the limit).
 */
const KNOWN: readonly string[] = [
  'src/rehearse/scenarios.ts buildScenarios',
];

const FILES = walk(join(ROOT, 'src')).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));

/** Every function (declaration, method, arrow, expression) longer than the limit, as "file:line name (n lines)". */
function longFunctions(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) {
      const start = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
      const lines = end - start + 1;
      const name = n.name && ts.isIdentifier(n.name) ? n.name.text : '(anonymous)';
      if (lines > MAX_FUNCTION_LINES) out.push(`${relative(ROOT, file)} ${name}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('sizes of src/', () => {
  it(`no file is over ${MAX_FILE_LINES} lines`, () => {
    const long = FILES.map((f) => ({ f: relative(ROOT, f), n: readFileSync(f, 'utf8').split('\n').length - 1 })).filter((x) => x.n > MAX_FILE_LINES).map((x) => x.f);
    expect(long.filter((f) => !KNOWN.includes(f)), 'new files over the limit').toEqual([]);
    expect(KNOWN.filter((k) => !k.includes(' ') && !long.includes(k)), 'split: remove from KNOWN').toEqual([]);
  });

  it(`no function is over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = [...new Set(FILES.flatMap(longFunctions))];
    expect(long.filter((f) => !KNOWN.includes(f)), 'new functions over the limit').toEqual([]);
    expect(KNOWN.filter((k) => k.includes(' ') && !long.includes(k)), 'split: remove from KNOWN').toEqual([]);
  });
});
