// Host key checking as OpenSSH does it, against a known_hosts file: plain, comma lists, [host]:port,
// hashed |1|salt|hash entries, wildcards and negation, @revoked. A CHANGED key is always refused; an unknown
// one needs the caller's confirmation (its SHA256 fingerprint shown, or given with --host-key).
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, appendFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';

export function defaultKnownHostsPath(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

/** OpenSSH's fingerprint of a public key blob: "SHA256:" + unpadded base64 of its SHA-256. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type named at the start of an SSH public key blob (e.g. "ssh-ed25519"), or null. */
export function keyTypeOfBlob(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const n = blob.readUInt32BE(0);
  if (n <= 0 || n > 64 || blob.length < 4 + n) return null;
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** The name known_hosts uses: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export interface KnownHostEntry {
  marker: '@revoked' | '@cert-authority' | null;
  /** The raw host field: a comma list of patterns or one |1|salt|hash. */
  hosts: string;
  keyType: string;
  key: Buffer;
  line: number;
}

/** Parses known_hosts text; lines it cannot read are skipped, like OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    const [hosts, keyType, b64] = fields;
    if (hosts === undefined || keyType === undefined || b64 === undefined) return;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return;
    out.push({ marker, hosts, keyType, key: Buffer.from(b64, 'base64'), line: i + 1 });
  });
  return out;
}

function globMatch(pattern: string, name: string): boolean {
  const re = '^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$';
  return new RegExp(re, 'i').test(name);
}

/** Does the entry's host field name this host (name as built by knownHostsName)? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (salt === undefined || hash === undefined) return false;
    const h = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return h === hash;
  }
  let matched = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false; // a negated match wins over everything
    } else if (globMatch(p, name)) {
      matched = true;
    }
  }
  return matched;
}

/** A key of another type that known_hosts already holds for the host (OpenSSH's show_other_keys). */
export interface OtherKnownKey {
  keyType: string;
  fingerprint: string;
  file: string;
  line: number;
}

export type HostKeyStatus =
  | { status: 'known'; fingerprint: string; keyType: string }
  | { status: 'unknown'; fingerprint: string; keyType: string; otherTypesKnown: string[]; otherKeys: OtherKnownKey[] }
  | { status: 'changed'; fingerprint: string; keyType: string; knownFingerprints: string[]; file: string; lines: number[] }
  | { status: 'revoked'; fingerprint: string; keyType: string; file: string; line: number };

/** Checks a server's key blob against known_hosts text. Pure: tests give it the text directly. */
export function checkHostKey(knownHostsText: string, host: string, port: number, keyBlob: Buffer, file = 'known_hosts'): HostKeyStatus {
  const fingerprint = fingerprintSha256(keyBlob);
  const keyType = keyTypeOfBlob(keyBlob) ?? 'unknown';
  const name = knownHostsName(host, port);
  const entries = parseKnownHosts(knownHostsText).filter((e) => e.marker !== '@cert-authority' && hostFieldMatches(e.hosts, name));
  const revoked = parseKnownHosts(knownHostsText).find((e) => e.marker === '@revoked' && e.key.equals(keyBlob));
  if (revoked) return { status: 'revoked', fingerprint, keyType, file, line: revoked.line };
  const plain = entries.filter((e) => e.marker === null);
  if (plain.some((e) => e.key.equals(keyBlob))) return { status: 'known', fingerprint, keyType };
  const sameType = plain.filter((e) => e.keyType === keyType);
  if (sameType.length > 0) {
    return { status: 'changed', fingerprint, keyType, knownFingerprints: sameType.map((e) => fingerprintSha256(e.key)), file, lines: sameType.map((e) => e.line) };
  }
  const otherKeys = plain.map((e) => ({ keyType: e.keyType, fingerprint: fingerprintSha256(e.key), file, line: e.line }));
  return { status: 'unknown', fingerprint, keyType, otherTypesKnown: [...new Set(plain.map((e) => e.keyType))], otherKeys };
}

/**
 * OpenSSH's warning when a host offers a key type known_hosts does not hold for it but holds others
 * (sshconnect.c show_other_keys): not a changed key, yet not a host seen for the first time either, so
 * the admin should compare the new key rather than trust it as new. Null when no other key is known.
 */
export function otherKeysWarning(host: string, others: OtherKnownKey[]): string | null {
  if (others.length === 0) return null;
  const list = others.map((o) => `${o.keyType} key ${o.fingerprint} (${o.file}:${o.line})`).join(', ');
  return `the authenticity of host '${host}' can't be established but keys of different type are already known for this host: ${list}`;
}

/** Key types known_hosts already holds for this host: the SSH runner asks the server for these first. */
export function knownKeyTypes(knownHostsText: string, host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  return [...new Set(parseKnownHosts(knownHostsText).filter((e) => e.marker === null && hostFieldMatches(e.hosts, name)).map((e) => e.keyType))];
}

export function readKnownHosts(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // no file yet = every host unknown
  }
}

/** Appends an accepted key, as OpenSSH does after "yes". Creates ~/.ssh (0700) and the file (0600). */
export function addKnownHost(path: string, host: string, port: number, keyBlob: Buffer): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyType = keyTypeOfBlob(keyBlob) ?? 'ssh-unknown';
  const text = readKnownHosts(path);
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  appendFileSync(path, `${sep}${knownHostsName(host, port)} ${keyType} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
}

/** "SHA256:..." as the user may type it: accepts with or without the prefix and padding. */
export function normalizeFingerprint(fp: string): string | null {
  const s = fp.trim().replace(/^SHA256:/i, '').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]{43}$/.test(s)) return null;
  return 'SHA256:' + s;
}
