// The plan script's "load the Pacemaker configuration" lines, run for real: cibadmin against an empty
// CIB file (CIB_file) from inside an exported tree, must yield the configuration of cluster/cib.xml —
// and the script itself must not carry the fence credentials that cib.xml holds.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportTo } from '../helpers/export-cli.js';
import { emptyCib, normalizeCib } from '../helpers/validators/pacemaker.js';
import { cibSection, elementSignatures } from '../../src/generate/cib-merge.js';

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

describe('plan script CIB load on a cluster whose DRBD fence-peer handler has placed its constraint', () => {
  it('refuses to replace the constraints (it would drop the handler\'s), leaving the CIB as it was', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hanfs-plan-cib-')), 'out');
    expect(exportTo('examples/answers.yaml', out).status).toBe(0);
    const line = readFileSync(join(out, 'plan/nfs1.sh'), 'utf8').split('\n').find((l) => l.includes('cibadmin "$3"') && l.endsWith(' constraints cluster/cib.xml --replace'))!;
    // The lab's live CIB with the handler's constraint (test/fixtures/apply/fence-handler/SOURCE.md).
    const cibFile = join(mkdtempSync(join(tmpdir(), 'hanfs-plan-cib-')), 'cib.xml');
    copyFileSync(join(import.meta.dirname, '../fixtures/apply/fence-handler/cibadmin_Q.fenced.lab2.xml'), cibFile);
    const before = readFileSync(cibFile, 'utf8');
    const r = spawnSync('bash', ['-c', line], { cwd: out, encoding: 'utf8', env: { ...process.env, CIB_file: cibFile } });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^refusing to replace the constraints: the DRBD fence-peer handler placed one/);
    expect(readFileSync(cibFile, 'utf8')).toBe(before);
    // Once the handler removed it (crm-unfence-peer.sh's cibadmin -D), the same line loads ours.
    const del = spawnSync('cibadmin', ['-D', '-X', '<rsc_location rsc="cl_drbd_nfsdata" id="drbd-fence-by-handler-nfsdata-cl_drbd_nfsdata"/>'], { encoding: 'utf8', env: { ...process.env, CIB_file: cibFile } });
    expect(del.status, del.stderr).toBe(0);
    // And one of ours removed by hand, so that the load is visible (the lab's constraints are the example's).
    const own = spawnSync('cibadmin', ['-D', '-X', '<rsc_location id="loc_nfs_needs_ping"/>'], { encoding: 'utf8', env: { ...process.env, CIB_file: cibFile } });
    expect(own.status, own.stderr).toBe(0);
    expect(readFileSync(cibFile, 'utf8')).not.toMatch(/loc_nfs_needs_ping/);
    const again = spawnSync('bash', ['-c', line], { cwd: out, encoding: 'utf8', env: { ...process.env, CIB_file: cibFile } });
    expect(again.status, again.stderr).toBe(0);
    const loaded = elementSignatures(cibSection(readFileSync(cibFile, 'utf8'), 'constraints')!);
    expect(loaded).toEqual(elementSignatures(cibSection(readFileSync(join(out, 'cluster/cib.xml'), 'utf8'), 'constraints')!));
    expect(loaded.join('\n')).toMatch(/loc_nfs_needs_ping/);
    expect(loaded.join('\n')).not.toMatch(/drbd-fence-by-handler/);
  });
});
