import { describe, expect, it } from 'vitest';
import { drbdMajor, parseModinfoVersion, parseProcDrbdVersion } from '../../src/probes/drbd-module.js';
import { fixture } from './fixture.js';
import { trixie } from '../helpers/lab-trixie.js';

describe('DRBD module version', () => {
  it('from /proc/drbd, loaded without resources and with a connected resource', () => {
    expect(parseProcDrbdVersion(fixture('proc_drbd.bare-module-autoloaded.node1.txt'))).toBe('8.4.11');
    expect(parseProcDrbdVersion(fixture('proc_drbd.node1.txt'))).toBe('8.4.11');
    expect(parseProcDrbdVersion(fixture('proc_drbd.module-not-loaded.node1.txt'))).toBeNull();
  });

  it('from modinfo, and none on this machine', () => {
    expect(parseModinfoVersion(fixture('modinfo_drbd.bare.node1.txt'))).toBe('8.4.11');
    expect(parseModinfoVersion(fixture('modinfo_drbd.this-machine.txt'))).toBeNull();
    expect(fixture('modinfo_drbd.this-machine.stderr.txt')).toContain('Module drbd not found');
  });

  it('major version picks the configuration dialect', () => {
    expect(drbdMajor('8.4.11')).toBe(8);
    expect(drbdMajor('9.2.12')).toBe(9);
    expect(drbdMajor(null)).toBeNull();
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie)', () => {
  it("reads kernel 6.12's in-tree DRBD 8.4.11 from /proc/drbd and modinfo alike", () => {
    expect(parseProcDrbdVersion(trixie('running', 'proc_drbd.lab1.txt'))).toBe('8.4.11');
    expect(parseModinfoVersion(trixie('running', 'modinfo_drbd.lab1.txt'))).toBe('8.4.11');
    expect(drbdMajor(parseProcDrbdVersion(trixie('failed-over', 'proc_drbd.lab1.txt')))).toBe(8);
  });
});
