import { describe, expect, it } from 'vitest';
import { parseEvents2, parseEvents2Line } from '../../src/probes/drbd-events2.js';
import { fixture, stream } from '../helpers/monitor-fixtures.js';
import { trixie } from '../helpers/lab-trixie.js';

describe('parseEvents2Line (DRBD 8.4 via drbd-utils 9, real lab streams)', () => {
  it('parses every line of every captured stream', () => {
    for (const s of ['initial-sync', 'peer-killed-restarted-resync', 'split-brain', 'detach-attach-secondary', 'pcmk-standby-failover', 'pcmk-active-killed-failover']) {
      for (const n of [1, 2] as const) {
        const { events, errors } = parseEvents2(fixture(stream(s, n)));
        expect(errors, `${s} node${n}`).toEqual([]);
        expect(events.length).toBeGreaterThan(4);
      }
    }
  });

  it('reads timestamp, object and statistics of a peer-device line', () => {
    const line = fixture(stream('initial-sync', 1)).split('\n').find((l) => l.includes('replication:SyncSource'))!;
    const r = parseEvents2Line(line);
    expect(r.ok).toBe(true);
    if (!r.ok || r.event.object !== 'peer-device') throw new Error('not a peer-device');
    expect(r.event.timestamp).toBe('2026-11-25T19:32:14.288334+00:00');
    expect(r.event.timeMs).toBe(Date.parse('2026-11-25T19:32:14.288334+00:00'));
    expect(r.event).toMatchObject({ action: 'change', name: 'r0', peerNodeId: 0, connName: 'peer', volume: 0, replication: 'SyncSource', outOfSyncKiB: 204756, sentKiB: 0 });
    expect(r.event.peerDisk).toBeUndefined();
  });

  it('keeps a change line without keys as a change with nothing set', () => {
    const r = parseEvents2Line('2026-11-25T19:32:40.989368+00:00 change connection name:r0 peer-node-id:0 conn-name:peer');
    expect(r.ok && r.event.object === 'connection' && r.event.connection).toBe(undefined);
    expect(r.ok && r.event.object).toBe('connection');
  });

  it('accepts the 8.4 StandAlone connection without conn-name (--now, no timestamps)', () => {
    const { events } = parseEvents2(fixture('drbdsetup_events2_now_statistics.split-brain-standalone.node1.txt'));
    const c = events.find((e) => e.object === 'connection');
    expect(c).toMatchObject({ action: 'exists', connection: 'StandAlone', connName: null, timestamp: null });
    expect(events[events.length - 1]).toMatchObject({ action: 'exists', object: '-' });
  });

  it('reads helper calls and responses with their status', () => {
    const { events } = parseEvents2(fixture(stream('split-brain', 1)));
    const helpers = events.filter((e) => e.object === 'helper');
    expect(helpers.map((h) => h.object === 'helper' && `${h.action} ${h.helper} ${h.status}`)).toEqual([
      'call initial-split-brain null', 'response initial-split-brain 0', 'call split-brain null', 'response split-brain 0',
    ]);
  });

  it('reads DRBD 9 done: and eta: (drbd-utils golden test output)', () => {
    const line = fixture('drbd9-utils-tests-events2-sync.test.txt').split('\n').find((l) => l.includes('eta:'))!;
    const r = parseEvents2Line(line);
    expect(r.ok && r.event.object === 'peer-device' && r.event).toMatchObject({ peerNodeId: 1, connName: 'some-peer', done: 37.5, etaSec: 10, outOfSyncKiB: 2500 });
  });

  it('returns errors as data for garbage', () => {
    expect(parseEvents2Line('hello world')).toMatchObject({ ok: false });
    expect(parseEvents2Line('change device volume:0')).toMatchObject({ ok: false, error: 'device line without name' });
    expect(parseEvents2Line('')).toMatchObject({ ok: false });
  });
});

describe('events2 of drbd-utils 9.22 on the Debian 13 lab (test/fixtures/lab-trixie)', () => {
  const objects = (text: string) => {
    const { events, errors } = parseEvents2(text);
    expect(errors).toEqual([]);
    return events;
  };

  it('parses every line of both nodes of the running cluster: Connected, Established, UpToDate', () => {
    for (const [n, role, peer] of [['lab1', 'Secondary', 'Primary'], ['lab2', 'Primary', 'Secondary']] as const) {
      const ev = objects(trixie('running', `drbdsetup_events2_now_statistics_all.${n}.txt`));
      expect(ev.map((e) => e.object)).toEqual(['resource', 'connection', 'device', 'peer-device', '-']);
      expect(ev.find((e) => e.object === 'resource')).toMatchObject({ name: 'nfsdata', role });
      expect(ev.find((e) => e.object === 'connection')).toMatchObject({ connection: 'Connected', role: peer });
      expect(ev.find((e) => e.object === 'device')).toMatchObject({ disk: 'UpToDate', minor: 0, sizeKiB: 413644 });
      expect(ev.find((e) => e.object === 'peer-device')).toMatchObject({ replication: 'Established', peerDisk: 'UpToDate', outOfSyncKiB: 0 });
    }
  });

  it('reads the survivor after the failover: Connecting, replication Off, the peer Outdated, 3768 KiB out of sync', () => {
    const ev = objects(trixie('failed-over', 'drbdsetup_events2_now_statistics_all.lab1.txt'));
    expect(ev.find((e) => e.object === 'resource')).toMatchObject({ role: 'Primary' });
    expect(ev.find((e) => e.object === 'connection')).toMatchObject({ connection: 'Connecting', role: 'Unknown' });
    expect(ev.find((e) => e.object === 'peer-device')).toMatchObject({ replication: 'Off', peerDisk: 'Outdated', outOfSyncKiB: 3768 });
  });
});
