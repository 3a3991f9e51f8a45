import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contains, firstHost, formatIPv4, isNetworkOrBroadcast, networkCidr, parseCidr, parseIPv4, sameSubnet } from '../../src/answers/net.js';

describe('IPv4 helpers', () => {
  it('parses and formats every address the same way', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(formatIPv4(parseIPv4(ip)!)).toBe(ip);
      }),
    );
  });
  it('refuses leading zeros, out-of-range octets and prefixes', () => {
    for (const bad of ['01.2.3.4', '256.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '']) expect(parseIPv4(bad)).toBeNull();
    for (const bad of ['1.2.3.4', '1.2.3.4/33', '1.2.3.4/0', '1.2.3.4/', '1.2.3.4/abc']) expect(parseCidr(bad)).toBeNull();
  });
  it('computes subnets', () => {
    const a = parseCidr('192.168.1.11/24')!;
    expect(networkCidr(a)).toBe('192.168.1.0/24');
    expect(firstHost(a)).toBe('192.168.1.1');
    expect(sameSubnet(a, parseCidr('192.168.1.200/24')!)).toBe(true);
    expect(sameSubnet(a, parseCidr('192.168.2.11/24')!)).toBe(false);
    expect(contains(parseCidr('10.20.0.21/16')!, parseIPv4('10.20.255.1')!)).toBe(true);
    expect(isNetworkOrBroadcast(parseCidr('192.168.1.255/24')!)).toBe(true);
    expect(isNetworkOrBroadcast(parseCidr('192.168.1.0/24')!)).toBe(true);
    expect(isNetworkOrBroadcast(parseCidr('172.16.5.1/30')!)).toBe(false);
    expect(isNetworkOrBroadcast(parseCidr('10.0.0.1/31')!)).toBe(false);
  });
  it('every host of a subnet is contained in it', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 8, max: 30 }), fc.ipV4(), (ip, prefix, other) => {
        const net = parseCidr(`${ip}/${prefix}`)!;
        const o = parseIPv4(other)!;
        const inside = sameSubnet(net, parseCidr(`${other}/${prefix}`)!);
        expect(contains(net, o)).toBe(inside);
      }),
    );
  });
});
