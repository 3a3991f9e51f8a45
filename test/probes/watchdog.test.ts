// The watchdog probe's parsers on the real outputs of wdctl and sbd on a machine without a watchdog
// (test/fixtures/probes/watchdog/SOURCE.md). No capture with a watchdog exists yet: that branch is not
// covered by a fixture (the SOURCE.md says so), only the error path the "watchdog that does not exist"
// answer needs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSbdQueryWatchdog, parseWdctl, watchdogProblem } from '../../src/probes/watchdog.js';

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
