import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectedToPeers, describeDrbdState, drbdStuck, parseDrbdadmStatus, peerConnected } from '../../src/probes/drbd-status.js';
import { trixie } from '../helpers/lab-trixie.js';

const cap = (rel: string) => readFileSync(join(import.meta.dirname, '../fixtures/lab-captures', rel), 'utf8');
/** Captures of the project lab (test/fixtures/apply/fence-handler/SOURCE.md). */
const fenced = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/apply/fence-handler', name), 'utf8');

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

describe('describeDrbdState and drbdStuck: what the final DRBD verify says, and when waiting cannot help', () => {
  const one = (text: string) => parseDrbdadmStatus(text)[0] ?? null;

  it('a resync after a reconnect: the peer, the replication state, the percentage; worth waiting for', () => {
    // The CI run of 2026-11-27: a one-shot verify saw this and failed the apply.
    const s = one(fenced('drbdadm_status.ci-syncsource-100.lab1.txt'));
    expect(describeDrbdState(s, 'nfsdata')).toEqual(['peer peer: SyncSource, 100.00% done, its disk Inconsistent']);
    expect(drbdStuck(s, 'nfsdata')).toBeNull();
    const target = one(fenced('drbdadm_status.ci-outdated-wfbitmapt.lab2.txt'));
    expect(describeDrbdState(target, 'nfsdata')).toEqual(['local disk: Outdated', 'peer peer: WFBitMapT, its disk UpToDate']);
    expect(drbdStuck(target, 'nfsdata')).toBeNull();
  });

  it('a peer that is not connected, and a resource that is not up', () => {
    const s = one(fenced('drbdadm_status.fenced.lab2.txt'));
    expect(describeDrbdState(s, 'nfsdata')).toEqual(['peer peer: not connected (Connecting)']);
    expect(drbdStuck(s, 'nfsdata')).toBeNull();
    expect(describeDrbdState(null, 'nfsdata')).toEqual(['nfsdata is not up on this node (drbdadm status does not list it)']);
  });

  it('StandAlone (split brain) and a detached disk are stuck: waiting does not cure them', () => {
    const sb = one(cap('drbd-streams/drbdadm_status.split-brain-standalone.node1.txt'));
    expect(describeDrbdState(sb, 'r0')).toEqual(['r0 is StandAlone: not connected to its peer and not trying to connect']);
    expect(drbdStuck(sb, 'r0')!.next).toMatch(/does not reconnect a StandAlone resource by itself.*drbdadm connect r0/);
    for (const f of ['drbd-streams/drbdadm_status.node2-diskless.node1.txt', 'drbd-streams/drbdadm_status.node2-diskless.node2.txt']) {
      const d = drbdStuck(one(cap(f)), 'r0');
      expect(d, f).not.toBeNull();
      expect(d!.next, f).toMatch(/detached \(Diskless\)/);
    }
    expect(drbdStuck(one(cap('manual-run/drbdadm_status.uptodate.node1.txt')), 'r0')).toBeNull();
  });
});

describe('drbdadm status of drbd-utils 9.22 on the Debian 13 lab (test/fixtures/lab-trixie)', () => {
  it('reads both nodes of the running cluster: lab2 Primary, lab1 Secondary, Established and UpToDate', () => {
    const [active] = parseDrbdadmStatus(trixie('running', 'drbdadm_status.lab2.txt'));
    expect(active).toEqual({ name: 'nfsdata', role: 'Primary', disk: 'UpToDate', peers: [{ name: 'peer', role: 'Secondary', connection: null, replication: 'Established', peerDisk: 'UpToDate', done: null }] });
    const [passive] = parseDrbdadmStatus(trixie('running', 'drbdadm_status.lab1.txt'));
    expect(passive).toMatchObject({ role: 'Secondary', disk: 'UpToDate', peers: [{ role: 'Primary', replication: 'Established' }] });
    expect(connectedToPeers(active!) && connectedToPeers(passive!)).toBe(true);
  });

  it('reads the survivor after the failover: Primary, its peer Connecting, not connected', () => {
    const [r] = parseDrbdadmStatus(trixie('failed-over', 'drbdadm_status.lab1.txt'));
    expect(r).toMatchObject({ name: 'nfsdata', role: 'Primary', disk: 'UpToDate', peers: [{ name: 'peer', connection: 'Connecting', replication: null }] });
    expect(peerConnected(r!.peers[0]!)).toBe(false);
    expect(connectedToPeers(r!)).toBe(false);
  });
});
