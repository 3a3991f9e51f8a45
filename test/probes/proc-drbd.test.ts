import { describe, expect, it } from 'vitest';
import { parseProcDrbd } from '../../src/probes/proc-drbd.js';
import { fixture } from '../helpers/monitor-fixtures.js';

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
