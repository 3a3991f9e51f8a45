// `ip -j addr`, `ip -j link`, `ip -j route`: NICs with their addresses and state, and the default gateway
// (the wizard's first suggestion for the ping target that decides whether a node's service NIC works).
import { fail, isObject, ok, parseJson, str, type Parsed } from './parsed.js';
import type { NicInfo } from './types.js';

export const IP_ADDR_ARGV = ['ip', '-j', 'addr'] as const;
export const IP_LINK_ARGV = ['ip', '-j', 'link'] as const;
export const IP_ROUTE_ARGV = ['ip', '-j', 'route'] as const;

function list(stdout: string, what: string): Parsed<Record<string, unknown>[]> {
  const j = parseJson(stdout, what);
  if (!j.ok) return j;
  if (!Array.isArray(j.value)) return fail(`${what}: expected a JSON list`);
  return ok(j.value.filter(isObject));
}

/** NICs from `ip -j addr` (which also carries operstate, MAC and flags). */
export function parseIpAddr(stdout: string): Parsed<NicInfo[]> {
  const l = list(stdout, 'ip -j addr');
  if (!l.ok) return l;
  return ok(
    l.value
      .filter((n) => str(n.ifname) !== null)
      .map((n) => {
        const flags = Array.isArray(n.flags) ? n.flags : [];
        const addrs = Array.isArray(n.addr_info) ? n.addr_info.filter(isObject) : [];
        return {
          name: str(n.ifname) as string,
          state: str(n.operstate) ?? 'UNKNOWN',
          mac: str(n.address),
          addresses: addrs.filter((a) => str(a.local) !== null).map((a) => `${str(a.local)}/${typeof a.prefixlen === 'number' ? a.prefixlen : '?'}`),
          speedMbps: null,
          loopback: flags.includes('LOOPBACK') || str(n.link_type) === 'loopback',
        };
      }),
  );
}

export interface LinkInfo {
  name: string;
  state: string;
  mac: string | null;
  mtu: number | null;
  up: boolean;
  /** Carrier present (LOWER_UP flag). */
  carrier: boolean;
}

export function parseIpLink(stdout: string): Parsed<LinkInfo[]> {
  const l = list(stdout, 'ip -j link');
  if (!l.ok) return l;
  return ok(
    l.value
      .filter((n) => str(n.ifname) !== null)
      .map((n) => {
        const flags = Array.isArray(n.flags) ? n.flags : [];
        return {
          name: str(n.ifname) as string,
          state: str(n.operstate) ?? 'UNKNOWN',
          mac: str(n.address),
          mtu: typeof n.mtu === 'number' ? n.mtu : null,
          up: flags.includes('UP'),
          carrier: flags.includes('LOWER_UP'),
        };
      }),
  );
}

export interface Route {
  dst: string;
  gateway: string | null;
  dev: string | null;
  metric: number | null;
  prefsrc: string | null;
}

export function parseIpRoute(stdout: string): Parsed<Route[]> {
  const l = list(stdout, 'ip -j route');
  if (!l.ok) return l;
  return ok(
    l.value.map((r) => ({
      dst: str(r.dst) ?? '',
      gateway: str(r.gateway),
      dev: str(r.dev),
      metric: typeof r.metric === 'number' ? r.metric : null,
      prefsrc: str(r.prefsrc),
    })),
  );
}

/** The default route's gateway with the lowest metric, or null. */
export function defaultGateway(routes: Route[]): string | null {
  const d = routes.filter((r) => (r.dst === 'default' || r.dst === '0.0.0.0/0') && r.gateway !== null);
  d.sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
  return d[0]?.gateway ?? null;
}

/** The link speed file of a NIC (sysfs). Names come from `ip -j addr`; anything path-like is refused. */
export function nicSpeedArgv(nic: string): string[] | null {
  if (!/^[A-Za-z0-9_.:@-]+$/.test(nic) || nic.includes('..')) return null;
  return ['cat', `/sys/class/net/${nic}/speed`];
}

/**
 * Mbit/s from /sys/class/net/<nic>/speed. Virtual NICs and links without carrier answer -1 or fail with
 * "Invalid argument": that is "unknown", not an error.
 */
export function parseNicSpeed(stdout: string, exitCode: number | null): number | null {
  if (exitCode !== 0) return null;
  const n = Number(stdout.trim());
  return Number.isInteger(n) && n > 0 ? n : null;
}
