// The watchdog probe's parsers on the real outputs of find, wdctl and sbd on a machine without a watchdog
// (test/fixtures/probes/watchdog/SOURCE.md). No capture with a watchdog exists yet: that branch is not
// covered by a fixture (the SOURCE.md says so, and which lab commands will give one), only the error
// path the "watchdog that does not exist" answer needs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIND_WATCHDOG_ARGV, SYSFS_WATCHDOG_ARGV, parseSbdQueryWatchdog, parseSysfsWatchdogs, parseWatchdogDevices, parseWdctl, sysfsHasWatchdog, watchdogFactsProblem, watchdogProblem } from '../../src/probes/watchdog.js';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRunner } from '../../src/exec/local-runner.js';

const fx = (name: string) => {
  const read = (ext: string) => readFileSync(new URL(`../fixtures/probes/watchdog/${name}.${ext}`, import.meta.url), 'utf8');
  return { exit: Number(read('exit').trim()), stdout: read('stdout'), stderr: read('stderr') };
};

describe('parseWdctl', () => {
  it('reads a missing device as not ok, with wdctl\'s reason', () => {
    const r = fx('wdctl-dev-missing');
    const p = parseWdctl(r.exit, r.stdout, r.stderr);
    expect(p).toEqual({ ok: false, reason: 'cannot read information about /dev/watchdog: No such file or directory' });
    expect(watchdogProblem('nfs1', '/dev/watchdog', p)).toMatch(/^\/dev\/watchdog does not exist on nfs1 \(cannot read information/);
  });
  it('reads "no default device" the same way', () => {
    const r = fx('wdctl-none');
    expect(parseWdctl(r.exit, r.stdout, r.stderr)).toMatchObject({ ok: false, reason: expect.stringMatching(/^No default device is available/) });
  });
});

describe('parseSbdQueryWatchdog', () => {
  it('counts no devices on a machine without one', () => {
    const r = fx('sbd-query-watchdog-none');
    expect(r.exit).toBe(0);
    expect(parseSbdQueryWatchdog(r.stdout)).toEqual({ count: 0, devices: [] });
  });
  it('refuses output that is not sbd\'s', () => {
    expect(parseSbdQueryWatchdog(fx('wdctl-none').stderr)).toBeNull();
  });
});

describe('the probe\'s listing of /dev/watchdog*', () => {
  it('reads no device from the real listing of a machine without one, and the wizard\'s error says what to do', () => {
    const r = fx('find-dev-watchdog-none');
    expect(r.exit).toBe(0);
    const facts = parseWatchdogDevices(r.stdout);
    expect(facts).toEqual({ devices: [] });
    const p = watchdogFactsProblem('nfs2', '/dev/watchdog', facts);
    expect(p).toMatch(/^nfs2 has no watchdog device \(no \/dev\/watchdog\*\), so SBD cannot reset it: /);
    expect(p).toMatch(/enable the hardware watchdog/);
    expect(p).toMatch(/modprobe softdog/);
  });
  it('the same command run here now gives what the capture says (the argv is the capture\'s)', async () => {
    const now = await new LocalRunner().run(FIND_WATCHDOG_ARGV);
    const r = fx('find-dev-watchdog-none');
    expect(now.exitCode).toBe(r.exit);
    expect(parseWatchdogDevices(now.stdout)).toEqual(parseWatchdogDevices(r.stdout));
  });
  it('a device among the listed ones is no problem, another one is named with those that exist; unknown facts are no error', () => {
    // Facts as the parser returns them for a node with a watchdog (no capture of one yet: SOURCE.md).
    const two = { devices: ['/dev/watchdog', '/dev/watchdog0'] };
    expect(watchdogFactsProblem('nfs1', '/dev/watchdog', two)).toBeNull();
    expect(watchdogFactsProblem('nfs1', '/dev/watchdog0', two)).toBeNull();
    expect(watchdogFactsProblem('nfs1', '/dev/watchdog1', two)).toBe('/dev/watchdog1 does not exist on nfs1, which has /dev/watchdog, /dev/watchdog0: name one of those');
    expect(watchdogFactsProblem('nfs1', '/dev/watchdog', null)).toBeNull();
    expect(watchdogFactsProblem('nfs1', '/dev/watchdog', undefined)).toBeNull();
  });
});

describe('the preflight\'s sysfs listing of registered watchdogs (opens no device)', () => {
  it('reads none from the real listing of a machine without one, and the same argv run now agrees', async () => {
    const r = fx('find-sys-class-watchdog-none');
    expect(r.exit).toBe(0);
    expect(parseSysfsWatchdogs(r.stdout)).toEqual([]);
    expect(sysfsHasWatchdog('/dev/watchdog', [])).toBe(false);
    const now = await new LocalRunner().run(SYSFS_WATCHDOG_ARGV);
    expect(now.exitCode).toBe(r.exit);
    expect(parseSysfsWatchdogs(now.stdout)).toEqual([]);
  });

  it('reads the names the real find prints for a class directory of watchdog links (a stand-in tree: no capture with a watchdog yet)', async () => {
    // /sys/class/watchdog holds one symlink per registered watchdog; the same find options on a temporary
    // tree with that shape, run for real, give the output format the parser must read.
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-wd-'));
    try {
      const cls = join(dir, 'watchdog');
      mkdirSync(join(dir, 'devices', 'watchdog0'), { recursive: true });
      mkdirSync(join(dir, 'devices', 'watchdog1'), { recursive: true });
      mkdirSync(cls);
      symlinkSync(join(dir, 'devices', 'watchdog1'), join(cls, 'watchdog1'));
      symlinkSync(join(dir, 'devices', 'watchdog0'), join(cls, 'watchdog0'));
      const argv = SYSFS_WATCHDOG_ARGV.map((w) => (w === '/sys/class/watchdog/' ? `${cls}/` : w));
      const r = await new LocalRunner().run(argv);
      expect(r.exitCode).toBe(0);
      const names = parseSysfsWatchdogs(r.stdout);
      expect(names).toEqual(['watchdog0', 'watchdog1']);
      expect(sysfsHasWatchdog('/dev/watchdog', names)).toBe(true);
      expect(sysfsHasWatchdog('/dev/watchdog1', names)).toBe(true);
      expect(sysfsHasWatchdog('/dev/watchdog2', names)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
