// A comment that sends the reader to a file must send them somewhere: every repository path cited in a
// comment of src/ (src/..., test/..., docs/..., bench/..., scripts/..., examples/..., demo-lab/...) and in
// docs/architecture.md exists.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CITE = /\b((?:src|test|docs|bench|scripts|examples|demo-lab)\/[\w./-]*[\w-](?:\.\w+)?)/g;

function walk(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** The comment text of a line of TypeScript: after //, or a JSDoc/block line. */
function commentOf(line: string): string {
  const i = line.indexOf('//');
  if (i >= 0 && !/['"`][^'"`]*\/\//.test(line.slice(0, i + 2))) return line.slice(i);
  return /^\s*(\/\*|\*)/.test(line) ? line : '';
}

const exists = (p: string) => existsSync(join(ROOT, p.replace(/[.,:;)]+$/, '')));

describe('cited files exist', () => {
  it('in the comments of src/', () => {
    const missing: string[] = [];
    for (const f of walk(join(ROOT, 'src')).filter((x) => /\.tsx?$/.test(x))) {
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        for (const m of commentOf(line).matchAll(CITE)) if (!exists(m[1]!)) missing.push(`${relative(ROOT, f)}:${i + 1}: ${m[1]}`);
      });
    }
    expect(missing).toEqual([]);
  });

  it('in docs/architecture.md', () => {
    const text = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const cited = [...text.matchAll(CITE)].map((m) => m[1]!);
    expect(cited.length).toBeGreaterThan(20);
    expect(cited.filter((p) => !exists(p))).toEqual([]);
  });
});
