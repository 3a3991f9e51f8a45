// Every file of an exported tree checked by the real tool that reads it in production, for the example
// answers and each varied one (issue 2, point 6): the tree as `export` writes it, not the generators'
// strings, so what an admin copies by hand is what was validated.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAnswersText } from '../../src/answers/load.js';
import { exportTo, answerFiles } from '../helpers/export-cli.js';
import { validateDrbdRes } from '../helpers/validators/drbd.js';
import { validateCorosyncConf } from '../helpers/validators/corosync.js';
import { validateMdadmConf } from '../helpers/validators/mdadm.js';
import { validateNfsConf } from '../helpers/validators/nfsconf.js';
import { validateShellScript } from '../helpers/validators/shell.js';
import { validateUnits, validateCalendar } from '../helpers/validators/systemd.js';
import { validateExports } from '../helpers/validators/exportfs.js';
import { validateCib } from '../helpers/validators/pacemaker.js';
import { NFS_SCOPE_DROPIN_PATH, NFSDCLD_DROPIN_PATH } from '../../src/generate/nfs-conf.js';

describe.each(answerFiles)('exported tree of %s passes every validator', (file) => {
  const loaded = parseAnswersText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${file} must be valid`);
  const a = loaded.answers;
  const out = join(mkdtempSync(join(tmpdir(), 'hanfs-validate-')), 'out');
  const read = (p: string) => readFileSync(join(out, p), 'utf8');

  it('exports', () => {
    const r = exportTo(file, out);
    expect(r.status, r.stderr).toBe(0);
  });

  it.each(a.nodes.map((n) => n.name))('%s: drbdadm parses the resource as this node', (node) => {
    const v = validateDrbdRes(read(`${node}/etc/drbd.d/${a.drbd.resource}.res`), node, a.drbd.version);
    expect(v.ok, v.output).toBe(true);
  });

  it.each(a.nodes.map((n) => n.name))('%s: corosync -t accepts corosync.conf as this node', (node) => {
    const v = validateCorosyncConf(read(`${node}/etc/corosync/corosync.conf`), node);
    expect(v.ok, v.output).toBe(true);
  });

  it.each(a.nodes.map((n) => n.name))('%s: mdadm, nfsconf and systemd-analyze accept the node files', (node) => {
    for (const v of [
      validateMdadmConf(read(`${node}/etc/mdadm/mdadm.conf`)),
      validateNfsConf(read(`${node}/etc/nfs.conf.d/hanfs.conf`)),
      validateShellScript(read(`${node}/usr/local/sbin/hanfs-snapshot`)),
      validateUnits(
        {
          'hanfs-snapshot.service': read(`${node}/etc/systemd/system/hanfs-snapshot.service`),
          'hanfs-snapshot.timer': read(`${node}/etc/systemd/system/hanfs-snapshot.timer`),
        },
        { '/usr/local/sbin/hanfs-snapshot': read(`${node}/usr/local/sbin/hanfs-snapshot`) },
      ),
    ]) {
      expect(v.ok, v.output).toBe(true);
    }
  });

  it.each(a.nodes.map((n) => n.name))('%s: systemd-analyze accepts nfsdcld.service with the exported drop-in', (node) => {
    // The distribution's own nfsdcld.service (nfs-kernel-server, installed by test/setup) with our drop-in
    // beside it, as systemd reads it on the node.
    const v = validateUnits(
      {
        'nfsdcld.service': readFileSync('/lib/systemd/system/nfsdcld.service', 'utf8'),
        'nfsdcld.service.d/hanfs.conf': read(`${node}${NFSDCLD_DROPIN_PATH}`),
      },
      {},
    );
    expect(v.ok, v.output).toBe(true);
  });

  it.each(a.nodes.map((n) => n.name))('%s: systemd-analyze accepts nfs-server.service with the exported scope drop-in', (node) => {
    // The distribution's own nfs-server.service (nfs-kernel-server, installed by test/setup) with our
    // drop-in beside it: the reset ExecStart= and the unshare line must be what systemd accepts.
    const v = validateUnits(
      {
        'nfs-server.service': readFileSync('/lib/systemd/system/nfs-server.service', 'utf8'),
        'nfs-server.service.d/hanfs-scope.conf': read(`${node}${NFS_SCOPE_DROPIN_PATH}`),
      },
      {},
    );
    expect(v.ok, v.output).toBe(true);
  });

  it('the snapshot schedule is a calendar expression systemd accepts', () => {
    const v = validateCalendar(a.backups.snapshots.schedule);
    expect(v.ok, v.output).toBe(true);
  });

  it('exportfs accepts the exports', () => {
    const v = validateExports(a);
    expect(v.ok, v.output).toBe(true);
  });

  it('bash -n and shellcheck accept the plan and pcs scripts', () => {
    for (const p of [...a.nodes.map((n) => `plan/${n.name}.sh`), 'cluster/setup-pcs.sh']) {
      const v = validateShellScript(read(p));
      expect(v.ok, `${p}\n${v.output}`).toBe(true);
    }
  });

  it('xmllint, crm_verify and the agents metadata accept cluster/cib.xml', async () => {
    expect(await validateCib(read('cluster/cib.xml'))).toEqual([]);
  });
});
