import { describe, expect, it } from 'vitest';
import { parseMdstat } from '../../src/probes/mdstat.js';
import { fixture } from './fixture.js';
import { trixie } from '../helpers/lab-trixie.js';

const one = (name: string) => {
  const a = parseMdstat(fixture(name));
  expect(a).toHaveLength(1);
  return a[0]!;
};

describe('parseMdstat on the lab RAID1 through its life', () => {
  it('resyncing right after create', () => {
    const a = one('proc_mdstat.resyncing.node1.txt');
    expect(a).toMatchObject({ name: 'md0', state: 'active', level: 'raid1', raidDevices: 2, workingDevices: 2, map: 'UU', degraded: false });
    expect(a.members.map((m) => `${m.device}[${m.slot}]`)).toEqual(['vdc[1]', 'vdb[0]']);
    expect(a.sync).toEqual({ action: 'resync', percent: 6, doneBlocks: 16000, totalBlocks: 261120, finishMinutes: 0.5, speedKBps: 8000 });
  });

  it('clean', () => {
    expect(one('proc_mdstat.clean.node1.txt')).toMatchObject({ map: 'UU', degraded: false, sync: null });
  });

  it('degraded with the faulty member still listed, then removed', () => {
    const f = one('proc_mdstat.degraded-vdc-faulty.node1.txt');
    expect(f).toMatchObject({ map: 'U_', degraded: true, workingDevices: 1 });
    expect(f.members.find((m) => m.device === 'vdc')).toMatchObject({ faulty: true, slot: 1 });
    const r = one('proc_mdstat.degraded-vdc-removed.node1.txt');
    expect(r.members.map((m) => m.device)).toEqual(['vdb']);
    expect(r.degraded).toBe(true);
  });

  it('recovering onto the re-added disk', () => {
    const a = one('proc_mdstat.recovering.node1.txt');
    expect(a.degraded).toBe(true);
    expect(a.sync).toMatchObject({ action: 'recovery', percent: 5.8, doneBlocks: 15360, totalBlocks: 261120, speedKBps: 7680 });
  });

  it('auto-read-only after a reboot without mdadm.conf in the initramfs', () => {
    expect(one('proc_mdstat.after-kill9-reboot-md127-auto-read-only.node2.txt')).toMatchObject({ name: 'md127', readOnly: 'auto-read-only', level: 'raid1', map: 'UU' });
  });

  it('a lone stale member assembled inactive as a spare', () => {
    const a = one('proc_mdstat.bare-stale-md-inactive.node1.txt');
    expect(a).toMatchObject({ name: 'md127', state: 'inactive', level: null, degraded: true, map: null });
    expect(a.members).toEqual([{ device: 'vdg', slot: 2, faulty: false, spare: true, state: null }]);
  });

  it('no arrays on a machine without md', () => {
    expect(parseMdstat('')).toEqual([]);
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie, mdadm 4.4)', () => {
  it('reads md0 clean on both nodes, and on the survivor after the failover', () => {
    for (const [state, node] of [['running', 'lab1'], ['running', 'lab2'], ['failed-over', 'lab1']] as const) {
      const [md0, ...rest] = parseMdstat(trixie(state, `proc_mdstat.${node}.txt`));
      expect(rest).toEqual([]);
      expect(md0).toMatchObject({ name: 'md0', state: 'active', level: 'raid1', raidDevices: 2, workingDevices: 2, map: 'UU', degraded: false, sync: null });
      expect(md0!.members.map((m) => [m.device, m.slot, m.faulty])).toEqual([['vdc', 1, false], ['vdb', 0, false]]);
    }
  });
});
