import { describe, expect, it } from 'vitest';
import { defaultGateway, parseIpAddr, parseIpLink, parseIpRoute } from '../../src/probes/ip.js';
import { fixture } from './fixture.js';
import { trixie } from '../helpers/lab-trixie.js';

function v<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('ip -j', () => {
  it('addr: NICs with addresses, MAC, state, loopback', () => {
    const nics = v(parseIpAddr(fixture('ip_j_addr.bare.node1.json')));
    expect(nics.map((n) => n.name)).toEqual(['lo', 'enp0s8', 'enp0s9']);
    expect(nics[0]).toMatchObject({ loopback: true, state: 'UNKNOWN' });
    expect(nics[2]).toEqual({ name: 'enp0s9', state: 'UP', mac: '52:54:00:00:02:01', addresses: ['192.168.100.11/24', 'fe80::5054:ff:fe00:201/64'], speedMbps: null, loopback: false });
  });

  it('addr with the virtual IP on the active node', () => {
    const nics = v(parseIpAddr(fixture('ip_j_addr.active-with-vip.node2.json')));
    expect(nics.find((n) => n.name === 'enp0s9')!.addresses).toContain('192.168.100.10/24');
  });

  it('addr on a VM without udev (offline capture)', () => {
    expect(v(parseIpAddr(fixture('ip-addr.json'))).length).toBeGreaterThan(0);
  });

  it('link: state and carrier', () => {
    const links = v(parseIpLink(fixture('ip_j_link.bare.node1.json')));
    expect(links.find((l) => l.name === 'enp0s8')).toEqual({ name: 'enp0s8', state: 'UP', mac: '52:54:00:00:01:01', mtu: 1500, up: true, carrier: true });
  });

  it('route: the default gateway', () => {
    const routes = v(parseIpRoute(fixture('ip_j_route.bare.node1.json')));
    expect(routes[0]).toEqual({ dst: 'default', gateway: '10.0.2.2', dev: 'enp0s8', metric: 1024, prefsrc: '10.0.2.15' });
    expect(defaultGateway(routes)).toBe('10.0.2.2');
    expect(defaultGateway(routes.filter((r) => r.dst !== 'default'))).toBeNull();
  });

  it('garbage is data', () => {
    expect(parseIpAddr('Object "addr" is unknown').ok).toBe(false);
    expect(parseIpRoute('{}').ok).toBe(false);
  });
});

describe('NIC speed (sysfs)', () => {
  it('unknown speeds on this machine are null, never an error', async () => {
    const { parseNicSpeed, nicSpeedArgv } = await import('../../src/probes/ip.js');
    expect(parseNicSpeed(fixture('sys_class_net_eth0_speed.this-machine.txt'), 0)).toBeNull();
    expect(fixture('sys_class_net_ifb0_speed.this-machine.stderr.txt')).toContain('Invalid argument');
    expect(parseNicSpeed(fixture('sys_class_net_ifb0_speed.this-machine.txt'), 1)).toBeNull();
    expect(nicSpeedArgv('enp0s9')).toEqual(['cat', '/sys/class/net/enp0s9/speed']);
    expect(nicSpeedArgv('../../etc')).toBeNull();
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie, iproute2 6.15)', () => {
  const addrs = (state: 'running' | 'failed-over', node: string) => {
    const r = parseIpAddr(trixie(state, `ip_j_addr.${node}.json`));
    if (!r.ok) throw new Error(r.error);
    return Object.fromEntries(r.value.map((n) => [n.name, n.addresses.filter((a) => !a.includes(':'))]));
  };

  it('reads the NICs; the virtual IP is on the active node (lab2), then on the survivor (lab1)', () => {
    expect(addrs('running', 'lab2')).toEqual({ lo: ['127.0.0.1/8'], mgmt0: ['10.0.2.15/24'], svc0: ['192.168.101.12/24', '192.168.101.100/24'], repl0: ['192.168.102.12/24'] });
    expect(addrs('running', 'lab1')['svc0']).toEqual(['192.168.101.11/24']);
    expect(addrs('failed-over', 'lab1')['svc0']).toEqual(['192.168.101.11/24', '192.168.101.100/24']);
  });

  it('reads links up with their MTU, and the routes (the lab has no default route)', () => {
    const l = parseIpLink(trixie('running', 'ip_j_link.lab1.json'));
    expect(l.ok && l.value.filter((x) => x.name !== 'lo').map((x) => [x.name, x.state, x.mtu, x.carrier])).toEqual([['mgmt0', 'UP', 1500, true], ['svc0', 'UP', 1500, true], ['repl0', 'UP', 1500, true]]);
    const r = parseIpRoute(trixie('running', 'ip_j_route.lab1.json'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.map((x) => [x.dst, x.dev])).toEqual([['10.0.2.0/24', 'mgmt0'], ['192.168.101.0/24', 'svc0'], ['192.168.102.0/24', 'repl0']]);
    expect(defaultGateway(r.value)).toBeNull();
  });
});
