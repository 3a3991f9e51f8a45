// known_hosts handling checked against files written by the real ssh-keygen (plain, hashed with -H,
// [host]:port) so the formats are OpenSSH's own, not typed by hand.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addKnownHost, checkHostKey, fingerprintSha256, hostFieldMatches, keyTypeOfBlob, knownKeyTypes, normalizeFingerprint } from '../../src/exec/host-keys.js';
import { sshKeygen } from '../helpers/sshd.js';

let dir: string;
let a: { blob: Buffer; fingerprint: string };
let b: { blob: Buffer; fingerprint: string };
let rsa: { blob: Buffer; fingerprint: string };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hanfs-kh-'));
  a = sshKeygen(join(dir, 'a'));
  b = sshKeygen(join(dir, 'b'));
  rsa = sshKeygen(join(dir, 'r'), 'rsa');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('host keys', () => {
  it('fingerprints like ssh-keygen -lf and reads the key type', () => {
    expect(fingerprintSha256(a.blob)).toBe(a.fingerprint);
    expect(fingerprintSha256(rsa.blob)).toBe(rsa.fingerprint);
    expect(keyTypeOfBlob(a.blob)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(rsa.blob)).toBe('ssh-rsa');
    expect(normalizeFingerprint(a.fingerprint.slice(7) + '=')).toBe(a.fingerprint);
    expect(normalizeFingerprint('nope')).toBeNull();
  });

  it('known, unknown, changed, other type known, and [host]:port', () => {
    const kh = join(dir, 'kh1');
    addKnownHost(kh, '10.0.0.2', 22, a.blob);
    addKnownHost(kh, '10.0.0.3', 2222, rsa.blob);
    const text = readFileSync(kh, 'utf8');
    expect(text).toBe(`10.0.0.2 ssh-ed25519 ${a.blob.toString('base64')}\n[10.0.0.3]:2222 ssh-rsa ${rsa.blob.toString('base64')}\n`);
    // ssh-keygen -F finds what we wrote: the format is OpenSSH's.
    expect(execFileSync('ssh-keygen', ['-F', '[10.0.0.3]:2222', '-f', kh], { encoding: 'utf8' })).toContain('ssh-rsa');
    expect(checkHostKey(text, '10.0.0.2', 22, a.blob).status).toBe('known');
    expect(checkHostKey(text, '10.0.0.9', 22, a.blob).status).toBe('unknown');
    const changed = checkHostKey(text, '10.0.0.2', 22, b.blob, kh);
    expect(changed).toMatchObject({ status: 'changed', fingerprint: b.fingerprint, knownFingerprints: [a.fingerprint], lines: [1] });
    expect(checkHostKey(text, '10.0.0.2', 2222, a.blob).status).toBe('unknown'); // port matters
    expect(checkHostKey(text, '10.0.0.3', 2222, a.blob)).toMatchObject({ status: 'unknown', otherTypesKnown: ['ssh-rsa'] });
    expect(knownKeyTypes(text, '10.0.0.3', 2222)).toEqual(['ssh-rsa']);
  });

  it('hashed entries made by ssh-keygen -H', () => {
    const kh = join(dir, 'kh2');
    addKnownHost(kh, 'node2', 22, a.blob);
    addKnownHost(kh, 'node3', 2200, b.blob);
    execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' });
    const text = readFileSync(kh, 'utf8');
    expect(text).not.toContain('node2');
    expect(checkHostKey(text, 'node2', 22, a.blob).status).toBe('known');
    expect(checkHostKey(text, 'node3', 2200, b.blob).status).toBe('known');
    expect(checkHostKey(text, 'node2', 22, b.blob).status).toBe('changed');
    expect(checkHostKey(text, 'node4', 22, a.blob).status).toBe('unknown');
  });

  it('comma lists, wildcards, negation, comments, @revoked', () => {
    const text = [
      '# comment',
      `node1,10.0.0.1 ssh-ed25519 ${a.blob.toString('base64')}`,
      `*.lab,!bad.lab ssh-ed25519 ${b.blob.toString('base64')}`,
      `@revoked * ssh-rsa ${rsa.blob.toString('base64')}`,
      'garbage line',
    ].join('\n');
    expect(checkHostKey(text, '10.0.0.1', 22, a.blob).status).toBe('known');
    expect(checkHostKey(text, 'x.lab', 22, b.blob).status).toBe('known');
    expect(checkHostKey(text, 'bad.lab', 22, b.blob).status).toBe('unknown');
    expect(checkHostKey(text, 'x.lab', 22, rsa.blob).status).toBe('revoked');
    expect(hostFieldMatches('|1|bad', 'x')).toBe(false);
  });

  it('creates the file 0600 in a new directory', () => {
    const kh = join(dir, 'newdir', 'known_hosts');
    addKnownHost(kh, 'h', 22, a.blob);
    const mode = Number.parseInt(execFileSync('stat', ['-c', '%a', kh], { encoding: 'utf8' }), 8);
    expect(mode & 0o077).toBe(0);
    writeFileSync(kh, 'no-newline-at-end ssh-ed25519 AAAA');
    addKnownHost(kh, 'h2', 22, a.blob);
    expect(readFileSync(kh, 'utf8').split('\n')[1]).toMatch(/^h2 ssh-ed25519 /);
  });
});
