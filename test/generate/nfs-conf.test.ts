import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/schema.js';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import {
  FSIDD_DROPIN_PATH, NFS_SCOPE_DROPIN_PATH, NFSD_GRACE_SECONDS, NFSD_LEASE_SECONDS, NFSDCLD_DROPIN_PATH, RPC_NFSD, STATD_DIR, renderFsiddDropin, renderNfsConf, renderNfsdcldDropin, renderNfsScopeDropin,
} from '../../src/generate/nfs-conf.js';
import { hostAddress } from '../../src/answers/derived.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { validateNfsConf } from '../helpers/validators/nfsconf.js';

describe.each(EXAMPLE_FILES)('renderNfsConf(%s)', (file) => {
  it('parses cleanly with nfsconf and enables exactly the chosen versions', async () => {
    const { answers: a } = await loadExample(file);
    const v = validateNfsConf(renderNfsConf(a));
    expect(v.ok, v.output).toBe(true);
    expect(v.values['nfsd.vers2']).toBe('n');
    expect(v.values['nfsd.vers3']).toBe(a.nfs.versions.includes(3) ? 'y' : 'n');
    expect(v.values['nfsd.vers4']).toBe(a.nfs.versions.includes(4) ? 'y' : 'n');
  });
});

describe('renderNfsConf versions', () => {
  it.each([[[3]], [[4]], [[3, 4]]] as const)('versions %j', async (versions) => {
    const { answers } = await loadExample('examples/answers.yaml');
    const a: Answers = { ...answers, nfs: { ...answers.nfs, versions: [...versions] } };
    const v = validateNfsConf(renderNfsConf(a));
    expect(v.ok, v.output).toBe(true);
    expect(v.values['nfsd.vers3']).toBe(versions.includes(3 as never) ? 'y' : 'n');
    expect(v.values['nfsd.vers4']).toBe(versions.includes(4 as never) ? 'y' : 'n');
    if (!versions.includes(4 as never)) expect(v.values['nfsd.vers4.1']).toBeUndefined();
    // The NFSv4 grace and lease times are NFSv4's: set with it, and the lease never above the grace.
    if (versions.includes(4 as never)) {
      expect(Number(v.values['nfsd.grace-time'])).toBe(NFSD_GRACE_SECONDS);
      expect(Number(v.values['nfsd.lease-time'])).toBe(NFSD_LEASE_SECONDS);
      expect(NFSD_LEASE_SECONDS).toBeLessThanOrEqual(NFSD_GRACE_SECONDS);
      expect(NFSD_LEASE_SECONDS).toBeGreaterThanOrEqual(10); // nfsd refuses lease/grace times under 10 s
    } else {
      expect(v.values['nfsd.grace-time']).toBeUndefined();
    }
    // NFSv3: statd keeps its lists where ocf:heartbeat:nfsnotify hands them to sm-notify (its fixed
    // /var/lib/nfs/statd), and does not notify by itself at its start (docs/ha-tuning.md, NFSv3 locks).
    if (versions.includes(3 as never)) {
      expect(STATD_DIR).toBe('/var/lib/nfs/statd');
      expect(v.values['statd.state-directory-path']).toBe(STATD_DIR);
      expect(v.values['statd.no-notify']).toBe('1');
    } else {
      expect(v.values['statd.state-directory-path']).toBeUndefined();
      expect(v.values['statd.no-notify']).toBeUndefined();
    }
  });

  it('validation bites: nfsconf reports a broken section header', () => {
    expect(validateNfsConf('[nfsd\nvers3=n\n').ok).toBe(false);
  });
});

describe('renderNfsdcldDropin', () => {
  it('ties nfsdcld to nfs-server: a stop of the server stops it, nothing else changes', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    const text = renderNfsdcldDropin(answers);
    expect(NFSDCLD_DROPIN_PATH).toBe('/etc/systemd/system/nfsdcld.service.d/hanfs.conf');
    // One [Unit] section with PartOf=nfs-server.service, nothing that would change how nfsdcld starts.
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toEqual(['[Unit]', 'PartOf=nfs-server.service']);
  });

  it('ties fsidd (Debian 13) to nfs-server the same way: its database lives in the replicated state directory', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    expect(FSIDD_DROPIN_PATH).toBe('/etc/systemd/system/fsidd.service.d/hanfs.conf');
    const lines = renderFsiddDropin(answers).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toEqual(['[Unit]', 'PartOf=nfs-server.service']);
  });

  it('starts nfsd with the virtual IP as its host name (the NFSv4 server scope), the node keeping its own', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    const vip = hostAddress(answers.virtualIp.address);
    expect(NFS_SCOPE_DROPIN_PATH).toBe('/etc/systemd/system/nfs-server.service.d/hanfs-scope.conf');
    const lines = renderNfsScopeDropin(answers).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    // The distribution's ExecStart is reset, then replaced by one that runs rpc.nfsd itself.
    expect(lines.slice(0, 2)).toEqual(['[Service]', 'ExecStart=']);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`exec ${RPC_NFSD}'`);
    // The same line with hostname(1) in rpc.nfsd's place, run for real: it prints the name nfsd would
    // see. The line has no $ or backslash, so sh splits it exactly as systemd does.
    const probe = renderNfsScopeDropin(answers, '/usr/bin/hostname').split('\n').find((l) => l.startsWith('ExecStart=/'))!;
    const seen = execFileSync('/bin/sh', ['-c', probe.slice('ExecStart='.length)], { encoding: 'utf8' }).trim();
    expect(seen).toBe(vip);
    expect(hostname()).not.toBe(vip);
    expect(execFileSync('hostname', { encoding: 'utf8' }).trim()).toBe(hostname());
  });
});
