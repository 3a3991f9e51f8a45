import { describe, expect, it } from 'vitest';
import { parseExportfsV, parseShowmountE, parseSystemctlIsActive } from '../../src/probes/nfs.js';
import { fixture } from '../helpers/monitor-fixtures.js';
import { trixie } from '../helpers/lab-trixie.js';

describe('NFS parsers (real lab captures)', () => {
  it('exportfs -v on the active node', () => {
    expect(parseExportfsV(fixture('exportfs_v.active.node2.txt'))).toEqual([
      { path: '/srv/nfs', clients: [{ client: '192.168.100.0/24', options: ['sync', 'wdelay', 'hide', 'no_subtree_check', 'fsid=1', 'sec=sys', 'rw', 'secure', 'no_root_squash', 'no_all_squash'] }] },
    ]);
  });

  it('exportfs -v with nothing exported (passive node) is empty', () => {
    expect(parseExportfsV(fixture('exportfs_v.passive.node1.txt'))).toEqual([]);
  });

  it('showmount -e through the virtual IP, and with NFS stopped', () => {
    expect(parseShowmountE(fixture('showmount_e_192.168.100.10.from-passive.node1.txt'))).toEqual({ ok: true, host: '192.168.100.10', exports: [{ path: '/srv/nfs', clients: ['192.168.100.0/24'] }] });
    expect(parseShowmountE(fixture('showmount_e.bare-nfs-stopped.node1.txt'))).toEqual({ ok: false, error: 'clnt_create: RPC: Program not registered' });
  });

  it('systemctl is-active of several units, in order', () => {
    expect(parseSystemctlIsActive(fixture('systemctl_is-active_nfs-server_corosync_pacemaker.active.node2.txt'), ['nfs-server', 'corosync', 'pacemaker'])).toEqual({ 'nfs-server': 'active', corosync: 'active', pacemaker: 'active' });
    expect(parseSystemctlIsActive(fixture('systemctl_is-active_nfs-server_corosync_pacemaker.bare.node1.txt'), ['nfs-server', 'corosync', 'pacemaker'])).toEqual({ 'nfs-server': 'inactive', corosync: 'inactive', pacemaker: 'inactive' });
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie, nfs-utils 2.8.3)', () => {
  const UNITS = ['nfs-server', 'corosync', 'pacemaker'];

  it('reads the export on the active node only, with the options nfs-utils 2.8 prints', () => {
    expect(parseExportfsV(trixie('running', 'exportfs_v.lab2.txt'))).toEqual([
      { path: '/srv/nfs/export', clients: [{ client: '192.168.101.0/24', options: ['sync', 'wdelay', 'hide', 'no_subtree_check', 'fsid=1', 'sec=sys', 'rw', 'secure', 'no_root_squash', 'no_all_squash'] }] },
    ]);
    expect(parseExportfsV(trixie('running', 'exportfs_v.lab1.txt'))).toEqual([]);
    expect(parseExportfsV(trixie('failed-over', 'exportfs_v.lab1.txt')).map((e) => e.path)).toEqual(['/srv/nfs/export']);
  });

  it('reads which units run and which start at boot (Pacemaker owns nfs-server: disabled)', () => {
    expect(parseSystemctlIsActive(trixie('running', 'systemctl_is-active_nfs-server_corosync_pacemaker.lab1.txt'), UNITS)).toEqual({ 'nfs-server': 'inactive', corosync: 'active', pacemaker: 'active' });
    expect(parseSystemctlIsActive(trixie('running', 'systemctl_is-active_nfs-server_corosync_pacemaker.lab2.txt'), UNITS)['nfs-server']).toBe('active');
    expect(parseSystemctlIsActive(trixie('failed-over', 'systemctl_is-active_nfs-server_corosync_pacemaker.lab1.txt'), UNITS)['nfs-server']).toBe('active');
    expect(parseSystemctlIsActive(trixie('running', 'systemctl_is-enabled_nfs-server_corosync_pacemaker.lab2.txt'), UNITS)).toEqual({ 'nfs-server': 'disabled', corosync: 'enabled', pacemaker: 'enabled' });
  });

  it('reads showmount -e of the virtual IP from either node', () => {
    for (const f of ['showmount_e_vip.lab1.txt', 'showmount_e_vip.lab2.txt']) {
      expect(parseShowmountE(trixie('running', f))).toEqual({ ok: true, host: '192.168.101.100', exports: [{ path: '/srv/nfs/export', clients: ['192.168.101.0/24'] }] });
    }
  });
});
