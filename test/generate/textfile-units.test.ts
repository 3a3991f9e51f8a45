// The export's hanfs-monitor-textfile.service and .timer: systemd-analyze verify accepts them as
// exported, and the service writes the textfile atomically (temporary file, then rename).
import { describe, expect, it } from 'vitest';
import { buildExportFiles } from '../../src/generate/export-layout.js';
import { generateSecrets } from '../../src/generate/secrets.js';
import { DEB_BIN, TEXTFILE_DIR, renderTextfileService, renderTextfileTimer } from '../../src/generate/textfile-units.js';
import { loadExample } from '../helpers/example-answers.js';
import { validateUnits } from '../helpers/validators/systemd.js';

describe('hanfs-monitor-textfile units in the export', () => {
  it('are in the export (monitor/, not installed by apply) and pass systemd-analyze verify', async () => {
    const { answers: a, warnings } = await loadExample('examples/answers.yaml');
    const files = buildExportFiles(a, warnings, generateSecrets(a));
    const get = (p: string) => files.find((f) => f.path === p);
    const service = get('monitor/hanfs-monitor-textfile.service');
    const timer = get('monitor/hanfs-monitor-textfile.timer');
    expect(service).toMatchObject({ node: null, mode: 0o644, secret: false });
    expect(String(service?.content)).toContain('monitor --prometheus');
    expect(String(timer?.content)).toMatch(/^OnUnitActiveSec=1min$/m);
    const v = validateUnits({ 'hanfs-monitor-textfile.service': String(service?.content), 'hanfs-monitor-textfile.timer': String(timer?.content) }, {});
    expect(v.ok, v.output).toBe(true);
  });

  it('writes a temporary file and renames it, so a scrape never reads half a file', () => {
    const exec = /^ExecStart=(.*)$/m.exec(renderTextfileService())![1]!;
    expect(exec).toBe(`/bin/sh -c '/usr/local/bin/hanfs-wizard monitor --prometheus > ${TEXTFILE_DIR}/hanfs.prom.tmp && mv -f ${TEXTFILE_DIR}/hanfs.prom.tmp ${TEXTFILE_DIR}/hanfs.prom'`);
  });

  it('the Debian package ships the same pair for /usr/bin/hanfs-wizard, which systemd-analyze verify accepts', () => {
    const service = renderTextfileService(DEB_BIN);
    expect(/^ExecStart=(.*)$/m.exec(service)![1]).toContain("'/usr/bin/hanfs-wizard monitor --prometheus >");
    const v = validateUnits({ 'hanfs-monitor-textfile.service': service, 'hanfs-monitor-textfile.timer': renderTextfileTimer() }, {});
    expect(v.ok, v.output).toBe(true);
  });
});
