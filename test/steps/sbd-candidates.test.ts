// The devices the Pacemaker step offers for SBD, on the demo lab's real facts: only a disk both nodes see
// by the same by-id link is usable; RAID members, md arrays, LVs, the DRBD device, disks with data or in
// use are refused with the reason (sbd(8)); a disk too small for the RAID is not too small for SBD.
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { NodeFacts } from '../../src/probes/types.js';
import { firstSbdDevice, sbdCandidates } from '../../src/steps/sbd-candidates.js';
import type { Draft } from '../../src/steps/types.js';
import { demoFacts } from './demo-facts.js';
import { SHARED_BY_ID, withSharedDisk } from './shared-disk-facts.js';

let facts: NodeFacts[];
beforeAll(async () => {
  facts = await demoFacts();
});
const demo = (): Draft => parse(readFileSync(new URL('../fixtures/wizard/demo-flow-answers.yaml', import.meta.url), 'utf8'));
const byPath = (d: Draft, f: NodeFacts[]) => new Map(sbdCandidates(d, f).map((c) => [c.path, c]));

describe('SBD candidates', () => {
  test('without a disk both nodes see, nothing is usable and each disk says it is not shared', () => {
    const c = sbdCandidates(demo(), facts);
    expect(c.filter((x) => x.reasons.length === 0)).toEqual([]);
    expect(firstSbdDevice(demo(), facts)).toBeUndefined();
    const disks = c.filter((x) => x.path.startsWith('/dev/disk/by-id/'));
    // every probed disk with a by-id link of both nodes is listed
    expect(disks.length).toBe(facts.flatMap((f) => f.disks.filter((d) => d.byId.length > 0)).length);
    expect(disks.length).toBeGreaterThan(8);
    for (const x of disks) expect(x.reasons.join(' '), x.path).toMatch(/^not seen on node[12] by the same id/);
    // a disk without a stable name cannot be named alike on both nodes; both nodes' vda are one choice
    expect(c.filter((x) => x.path === '/dev/vda')).toHaveLength(1);
    expect(c.find((x) => x.path === '/dev/vda')).toMatchObject({ where: 'vda on node1 only; vda on node2 only', reasons: [expect.stringMatching(/no \/dev\/disk\/by-id name/), 'holds the root filesystem /', expect.stringMatching(/signature: ext4/)] });
    // every choice is one value: a select cycles through distinct values
    expect(new Set(c.map((x) => x.path)).size).toBe(c.length);
  });

  test('the disk both nodes see is usable, offered first, named by its by-id link, with both kernel names', () => {
    const f = withSharedDisk(facts);
    const c = sbdCandidates(demo(), f);
    expect(c[0]).toMatchObject({ path: SHARED_BY_ID, reasons: [], where: 'vde on node1, vdh on node2' });
    expect(c[0]!.label).toBe('virtio-HANFS-N1-SMALL32M 0.03 GiB');
    expect(c.filter((x) => x.reasons.length === 0)).toHaveLength(1);
    // listed once, not once per node
    expect(c.filter((x) => x.path === SHARED_BY_ID)).toHaveLength(1);
    // 32 MiB is refused for the RAID ("too small") but is plenty for SBD's slots
    expect(f[0]!.disks.find((d) => d.name === 'vde')!.verdict).toMatchObject({ eligible: false, codes: ['too-small'] });
    expect(firstSbdDevice(demo(), f)).toBe(SHARED_BY_ID);
  });

  test('refused with the reason: the RAID members, md arrays, the LV and the DRBD device, disks in use or with data', () => {
    const d = demo();
    const c = byPath(d, withSharedDisk(facts));
    expect(c.get('/dev/disk/by-id/virtio-HANFS-N1-RAID-B')!.reasons).toContain('a RAID1 member of node1 (nodes[0].disks): sbd(8) forbids an SBD disk mirrored by MD; use a separate shared disk');
    expect(c.get('/dev/disk/by-id/virtio-HANFS-N2-SPARE')!.reasons.join(' ')).toMatch(/a RAID1 member of node2 \(nodes\[1\]\.disks\)/);
    // the stale array both demo nodes assembled, as the probes found it
    expect(c.get('/dev/md127')).toMatchObject({ where: 'on node1 and node2', reasons: [expect.stringMatching(/md RAID device: sbd\(8\) forbids a mirrored SBD disk/)] });
    expect(c.get('/dev/md0')!.reasons[0]).toMatch(/md RAID device/);
    expect(c.get('/dev/vg_nfs/lv_nfs')!.reasons[0]).toMatch(/device-mapper\/LVM device/);
    expect(c.get('/dev/drbd0')!.reasons[0]).toMatch(/DRBD device: sbd\(8\) forbids/);
    expect(c.get('/dev/disk/by-id/virtio-HANFS-N1-STALEMD')!.reasons.join(' ')).toMatch(/in use by md127/);
    expect(c.get('/dev/disk/by-id/virtio-HANFS-N1-OLDEXT4')!.reasons.join(' ')).toMatch(/signature: ext4/);
    // the answers' own RAID/LV/DRBD names are the ones listed
    const renamed = { ...d, raid: { device: '/dev/md/nfs' }, lvm: { vg: 'vg1', lv: 'data' }, drbd: { ...(d.drbd as object), device: '/dev/drbd7' } };
    const r = byPath(renamed, facts);
    for (const p of ['/dev/md/nfs', '/dev/vg1/data', '/dev/drbd7']) expect(r.get(p)?.reasons.length, p).toBe(1);
  });

  test('the shared disk chosen as a RAID member on either node is refused for SBD', () => {
    const f = withSharedDisk(facts);
    const d = demo();
    (d.nodes as { disks: string[] }[])[1]!.disks = ['/dev/vdh', '/dev/disk/by-id/virtio-HANFS-N2-SPARE'];
    const c = byPath(d, f).get(SHARED_BY_ID)!;
    expect(c.reasons).toEqual(['a RAID1 member of node2 (nodes[1].disks): sbd(8) forbids an SBD disk mirrored by MD; use a separate shared disk']);
    expect(firstSbdDevice(d, f)).toBeUndefined();
  });

  test('no facts (not probed): nothing to offer', () => {
    expect(sbdCandidates(demo(), null)).toEqual([]);
  });
});
