import { describe, expect, it } from 'vitest';
import { parseExportfsV, parseShowmountE, parseSystemctlIsActive } from '../../src/probes/nfs.js';
import { fixture } from '../helpers/monitor-fixtures.js';

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
