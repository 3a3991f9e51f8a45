import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseAnswersText } from '../../src/answers/load.js';

describe('disks by name', () => {
  it('a kernel name loads, with a warning naming the field and what to give instead', () => {
    const doc = parse(readFileSync('examples/answers.yaml', 'utf8')) as { nodes: { name: string; disks: string[] }[] };
    doc.nodes[1]!.disks[0] = '/dev/sdb';
    const r = parseAnswersText(stringify(doc));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const w = r.warnings.filter((x) => x.path.includes('disks'));
    expect(w).toEqual([{ path: 'nodes[1].disks[0]', message: expect.stringMatching(/^\/dev\/sdb is not a \/dev\/disk\/by-id\/ name: .*\(ls -l \/dev\/disk\/by-id\/ on nfs2\)$/) }]);
  });

  it('the examples and the lab name every disk by id (no such warning)', () => {
    for (const f of ['examples/answers.yaml', ...readdirSync('examples/varied').map((x) => `examples/varied/${x}`), 'test/lab/lab-answers.yaml']) {
      const r = parseAnswersText(readFileSync(f, 'utf8'), f);
      expect(r.ok, f).toBe(true);
      if (r.ok) expect(r.warnings.filter((x) => x.path.includes('disks')), f).toEqual([]);
    }
  });
});
