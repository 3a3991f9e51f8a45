// What the DRBD configuration says should exist on a host: each resource's name, and per volume its
// device (minor) and backing disk. Reads the configuration syntax of drbd.conf(5) as found in
// /etc/drbd.d/*.res, and `drbdadm dump`'s normalized form of it (8.4 puts device and disk in each `on`
// section, 9 at resource level, either may use `volume N { }`). Pure: text in, facts out.

export interface DrbdConfigVolume {
  volume: number;
  /** /dev/drbdN, or null when the configuration names none for this host. */
  device: string | null;
  minor: number | null;
  /** The backing disk (/dev/vg0/nfs), "none" for a diskless volume, null when unset. */
  disk: string | null;
}

export interface DrbdConfigResource {
  name: string;
  /** Host names of the resource's `on` sections. */
  hosts: string[];
  /** Per host, its volumes (host-level values override resource-level ones). */
  volumesOn: Record<string, DrbdConfigVolume[]>;
}

export type DrbdConfigResult = { ok: true; resources: DrbdConfigResource[] } | { ok: false; error: string };

/** A statement: words up to `;`, or words and a block. */
interface Stmt {
  words: string[];
  block: Stmt[] | null;
}

function tokenize(text: string): string[] | null {
  const out: string[] = [];
  const re = /\s+|#[^\n]*|"((?:[^"\\]|\\.)*)"|([{};])|([^\s{};"#]+)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(m[2]);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  // An unterminated string stops the sticky regex before the end.
  return re.lastIndex < text.length ? null : out;
}

function parseBlock(tokens: string[], pos: { i: number }, depth: number): Stmt[] | string {
  const out: Stmt[] = [];
  let words: string[] = [];
  while (pos.i < tokens.length) {
    const t = tokens[pos.i++]!;
    if (t === ';') {
      if (words.length > 0) out.push({ words, block: null });
      words = [];
    } else if (t === '{') {
      const inner = parseBlock(tokens, pos, depth + 1);
      if (typeof inner === 'string') return inner;
      out.push({ words, block: inner });
      words = [];
    } else if (t === '}') {
      if (depth === 0) return 'unbalanced "}"';
      if (words.length > 0) return `"${words.join(' ')}" without ";"`;
      return out;
    } else words.push(t);
  }
  if (depth > 0) return 'a "{" without its "}"';
  if (words.length > 0) return `"${words.join(' ')}" without ";"`;
  return out;
}

interface Partial {
  device?: string;
  minor?: number;
  disk?: string;
}

/** device/disk/volume statements of one section, the volumes' values over the section's. */
function sectionVolumes(stmts: Stmt[]): { base: Partial; volumes: Map<number, Partial> } {
  const base: Partial = {};
  const volumes = new Map<number, Partial>();
  const take = (s: Stmt, into: Partial) => {
    const [k, ...rest] = s.words;
    if (k === 'device') {
      // "device /dev/drbd0 minor 0;", "device /dev/drbd0;", "device minor 0;"
      const path = rest.find((w) => w.startsWith('/'));
      const mi = rest.indexOf('minor');
      if (path !== undefined) into.device = path;
      const minor = mi >= 0 ? Number(rest[mi + 1]) : Number(/^\/dev\/drbd(\d+)$/.exec(path ?? '')?.[1]);
      if (Number.isInteger(minor)) into.minor = minor;
      if (into.device === undefined && into.minor !== undefined) into.device = `/dev/drbd${into.minor}`;
    } else if (k === 'disk' && s.block === null && rest[0] !== undefined) into.disk = rest[0];
  };
  for (const s of stmts) {
    if (s.words[0] === 'volume' && s.block !== null) {
      const v = Number(s.words[1]);
      if (!Number.isInteger(v)) continue;
      const p: Partial = {};
      for (const inner of s.block) take(inner, p);
      volumes.set(v, p);
    } else take(s, base);
  }
  return { base, volumes };
}

function resourceOf(name: string, body: Stmt[]): DrbdConfigResource {
  const res = sectionVolumes(body);
  const hosts: string[] = [];
  const volumesOn: Record<string, DrbdConfigVolume[]> = {};
  for (const s of body) {
    if (s.words[0] !== 'on' || s.block === null) continue;
    const on = sectionVolumes(s.block);
    const numbers = new Set<number>([...res.volumes.keys(), ...on.volumes.keys()]);
    if (numbers.size === 0) numbers.add(0);
    const vols = [...numbers].sort((a, b) => a - b).map((v): DrbdConfigVolume => {
      // The most specific wins: the host's volume, the host, the resource's volume, the resource.
      const m: Partial = { ...res.base, ...res.volumes.get(v), ...on.base, ...on.volumes.get(v) };
      return { volume: v, device: m.device ?? null, minor: m.minor ?? null, disk: m.disk ?? null };
    });
    // Every host name the section names (one, as a rule) gets these volumes.
    for (const h of s.words.slice(1)) {
      hosts.push(h);
      volumesOn[h] = vols;
    }
  }
  return { name, hosts, volumesOn };
}

export function parseDrbdConfig(text: string): DrbdConfigResult {
  const tokens = tokenize(text);
  if (tokens === null) return { ok: false, error: 'DRBD configuration: unterminated string' };
  const top = parseBlock(tokens, { i: 0 }, 0);
  if (typeof top === 'string') return { ok: false, error: `DRBD configuration: ${top}` };
  const resources: DrbdConfigResource[] = [];
  for (const s of top) {
    if (s.words[0] !== 'resource' || s.block === null) continue;
    const name = s.words[1];
    if (name === undefined) return { ok: false, error: 'DRBD configuration: a resource without a name' };
    resources.push(resourceOf(name, s.block));
  }
  return { ok: true, resources };
}

/** The resources with a section for this host, and that host's volumes. */
export function drbdResourcesOn(resources: DrbdConfigResource[], host: string): { name: string; volumes: DrbdConfigVolume[] }[] {
  return resources.filter((r) => r.volumesOn[host] !== undefined).map((r) => ({ name: r.name, volumes: r.volumesOn[host]! }));
}
