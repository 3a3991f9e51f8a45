import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseOsRelease, parseUname } from '../../src/probes/os-release.js';
import { fixture } from './fixture.js';
import { trixie } from '../helpers/lab-trixie.js';

describe('os-release and uname', () => {
  it('reads the lab node', () => {
    expect(parseOsRelease(fixture('os-release.bare.node1.txt'))).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', like: [] });
    expect(parseUname(fixture('uname_n.bare.node2.txt'))).toBe('node2');
    expect(parseUname(fixture('uname_r.bare.node1.txt'))).toBe('6.1.0-56-amd64');
  });

  it("reads this machine's /etc/os-release", () => {
    const os = parseOsRelease(readFileSync('/etc/os-release', 'utf8'));
    expect(os?.id).toMatch(/^[a-z]/);
  });

  it('nothing usable is null', () => {
    expect(parseOsRelease('')).toBeNull();
    expect(parseUname('\n')).toBeNull();
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie)', () => {
  it('reads trixie, its kernel and the node names', () => {
    expect(parseOsRelease(trixie('running', 'os-release.lab1.txt'))).toEqual({ id: 'debian', versionId: '13', prettyName: 'Debian GNU/Linux 13 (trixie)', like: [] });
    expect(parseUname(trixie('running', 'uname_r.lab2.txt'))).toBe('6.12.118+deb13-amd64');
    expect(parseUname(trixie('running', 'uname_n.lab2.txt'))).toBe('lab2');
    expect(parseUname(trixie('failed-over', 'uname_n.lab1.txt'))).toBe('lab1');
  });
});
