// The steps as data, on the demo lab's real facts: defaults, validation, and where a reopened draft resumes.
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { NodeFacts } from '../../src/probes/types.js';
import { STEPS, firstUnfinished, stepIndex } from '../../src/steps/index.js';
import { disksStep } from '../../src/steps/disks.js';
import { prereqErrors } from '../../src/steps/prerequisites.js';
import { drbdStep } from '../../src/steps/drbd.js';
import { networkStep } from '../../src/steps/network.js';
import { lvSplit } from '../../src/steps/lvm.js';
import { defaultService, drbdVersionOf, gatewayNic, matchingDisks, preferredDiskPath, suggestPingTarget } from '../../src/steps/defaults.js';
import { setPath } from '../../src/steps/draft.js';
import type { Draft } from '../../src/steps/types.js';
import { ctxOf, demoFacts } from './demo-facts.js';

let facts: NodeFacts[];
beforeAll(async () => {
  facts = await demoFacts();
});
const expected = (): Draft => parse(readFileSync(new URL('../fixtures/wizard/demo-flow-answers.yaml', import.meta.url), 'utf8'));

describe('defaults from the probes', () => {
  test('the service NIC is the pair whose addresses differ and share a subnet (not the NAT NIC both share)', () => {
    expect(gatewayNic(facts[0]!)).toBe('enp0s8');
    expect(defaultService(facts[0]!, facts[1]!)).toEqual({ nic0: 'enp0s9', addr0: '192.168.100.11/24', nic1: 'enp0s9', addr1: '192.168.100.12/24' });
  });

  test('the gateway is suggested as ping target only when it is on the service subnet', () => {
    expect(suggestPingTarget(facts[0], '192.168.100.11/24')?.target).toBe('192.168.100.1');
    expect(suggestPingTarget(facts[0], '10.0.2.15/24')?.target).toBe('10.0.2.2');
  });

  test('disks are named by their by-id link; DRBD versions map to the answers\' values', () => {
    const vdb = facts[0]!.disks.find((d) => d.name === 'vdb')!;
    expect(preferredDiskPath(vdb)).toBe('/dev/disk/by-id/virtio-HANFS-N1-RAID-B');
    expect(drbdVersionOf('8.4.11')).toBe('8.4');
    expect(drbdVersionOf('9.2.12')).toBe('9');
    expect(drbdVersionOf(null)).toBe(null);
  });

  test('LV size and the space kept for snapshots', () => {
    expect(lvSplit('80%VG', 1000)).toEqual({ lv: 800, kept: 200 });
    expect(lvSplit('500M', 2 ** 30)).toEqual({ lv: 500 * 2 ** 20, kept: 2 ** 30 - 500 * 2 ** 20 });
    expect(lvSplit('lots', 1000)).toBe(null);
  });
});

describe('disk validation', () => {
  const step = disksStep(0);
  const withDisks = (disks: string[]) => setPath({ version: 1 }, 'nodes[0].disks', disks);

  test('two blank disks pass', () => {
    expect(step.validate(withDisks(['/dev/disk/by-id/virtio-HANFS-N1-RAID-B', '/dev/vdf']), ctxOf(facts))).toEqual({});
  });

  test('the same disk under two names is refused', () => {
    const e = step.validate(withDisks(['/dev/vdb', '/dev/disk/by-id/virtio-HANFS-N1-RAID-B']), ctxOf(facts));
    expect(e['nodes[0].disks']).toMatch(/is the same disk as \/dev\/vdb/);
  });

  test('a disk in use (stale md member) and a disk with a filesystem are refused with their reasons', () => {
    const e = step.validate(withDisks(['/dev/vdg', '/dev/vdd']), ctxOf(facts));
    expect(e['nodes[0].disks']).toMatch(/vdg cannot be used: .*in use by md127/);
    expect(e['nodes[0].disks']).toMatch(/vdd cannot be used: .*ext4/);
  });

  test('one disk, or a disk the node does not have, is refused', () => {
    expect(step.validate(withDisks(['/dev/vdb']), ctxOf(facts))['nodes[0].disks']).toMatch(/exactly two/);
    expect(step.validate(withDisks(['/dev/vdb', '/dev/sdz']), ctxOf(facts))['nodes[0].disks']).toMatch(/\/dev\/sdz is not a disk of node1/);
  });

  test('the second node proposes its disks of the same name and size as the first node\'s pair, never overwriting', () => {
    const second = disksStep(1);
    const d = setPath({ version: 1 }, 'nodes[0].disks', ['/dev/disk/by-id/virtio-HANFS-N1-RAID-B', '/dev/vdc']);
    const filled = second.prefill!(d, ctxOf(facts));
    expect(filled['nodes']).toEqual([
      { disks: ['/dev/disk/by-id/virtio-HANFS-N1-RAID-B', '/dev/vdc'] },
      {
        disks: ['/dev/disk/by-id/virtio-HANFS-N2-RAID-B', '/dev/disk/by-id/virtio-HANFS-N2-RAID-C'],
        // Each proposed disk's identity as the probe found it (issue 25): what apply compares before wiping.
        diskIdentity: {
          '/dev/disk/by-id/virtio-HANFS-N2-RAID-B': { serial: 'HANFS-N2-RAID-B', size: 268435456 },
          '/dev/disk/by-id/virtio-HANFS-N2-RAID-C': { serial: 'HANFS-N2-RAID-C', size: 268435456 },
        },
      },
    ]);
    expect(second.validate(filled, ctxOf(facts))).toEqual({});
    // A choice already made on the second node, even an emptied one, stays.
    expect(second.prefill!(setPath(d, 'nodes[1].disks', []), ctxOf(facts))).toEqual(setPath(d, 'nodes[1].disks', []));
    // No facts, nothing chosen, or a chosen disk without a usable twin: no guess at all.
    expect(second.prefill!(d, ctxOf(null))).toEqual(d);
    expect(matchingDisks(facts[0], [], facts[1])).toBeNull();
    const peerVdcUsed = { ...facts[1]!, disks: facts[1]!.disks.map((x) => (x.name === 'vdc' ? { ...x, verdict: { eligible: false, reasons: ['in use'] } } : x)) };
    expect(matchingDisks(facts[0], ['/dev/vdb', '/dev/vdc'], peerVdcUsed)).toBeNull();
    const peerVdcBigger = { ...facts[1]!, disks: facts[1]!.disks.map((x) => (x.name === 'vdc' ? { ...x, sizeBytes: x.sizeBytes * 2 } : x)) };
    expect(matchingDisks(facts[0], ['/dev/vdb', '/dev/vdc'], peerVdcBigger)).toBeNull();
  });

  test('a size mismatch is explained, not refused', () => {
    const d = withDisks(['/dev/vdb', '/dev/vdf']);
    expect(step.notes!(d, ctxOf(facts)).join(' ')).toMatch(/RAID1 uses 0\.25 GiB of each/);
  });
});

