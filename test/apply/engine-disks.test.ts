// Issue 25 through the engine: an array of the answers' name with other members is refused at the
// assessment, before anything runs; an existing md array that pvcreate would overwrite is reviewed and
// confirmed like a disk (nothing runs unconsented) and refused when it carries a signature. Node1 is a
// replay of real captures (test/fixtures/apply/SOURCE.md: foreign-md, existing-md), node2 the demo lab's
// bare node2.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/schema.js';
import { createDemoRunners } from '../../src/exec/demo-lab.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import type { DiskReview } from '../../src/apply/disk-review.js';
import { MembersScriptNode } from '../helpers/md-members.js';
import { answers, FIX, readOnlyArgv, setup } from './engine-harness.js';

function nodes(scenario: string): MembersScriptNode[] {
  const demo = createDemoRunners('bare');
  return [new MembersScriptNode('node1', new ReplayRunner({ dir: join(FIX, scenario, 'node1'), label: 'node1' })), new MembersScriptNode('node2', demo[1]!)];
}

/** Commands that change something: anything but the plan's checks, the disk and device reviews. */
function changes(a: Answers, ns: MembersScriptNode[]): string[] {
  const ro = readOnlyArgv(a);
  return ns.flatMap((n) => n.seen.map((x) => JSON.stringify(x))).filter((x) => !ro.has(x) && !x.startsWith('["wipefs","-n","--json",') && !x.startsWith('["mdadm","--detail",'));
}

describe('the array checked by its members, before anything runs', () => {
  it('an md0 of other disks is refused with its members and the answers\' disks; no disk is even reviewed', async () => {
    const a = await answers('demo-answers.yaml'); // node1's disks: RAID-B and SPARE; md0 is RAID-B + RAID-C
    const ns = nodes('foreign-md');
    let asked = false;
    const out = await setup(a, ns, { confirmWipe: async () => ((asked = true), true) }).engine.run();
    expect(out.kind).toBe('refused');
    if (out.kind !== 'refused') return;
    expect(out.reason).toMatch(/^node1: \/dev\/md0 is another array: its members are \/dev\/vdb \(254:16, serial HANFS-N1-RAID-B\), \/dev\/vdc \(254:32, serial HANFS-N1-RAID-C\), the answers' disks are \/dev\/disk\/by-id\/virtio-HANFS-N1-RAID-B \(\/dev\/vdb, 254:16\), \/dev\/disk\/by-id\/virtio-HANFS-N1-SPARE \(\/dev\/vdf, 254:80\)\./);
    expect(asked).toBe(false);
    expect(changes(a, ns)).toEqual([]);
  });
});

describe('a destructive step over an existing device asks consent like a disk', () => {
  const ours = async () => {
    const a = await answers('demo-answers.yaml');
    // md0 of RAID-B and RAID-C is this node's array: the RAID step is done, pvcreate is not.
    return { ...a, nodes: [{ ...a.nodes[0], disks: ['/dev/disk/by-id/virtio-HANFS-N1-RAID-B', '/dev/disk/by-id/virtio-HANFS-N1-RAID-C'] }, a.nodes[1]] } as Answers;
  };

  it('an existing blank md0 is shown with the disks to wipe; not confirmed, nothing runs', async () => {
    const a = await ours();
    const ns = nodes('existing-md');
    let shown: DiskReview[] = [];
    const out = await setup(a, ns, { confirmWipe: async (r) => ((shown = r), false) }).engine.run();
    expect(out).toEqual({ kind: 'refused', reason: 'the disks to wipe were not confirmed' });
    expect(shown.map((r) => `${r.node}:${r.disk}${r.device ? ' (device)' : ''} ${r.problems.join('; ')}`.trim())).toEqual([
      'node2:/dev/disk/by-id/virtio-HANFS-N2-RAID-B',
      'node2:/dev/disk/by-id/virtio-HANFS-N2-SPARE',
      'node1:/dev/md0 (device)',
    ]);
    expect(shown[2]!.info).toMatchObject({ path: '/dev/md0', sizeBytes: 267386880, signatures: [] });
    expect(changes(a, ns)).toEqual([]);
  });

  it('an md0 that carries a signature the plan did not write is refused before anything runs', async () => {
    const a = await ours();
    const ns = nodes('foreign-md');
    let asked = false;
    const out = await setup(a, ns, { confirmWipe: async () => ((asked = true), true) }).engine.run();
    expect(out.kind).toBe('refused');
    if (out.kind !== 'refused') return;
    expect(out.reason).toBe('node1:/dev/md0: carries a signature this plan did not write: LVM2_member (if its data is not needed, wipe it yourself: wipefs -a /dev/md0; else choose other names in the answers); mounted at /srv/nfs; in use by vg0-nfs');
    expect(asked).toBe(false);
    expect(changes(a, ns)).toEqual([]);
  });
});
