// IPv4 address arithmetic for the answers' semantic checks. Kept tiny and pure: no dependency needed for
// dotted quads and prefixes. IPv6 is refused with a clear message at the schema level for now.

export interface Cidr {
  /** The address as written, without the prefix. */
  address: string;
  prefix: number;
  /** The address as a 32-bit unsigned integer. */
  value: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return null;
    value = value * 256 + Number(p);
  }
  return value >>> 0;
}

export function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((s) => (value >>> s) & 255).join('.');
}

/** Parses "192.168.1.11/24"; null when it is not an IPv4 address with a prefix. */
export function parseCidr(text: string): Cidr | null {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return null;
  const value = parseIPv4(m[1]!);
  const prefix = Number(m[2]);
  if (value === null || prefix < 1 || prefix > 32) return null;
  return { address: m[1]!, prefix, value };
}

export function netmask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function networkOf(c: Cidr): number {
  return (c.value & netmask(c.prefix)) >>> 0;
}

/** "192.168.1.0/24" for 192.168.1.11/24. */
export function networkCidr(c: Cidr): string {
  return `${formatIPv4(networkOf(c))}/${c.prefix}`;
}

export function sameSubnet(a: Cidr, b: Cidr): boolean {
  return a.prefix === b.prefix && networkOf(a) === networkOf(b);
}

export function contains(net: Cidr, address: number): boolean {
  return ((address & netmask(net.prefix)) >>> 0) === networkOf(net);
}

/** True for the network or broadcast address of a subnet with room for hosts (prefix <= 30). */
export function isNetworkOrBroadcast(c: Cidr): boolean {
  if (c.prefix > 30) return false;
  const host = c.value & ~netmask(c.prefix);
  return host === 0 || host >>> 0 === (~netmask(c.prefix)) >>> 0;
}

/** The first host address of the subnet: the usual gateway, used as the default ping target. */
export function firstHost(c: Cidr): string {
  return formatIPv4((networkOf(c) + 1) >>> 0);
}
