import { describe, expect, it } from 'vitest';
import { exportEntries, exportOptions, renderExportsLines } from '../../src/generate/exports.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { validateExports, validateExportsText } from '../helpers/validators/exportfs.js';

describe.each(EXAMPLE_FILES)('exports of %s', (file) => {
  it('pass exportfs -ra with no complaint, each with its stable fsid', async () => {
    const { answers: a } = await loadExample(file);
    const v = validateExports(a);
    expect(v.ok, v.output).toBe(true);
    const etab = v.etab.trim().split('\n');
    const entries = exportEntries(a);
    expect(etab).toHaveLength(entries.length);
    for (const e of entries) {
      const line = etab.find((l) => l.startsWith(`${e.path}\t${e.clients}(`));
      expect(line, `${e.path} ${e.clients} not in etab:\n${v.etab}`).toBeDefined();
      expect(line).toMatch(new RegExp(`[(,]fsid=${e.fsid}[,)]`));
      for (const o of e.options.split(',')) expect(line).toMatch(new RegExp(`[(,]${o}[,)]`));
    }
  });

  it('renders one line per export from exportEntries (one source with the Pacemaker exportfs resources)', async () => {
    const { answers: a } = await loadExample(file);
    const entries = exportEntries(a);
    expect(entries.map((e) => e.fsid)).toEqual(entries.map((_, i) => i + 1));
    expect(renderExportsLines(a)).toBe(entries.map((e) => `${e.path} ${e.clients}(${exportOptions(e)})\n`).join(''));
  });
});

describe('exportfs validation bites', () => {
  it('fails the world-export typo (a space before the options) although exportfs exits 0', () => {
    const v = validateExportsText('/srv/nfs/export 192.168.1.0/24 (rw,sync,no_subtree_check)\n');
    expect(v.ok).toBe(false);
    expect(v.output).toContain('exportfs:');
  });

  it('fails an unknown option', () => {
    expect(validateExportsText('/srv/nfs/export 192.168.1.0/24(rw,bogus)\n').ok).toBe(false);
  });
});
