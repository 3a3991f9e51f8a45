import { describe, expect, it } from 'vitest';
import { mergeMdadmDetail, parseMdadmDetail } from '../../src/probes/mdadm-detail.js';
import { parseMdstat } from '../../src/probes/mdstat.js';
import { fixture } from './fixture.js';
import { trixie } from '../helpers/lab-trixie.js';

describe('parseMdadmDetail', () => {
  it('resyncing', () => {
    const d = parseMdadmDetail(fixture('mdadm_detail_md0.resyncing.node1.txt'));
    expect(d).toMatchObject({ device: '/dev/md0', level: 'raid1', state: ['clean', 'resyncing'], raidDevices: 2, activeDevices: 2, progress: { kind: 'resync', percent: 7 } });
    expect(d.name).toBe('node1:0');
    expect(d.uuid).toBe('e7b74fbb:258bfaaa:c6f2028c:80402514');
    expect(d.devices).toEqual([
      { number: 0, major: 254, minor: 16, raidDevice: 0, state: 'active sync', device: '/dev/vdb' },
      { number: 1, major: 254, minor: 32, raidDevice: 1, state: 'active sync', device: '/dev/vdc' },
    ]);
  });

  it('degraded with a faulty member and an empty slot', () => {
    const d = parseMdadmDetail(fixture('mdadm_detail_md0.degraded-vdc-faulty.node1.txt'));
    expect(d.state).toEqual(['clean', 'degraded']);
    expect(d.failedDevices).toBe(1);
    expect(d.devices).toEqual([
      { number: 0, major: 254, minor: 16, raidDevice: 0, state: 'active sync', device: '/dev/vdb' },
      { number: null, major: 0, minor: 0, raidDevice: 1, state: 'removed', device: null },
      { number: 1, major: 254, minor: 32, raidDevice: null, state: 'faulty', device: '/dev/vdc' },
    ]);
    expect(parseMdadmDetail(fixture('mdadm_detail_md0.degraded-vdc-removed.node1.txt')).devices.map((x) => x.state)).toEqual(['active sync', 'removed']);
  });

  it('recovering: the spare rebuilding', () => {
    const d = parseMdadmDetail(fixture('mdadm_detail_md0.recovering.node1.txt'));
    expect(d.state).toEqual(['clean', 'degraded', 'recovering']);
    expect(d.progress).toEqual({ kind: 'rebuild', percent: 7 });
    expect(d.devices[1]).toEqual({ number: 2, major: 254, minor: 32, raidDevice: 1, state: 'spare rebuilding', device: '/dev/vdc' });
  });

  it('clean, auto-read-only and inactive', () => {
    expect(parseMdadmDetail(fixture('mdadm_detail_md0.clean.node1.txt')).state).toEqual(['clean']);
    expect(parseMdadmDetail(fixture('mdadm_detail_md127.after-kill9-reboot-auto-read-only.node2.txt')).device).toBe('/dev/md127');
    const inactive = parseMdadmDetail(fixture('mdadm_detail_md127.bare-stale-md-inactive.node1.txt'));
    expect(inactive.state).toEqual(['inactive']);
    expect(inactive.devices).toEqual([{ number: null, major: 254, minor: 96, raidDevice: null, state: '', device: '/dev/vdg' }]);
  });

  it('merges into the mdstat entry: member roles and the degraded flag', () => {
    const a = parseMdstat(fixture('proc_mdstat.recovering.node1.txt'))[0]!;
    const m = mergeMdadmDetail(a, parseMdadmDetail(fixture('mdadm_detail_md0.recovering.node1.txt')));
    expect(m.members.map((x) => `${x.device}:${x.state}`)).toEqual(['vdc:spare rebuilding', 'vdb:active sync']);
    expect(m.detailState).toEqual(['clean', 'degraded', 'recovering']);
    expect(m.degraded).toBe(true);
    expect(m.mdName).toBe('node1:0');
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie, mdadm 4.4)', () => {
  it('reads md0 clean with both members in sync (mdadm 4.4 also warns about mdadm.conf on stderr)', () => {
    const d = parseMdadmDetail(trixie('running', 'mdadm_detail_md0.lab1.txt'));
    expect(d).toMatchObject({ device: '/dev/md0', state: ['clean'], level: 'raid1', name: 'any:0', raidDevices: 2, activeDevices: 2, workingDevices: 2, failedDevices: 0, spareDevices: 0, progress: null });
    expect(d.uuid).toBe('b60d3803:d21beceb:59d8e69a:48dd05fb');
    expect(d.devices.map((x) => [x.device, x.raidDevice, x.state])).toEqual([['/dev/vdb', 0, 'active sync'], ['/dev/vdc', 1, 'active sync']]);
    expect(trixie('running', 'mdadm_detail_md0.lab1.txt.stderr')).toBe('mdadm: ARRAY line /dev/md0 has no identity information.\n');
    const [md0] = parseMdstat(trixie('running', 'proc_mdstat.lab1.txt'));
    expect(mergeMdadmDetail(md0!, d)).toMatchObject({ name: 'md0', uuid: d.uuid, degraded: false });
  });
});