describe('prerequisites', () => {
  test('the demo nodes have everything', () => {
    expect(prereqErrors({}, ctxOf(facts))).toEqual({});
  });

  test('a DRBD module version mismatch between the nodes is an error', () => {
    const other = { ...facts[1]!, drbdModuleVersion: '9.2.12' };
    expect(prereqErrors({}, ctxOf([facts[0]!, other]))['drbd.version']).toMatch(/node1 has 8\.4\.11, node2 has 9\.2\.12/);
  });

  test('a node name that is not uname -n is an error', () => {
    const d = setPath({}, 'nodes[1].name', 'nfs2');
    expect(prereqErrors(d, ctxOf(facts))['nodes[1].name']).toMatch(/uname -n says node2/);
  });
});

describe('form steps validate with the answers file schema', () => {
  test('drbd: an invalid replication address and port 22', () => {
    let d = drbdStep.prefill!({ version: 1 }, ctxOf(facts));
    d = setPath(d, 'nodes[0].replication.address', '10.10.0.300/24');
    d = setPath(d, 'drbd.port', 22);
    const e = drbdStep.validate(d, ctxOf(facts));
    expect(e['nodes[0].replication.address']).toMatch(/IPv4 address with prefix/);
    expect(e['drbd.port']).toBe('must not be 22 (SSH)');
  });

  test('network: the virtual IP may not be a node address, nor outside the service subnet', () => {
    let d = networkStep.prefill!({ version: 1 }, ctxOf(facts));
    expect(networkStep.validate(d, ctxOf(facts))['virtualIp.address']).toBe('is required');
    d = setPath(d, 'virtualIp.address', '192.168.100.11/24');
    expect(networkStep.validate(d, ctxOf(facts))['virtualIp.address']).toMatch(/already used by nodes\[0\]\.service\.address/);
    d = setPath(d, 'virtualIp.address', '10.9.9.9/24');
    expect(networkStep.validate(d, ctxOf(facts))['virtualIp.address']).toMatch(/not in the service subnet/);
    d = setPath(d, 'virtualIp.address', '192.168.100.100/24');
    expect(networkStep.validate(d, ctxOf(facts))).toEqual({});
  });
});

describe('reopening a draft', () => {
  test('a complete file resumes at the finish; removing answers resumes at the first step that lacks them', () => {
    const full = expected();
    const ctx = ctxOf(null);
    expect(STEPS[firstUnfinished(STEPS, full, ctx)]!.id).toBe('finish');
    const noVip = { ...full, virtualIp: undefined };
    delete noVip.virtualIp;
    expect(STEPS[firstUnfinished(STEPS, noVip, ctx)]!.id).toBe('network');
    const noDisks = setPath(full, 'nodes[1].disks', undefined);
    expect(STEPS[firstUnfinished(STEPS, noDisks, ctx)]!.id).toBe('disks-1');
    expect(firstUnfinished(STEPS, {}, ctx)).toBe(0);
    expect(STEPS[firstUnfinished(STEPS, { version: 1 }, ctx)]!.id).toBe('nodes');
  });

  test('every step has an id, a title and help; ids are unique', () => {
    const ids = STEPS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of STEPS) expect(s.help.length).toBeGreaterThan(40);
    expect(stepIndex(STEPS, 'review')).toBe(STEPS.length - 2);
  });
});
