import { describe, expect, it } from 'vitest';
import { renderExportReadme } from '../../src/generate/export-readme.js';
import { renderNfsConf } from '../../src/generate/nfs-conf.js';
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

describe.each(EXAMPLE_FILES)('renderExportReadme(%s): clients', (file) => {
  it('tells clients to mount the virtual IP hard, with the reconnect bounds of the lease the server is given', async () => {
    const { answers: a, warnings } = await loadExample(file);
    const text = renderExportReadme(a, warnings);
    const vip = a.virtualIp.address.split('/')[0]!;
    const v4 = a.nfs.versions.includes(4);
    const mount = /^ {4}mount -t nfs -o (\S+) (\S+):(\S+) \/mnt$/m.exec(text);
    expect(mount?.[1]?.split(',')).toEqual([v4 ? 'vers=4.2' : 'vers=3', 'hard']);
    expect(mount?.[2]).toBe(vip);
    expect(a.nfs.exports.map((e) => e.path)).toContain(mount?.[3]);
    expect(text).not.toMatch(/-o [^\n]*\bsoft\b/);
    // The lease in the README is the one the server's nfs.conf sets; the client retries at most half of it apart.
    const lease = /^lease-time=(\d+)$/m.exec(renderNfsConf(a))?.[1];
    if (v4) {
      expect(lease).toBeDefined();
      expect(text).toContain(`by the server's lease (${lease} s here)`);
      expect(text).toContain(`waits at most ${Number(lease) / 2} s before the next attempt`);
    } else {
      expect(text).not.toContain('lease');
    }
  });
});
