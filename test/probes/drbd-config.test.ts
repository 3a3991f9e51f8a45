// The DRBD configuration as the monitor reads it (what should exist on each node): the lab image's real
// /etc/drbd.d/r0.res, drbdadm's dump of it on the lab's 8.4 nodes, and the wizard's own generated file in
// both DRBD syntaxes, raw and as drbdadm here normalizes it.
import { describe, expect, it } from 'vitest';
import { drbdResourcesOn, parseDrbdConfig } from '../../src/probes/drbd-config.js';
import { renderDrbdRes } from '../../src/generate/drbd-res.js';
import { drbdMinor, lvPath } from '../../src/answers/derived.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { dumpDrbdRes } from '../helpers/validators/drbd.js';
import { fixture } from './fixture.js';

const ok = (text: string) => {
  const r = parseDrbdConfig(text);
  if (!r.ok) throw new Error(r.error);
  return r.resources;
};

describe('parseDrbdConfig', () => {
  it('the lab image\'s r0.res: device and disk at resource level hold for both hosts', () => {
    const res = ok(fixture('r0.res.lab-image'));
    expect(res.map((r) => r.name)).toEqual(['r0']);
    expect(res[0]!.hosts).toEqual(['node1', 'node2']);
    for (const h of ['node1', 'node2']) expect(drbdResourcesOn(res, h)).toEqual([{ name: 'r0', volumes: [{ volume: 0, device: '/dev/drbd0', minor: 0, disk: '/dev/vg0/nfs' }] }]);
    expect(drbdResourcesOn(res, 'node3')).toEqual([]);
  });

  it.each([1, 2])('drbdadm dump on lab node%i (8.4: device and disk inside each `on` section)', (n) => {
    const capture = fixture(`drbdadm_sh-status_and_dump.node${n}.txt`);
    const dump = capture.slice(capture.indexOf('# resource'));
    expect(dump).toMatch(/^# resource r0 on node\d/);
    const res = ok(dump);
    expect(drbdResourcesOn(res, `node${n}`)).toEqual([{ name: 'r0', volumes: [{ volume: 0, device: '/dev/drbd0', minor: 0, disk: '/dev/vg0/nfs' }] }]);
  });

  describe.each(EXAMPLE_FILES)('the wizard\'s generated file (%s)', (file) => {
    it.each(['8.4', '9'] as const)('DRBD %s syntax, raw and as drbdadm dump all prints it here', async (version) => {
      const { answers } = await loadExample(file);
      const a = { ...answers, drbd: { ...answers.drbd, version } };
      const raw = renderDrbdRes(a, 'not-a-real-secret');
      const dump = dumpDrbdRes(raw, version);
      expect(dump.ok, dump.output).toBe(true);
      for (const text of [raw, dump.output]) {
        const res = ok(text);
        for (const node of a.nodes) {
          expect(drbdResourcesOn(res, node.name)).toEqual([{ name: a.drbd.resource, volumes: [{ volume: 0, device: a.drbd.device, minor: drbdMinor(a), disk: lvPath(a) }] }]);
        }
      }
    });
  });

  it('volumes, and host values over resource values, as drbd.conf(5) nests them', () => {
    // drbdadm itself (DRBD 9 syntax) prints the nesting: a two-volume resource, node-b with its own disk.
    const conf = `resource data {
  volume 0 { device minor 5; disk /dev/vg/a; meta-disk internal; }
  volume 1 { device minor 6; disk /dev/vg/b; meta-disk internal; }
  on node-a { node-id 0; address 10.0.0.1:7790; }
  on node-b { node-id 1; address 10.0.0.2:7790; volume 1 { disk /dev/vg/other; } }
}
`;
    const dump = dumpDrbdRes(conf, '9');
    expect(dump.ok, dump.output).toBe(true);
    for (const text of [conf, dump.output]) {
      const res = ok(text);
      expect(drbdResourcesOn(res, 'node-a')[0]!.volumes).toEqual([
        { volume: 0, device: '/dev/drbd5', minor: 5, disk: '/dev/vg/a' },
        { volume: 1, device: '/dev/drbd6', minor: 6, disk: '/dev/vg/b' },
      ]);
      expect(drbdResourcesOn(res, 'node-b')[0]!.volumes[1]).toEqual({ volume: 1, device: '/dev/drbd6', minor: 6, disk: '/dev/vg/other' });
    }
  });

  it('broken syntax is an error, not a guess', () => {
    expect(parseDrbdConfig('resource r0 { on a { disk /dev/x; }').ok).toBe(false);
    expect(parseDrbdConfig('resource r0 { device /dev/drbd0 }').ok).toBe(false);
    expect(parseDrbdConfig('resource r0 { net { shared-secret "abc; } }').ok).toBe(false);
    expect(parseDrbdConfig('').ok).toBe(true);
  });
});
