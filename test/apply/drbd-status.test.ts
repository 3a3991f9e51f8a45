import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectedToPeers, parseDrbdadmStatus, peerConnected } from '../../src/apply/drbd-status.js';

const cap = (rel: string) => readFileSync(join('/work/shared/lab-captures', rel), 'utf8');

describe('parseDrbdadmStatus (real drbdadm status outputs, DRBD 8.4 through drbd-utils 9)', () => {
  it('a connected UpToDate pair', () => {
    expect(parseDrbdadmStatus(cap('manual-run/drbdadm_status.uptodate.node1.txt'))).toEqual([
      { name: 'r0', role: 'Primary', disk: 'UpToDate', peers: [{ name: 'peer', role: 'Secondary', connection: null, replication: 'Established', peerDisk: 'UpToDate', done: null }] },
    ]);
  });
  it('an initial sync in progress, with its percentage', () => {
    const [r] = parseDrbdadmStatus(cap('drbd-streams/drbdadm_status.initial-syncsource.node1.txt'));
    expect(r!.peers[0]).toMatchObject({ replication: 'SyncSource', peerDisk: 'Inconsistent', done: 92.02 });
    expect(peerConnected(r!.peers[0]!)).toBe(true);
  });
  it('a lost peer and a split brain are not connected', () => {
    for (const f of ['drbd-streams/drbdadm_status.peer-lost-wfconnection.node1.txt', 'drbd-streams/drbdadm_status.split-brain-standalone.node1.txt']) {
      const [r] = parseDrbdadmStatus(cap(f));
      expect(r, f).toBeDefined();
      expect(connectedToPeers(r!), f).toBe(false);
    }
  });
  it('no resource: nothing parsed from the error text', () => {
    expect(parseDrbdadmStatus(cap('bare-nodes/drbdadm_status.bare-module-loaded-no-resource.node1.txt'))).toEqual([]);
  });
});
