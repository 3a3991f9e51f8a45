import { describe, expect, it } from 'vitest';
import { parseProcDrbd } from '../../src/probes/proc-drbd.js';
import { fixture } from '../helpers/monitor-fixtures.js';
import { trixie } from '../helpers/lab-trixie.js';

describe('parseProcDrbd (DRBD 8.4.11, real lab captures)', () => {
  it('reads a resync in progress with percent, totals, finish and speed', () => {
    const r = parseProcDrbd(fixture('proc_drbd.syncsource.node1.txt'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.version).toBe('8.4.11');
    expect(r.devices[0]).toMatchObject({
      minor: 0, cstate: 'SyncSource', role: 'Primary', peerRole: 'Secondary', disk: 'UpToDate', peerDisk: 'Inconsistent', protocol: 'C', oosKiB: 165844,
      sync: { kind: 'sync', percent: 20, remainingKiB: 165844, totalKiB: 204756, finishSec: 8, speedKiBs: 19456 },
    });
  });

  it('reads StandAlone without a protocol letter, and oos', () => {
    const r = parseProcDrbd(fixture('proc_drbd.split-brain-standalone.node2.txt'));
    expect(r.ok && r.devices[0]).toMatchObject({ cstate: 'StandAlone', role: 'Primary', peerRole: 'Unknown', disk: 'UpToDate', peerDisk: 'DUnknown', protocol: null, oosKiB: 2048, sync: null });
  });

  it('reads WFConnection after the peer was lost with writes pending', () => {
    const r = parseProcDrbd(fixture('proc_drbd.peer-lost-after-writes.node1.txt'));
    expect(r.ok && r.devices[0]).toMatchObject({ cstate: 'WFConnection', oosKiB: 24576, counters: { ns: 204756, dw: 24576 } });
  });

  it('a loaded module without resources has a version and no devices', () => {
    expect(parseProcDrbd(fixture('proc_drbd.bare-module-loaded-no-resource.node1.txt'))).toEqual({ ok: true, version: '8.4.11', devices: [] });
  });

  it('a missing module is an error, not an exception', () => {
    expect(parseProcDrbd(fixture('proc_drbd.module-not-loaded.node1.txt'))).toMatchObject({ ok: false });
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie)', () => {
  it('reads the passive node of the running cluster: Connected Secondary/Primary, UpToDate on both', () => {
    const r = parseProcDrbd(trixie('running', 'proc_drbd.lab1.txt'));
    if (!r.ok) throw new Error(r.error);
    expect(r.version).toBe('8.4.11');
    expect(r.devices).toEqual([expect.objectContaining({ minor: 0, cstate: 'Connected', role: 'Secondary', peerRole: 'Primary', disk: 'UpToDate', peerDisk: 'UpToDate', protocol: 'C', oosKiB: 0, sync: null })]);
    const active = parseProcDrbd(trixie('running', 'proc_drbd.lab2.txt'));
    expect(active.ok && active.devices.map((d) => [d.role, d.peerRole])).toEqual([['Primary', 'Secondary']]);
  });

  it('reads the survivor after the failover: Primary waiting for its peer, the peer Outdated, 3628 KiB out of sync', () => {
    const r = parseProcDrbd(trixie('failed-over', 'proc_drbd.lab1.txt'));
    if (!r.ok) throw new Error(r.error);
    expect(r.devices).toEqual([expect.objectContaining({ cstate: 'WFConnection', role: 'Primary', peerRole: 'Unknown', disk: 'UpToDate', peerDisk: 'Outdated', oosKiB: 3628 })]);
  });
});
