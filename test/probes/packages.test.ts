import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { NEEDED_PACKAGES, dpkgQueryArgv, installCommand, packageFamily, packageNames, parseDpkgQuery } from '../../src/probes/packages.js';
import { fixture } from './fixture.js';
import { trixie } from '../helpers/lab-trixie.js';

const names = [...NEEDED_PACKAGES];

describe('packages', () => {
  it('lab node: all installed, nothing to install', () => {
    const p = parseDpkgQuery(fixture('dpkg-query_W.bare.node1.txt'), names);
    expect(p.every((x) => x.installed)).toBe(true);
    expect(p.find((x) => x.name === 'resource-agents')!.version).toBe('1:4.12.0-2');
    expect(installCommand('debian', p)).toBeNull();
  });

  it('this machine without lvm2 (dpkg-query exit 1): lvm2 missing, install argv for apt', () => {
    const p = parseDpkgQuery(fixture('dpkg-query_W.this-machine.txt'), names);
    expect(p.filter((x) => !x.installed).map((x) => x.name)).toEqual(['lvm2']);
    expect(installCommand('debian', p)).toEqual(['apt-get', 'install', '-y', '--no-install-recommends', 'lvm2']);
  });

  it('the argv is the one the lab ran (format as one word, \\n for dpkg to expand)', () => {
    const argv = dpkgQueryArgv(names);
    expect(argv[2]).toBe('-f=${Package} ${Status} ${Version}\\n');
    // And it really works with the real dpkg-query here, giving the same lines as the capture above.
    let out = '';
    try {
      out = execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) {
      out = (e as { stdout: string }).stdout;
    }
    expect(parseDpkgQuery(out, names).find((x) => x.name === 'corosync')).toBeDefined();
    expect(out.split('\n')[0]).toMatch(/^\S+ \S+ \S+ \S+/);
  });

  it('families and their names', () => {
    expect(packageFamily({ id: 'debian', versionId: '12', prettyName: '', like: [] })).toBe('debian');
    expect(packageFamily({ id: 'ubuntu', versionId: '24.04', prettyName: '', like: ['debian'] })).toBe('debian');
    expect(packageFamily({ id: 'rocky', versionId: '9', prettyName: '', like: ['rhel', 'centos', 'fedora'] })).toBe('rhel');
    expect(packageFamily({ id: 'opensuse-leap', versionId: '15.6', prettyName: '', like: ['suse', 'opensuse'] })).toBe('suse');
    expect(packageFamily({ id: 'arch', versionId: null, prettyName: '', like: [] })).toBeNull();
    expect(packageNames('rhel')).toEqual(['drbd9x-utils', 'pacemaker', 'pacemaker-cli', 'corosync', 'resource-agents', 'nfs-utils', 'mdadm', 'lvm2']);
    const missing = packageNames('rhel').map((name) => ({ name, installed: name !== 'nfs-utils', version: null }));
    expect(installCommand('rhel', missing)).toEqual(['dnf', 'install', '-y', 'nfs-utils']);
    expect(installCommand(null, missing)).toBeNull();
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie)', () => {
  it("reads trixie's versions: Pacemaker 3.0, drbd-utils 9.22, nfs-utils 2.8; nothing to install", () => {
    const pk = parseDpkgQuery(trixie('running', 'dpkg-query_W.lab1.txt'), packageNames('debian'));
    expect(Object.fromEntries(pk.map((p) => [p.name, p.version]))).toEqual({
      'drbd-utils': '9.22.0-1.1',
      pacemaker: '3.0.0-2',
      'pacemaker-cli-utils': '3.0.0-2',
      corosync: '3.1.9-2+deb13u1',
      'resource-agents': '1:4.16.0-3+deb13u2',
      'nfs-kernel-server': '1:2.8.3-1',
      mdadm: '4.4-11+deb13u1',
      lvm2: '2.03.31-2',
    });
    expect(pk.every((p) => p.installed)).toBe(true);
    expect(installCommand('debian', pk)).toBeNull();
    // The capture also asked for nfs-common and xfsprogs: their lines are there when asked for.
    expect(parseDpkgQuery(trixie('failed-over', 'dpkg-query_W.lab1.txt'), ['xfsprogs'])).toEqual([{ name: 'xfsprogs', installed: true, version: '6.13.0-2+deb13u1' }]);
  });
});
