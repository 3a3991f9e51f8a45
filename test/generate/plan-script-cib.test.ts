// The plan script's "load the Pacemaker configuration" lines, run for real: cibadmin against an empty
// CIB file (CIB_file) from inside an exported tree, must yield the configuration of cluster/cib.xml —
// and the script itself must not carry the fence credentials that cib.xml holds.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportTo } from '../helpers/export-cli.js';
import { emptyCib, normalizeCib } from '../helpers/validators/pacemaker.js';

describe.each(['examples/answers.yaml', 'examples/varied/nfs3-stay-fence-ipmilan.yaml'])('plan script CIB load of %s', (file) => {
  it('loads cluster/cib.xml section by section into an empty CIB', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hanfs-plan-cib-')), 'out');
    expect(exportTo(file, out).status).toBe(0);
    const plan = readFileSync(join(out, `plan/nfs1.sh`), 'utf8');
    const lines = plan.split('\n').filter((l) => l.includes('cibadmin "$3"'));
    expect(lines).toHaveLength(4);
    const cibFile = await emptyCib(mkdtempSync(join(tmpdir(), 'hanfs-plan-cib-')));
    for (const line of lines) {
      const r = spawnSync('bash', ['-c', line], { cwd: out, encoding: 'utf8', env: { ...process.env, CIB_file: cibFile } });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
    }
    const loaded = readFileSync(cibFile, 'utf8');
    expect(normalizeCib(loaded)).toEqual(normalizeCib(readFileSync(join(out, 'cluster/cib.xml'), 'utf8')));
    const verify = spawnSync('crm_verify', ['--xml-file', cibFile], { encoding: 'utf8' });
    expect(verify.status, verify.stderr).toBe(0);
    expect(plan).not.toMatch(/s3cret-ipmi/);
  });
});
