// Parser for iputils `ping -c N -W S TARGET` output. Pure. The monitor runs ping repeatedly per node and
// target (what the Pacemaker ping resource measures too) and shows reachability, RTT and loss.
//
//   64 bytes from 192.168.100.12: icmp_seq=1 ttl=64 time=1.46 ms
//   3 packets transmitted, 3 received, 0% packet loss, time 2006ms
//   rtt min/avg/max/mdev = 1.135/1.257/1.464/0.146 ms

export interface PingReply {
  seq: number;
  ttl: number | null;
  rttMs: number;
}

export interface PingResult {
  target: string | null;
  transmitted: number;
  received: number;
  lossPercent: number;
  /** Average RTT in ms, null when nothing came back. */
  avgRttMs: number | null;
  minRttMs: number | null;
  maxRttMs: number | null;
  replies: PingReply[];
  /** True when at least one reply came back. */
  reachable: boolean;
}

export type PingParse = { ok: true; value: PingResult } | { ok: false; error: string };

/** Parses one reply line (`64 bytes from ...: icmp_seq=1 ttl=64 time=1.46 ms`), or null. */
export function parsePingReply(line: string): PingReply | null {
  const m = /icmp_seq=(\d+)(?:\s+ttl=(\d+))?\s+time[=<]([\d.]+)\s*ms/.exec(line);
  if (!m) return null;
  return { seq: Number(m[1]), ttl: m[2] === undefined ? null : Number(m[2]), rttMs: Number(m[3]) };
}

export function parsePing(stdout: string): PingParse {
  const target = /^PING\s+(\S+)/m.exec(stdout)?.[1] ?? null;
  const stats = /(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+\d+ errors)?, ([\d.]+)% packet loss/.exec(stdout);
  if (!stats) {
    const first = stdout.trim().split('\n')[0] ?? '';
    return { ok: false, error: first === '' ? 'no ping output' : first };
  }
  const replies = stdout.split('\n').map(parsePingReply).filter((r): r is PingReply => r !== null);
  const rtt = /=\s*([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+)\s*ms/.exec(stdout);
  const received = Number(stats[2]);
  return {
    ok: true,
    value: {
      target,
      transmitted: Number(stats[1]),
      received,
      lossPercent: Number(stats[3]),
      minRttMs: rtt ? Number(rtt[1]) : null,
      avgRttMs: rtt ? Number(rtt[2]) : null,
      maxRttMs: rtt ? Number(rtt[3]) : null,
      replies,
      reachable: received > 0,
    },
  };
}
