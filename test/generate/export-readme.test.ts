import { describe, expect, it } from 'vitest';
import { renderExportReadme } from '../../src/generate/export-readme.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';

describe.each(EXAMPLE_FILES)('renderExportReadme(%s)', (file) => {
  it('lists every warning by field, every export, the files and the order, and no secret', async () => {
    const { answers: a, warnings } = await loadExample(file);
    const text = renderExportReadme(a, warnings);
    for (const w of warnings) expect(text).toContain(`\`${w.path}\`: ${w.message}`);
    for (const e of a.nfs.exports) expect(text).toContain(`\`${e.path}\` to \`${e.clients}\``);
    expect(text).toContain(`/etc/drbd.d/${a.drbd.resource}.res`);
    expect(text).toContain('cluster/cib.xml');
    expect(text).toMatch(/## Applying by hand[\s\S]*1\. [\s\S]*2\. [\s\S]*6\. /);
    // Secrets: a literal DRBD secret and STONITH passwords never reach the README.
    if (a.drbd.secret !== 'generate') expect(text).not.toContain(a.drbd.secret);
    const st = a.pacemaker.stonith;
    if (st !== 'none' && 'nodes' in st) {
      for (const params of Object.values(st.nodes)) {
        for (const [key, value] of Object.entries(params)) if (/pass|secret|key/.test(key)) expect(text).not.toContain(value);
      }
    }
  });

  it('warns LOUDLY exactly when there is no STONITH', async () => {
    const { answers: a, warnings } = await loadExample(file);
    const text = renderExportReadme(a, warnings);
    if (a.pacemaker.stonith === 'none') {
      expect(text).toMatch(/^> \*\*WARNING: NO STONITH \(FENCING\) IS CONFIGURED\.\*\*$/m);
      // Before anything else an admin reads: ahead of the file list.
      expect(text.indexOf('NO STONITH')).toBeLessThan(text.indexOf('## Files'));
    } else {
      expect(text).not.toContain('NO STONITH');
    }
  });
});

describe('renderExportReadme stonith', () => {
  it('shows the stonith warning for the example (stonith: none) and not once one is configured', async () => {
    const none = await loadExample('examples/answers.yaml');
    expect(renderExportReadme(none.answers, none.warnings)).toContain('NO STONITH');
    const ipmi = await loadExample('examples/varied/nfs3-stay-fence-ipmilan.yaml');
    expect(renderExportReadme(ipmi.answers, ipmi.warnings)).not.toContain('NO STONITH');
  });
});
