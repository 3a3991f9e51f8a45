import { describe, expect, it } from 'vitest';
import { parsePing, parsePingReply } from '../../src/probes/ping.js';
import { fixture } from '../helpers/monitor-fixtures.js';

describe('parsePing (iputils, real lab captures)', () => {
  it('reads RTT and zero loss of a reachable peer', () => {
    const r = parsePing(fixture('ping_c3_W1_peer.bare.node1.txt'));
    expect(r).toMatchObject({ ok: true, value: { target: '192.168.100.12', transmitted: 3, received: 3, lossPercent: 0, avgRttMs: 1.257, minRttMs: 1.135, maxRttMs: 1.464, reachable: true } });
    expect(r.ok && r.value.replies.map((x) => x.rttMs)).toEqual([1.46, 1.17, 1.14]);
  });

  it('reads 100% loss as unreachable without RTT', () => {
    const r = parsePing(fixture('ping_c3_W1_unreachable-192.168.100.99.bare.node1.txt'));
    expect(r).toMatchObject({ ok: true, value: { target: '192.168.100.99', received: 0, lossPercent: 100, avgRttMs: null, reachable: false, replies: [] } });
  });

  it('is an error when there is no summary', () => {
    expect(parsePing('ping: unknown host nowhere')).toEqual({ ok: false, error: 'ping: unknown host nowhere' });
    expect(parsePingReply('64 bytes from 192.168.100.12: icmp_seq=2 ttl=64 time=1.17 ms')).toEqual({ seq: 2, ttl: 64, rttMs: 1.17 });
  });
});
