import { describe, expect, it } from 'vitest';
import { parsePing, parsePingReply } from '../../src/probes/ping.js';
import { fixture } from '../helpers/monitor-fixtures.js';
import { trixie } from '../helpers/lab-trixie.js';

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

describe('on the Debian 13 lab (test/fixtures/lab-trixie, iputils of trixie)', () => {
  const ping = (state: 'running' | 'failed-over', f: string) => {
    const r = parsePing(trixie(state, f));
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.value;
  };

  it('reads the gateway and the peer answering, and an unused address lost', () => {
    expect(ping('running', 'ping_c3_W1_gateway.lab1.txt')).toMatchObject({ target: '192.168.101.1', transmitted: 3, received: 3, lossPercent: 0, reachable: true });
    expect(ping('running', 'ping_c3_W1_peer-replication.lab2.txt')).toMatchObject({ target: '192.168.102.11', received: 3, reachable: true });
    expect(ping('running', 'ping_c2_W1_unused-address.lab1.txt')).toMatchObject({ target: '192.168.101.99', transmitted: 2, received: 0, lossPercent: 100, reachable: false });
  });

  it('after the failover the killed peer is lost on both links ("Destination Host Unreachable")', () => {
    for (const f of ['ping_c3_W1_peer-service.lab1.txt', 'ping_c3_W1_peer-replication.lab1.txt']) {
      expect(ping('failed-over', f)).toMatchObject({ transmitted: 3, received: 0, lossPercent: 100, reachable: false });
    }
    expect(ping('failed-over', 'ping_c3_W1_gateway.lab1.txt').reachable).toBe(true);
  });
});
