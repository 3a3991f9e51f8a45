// The demo lab's real facts (demo-facts.ts) with one disk shared by both nodes, for the SBD choice. The
// demo lab has no shared disk, and no lab capture has one yet (issue 26 point 5 adds it to the lab), so
// the shared disk is node1's own captured 32 MiB disk vde, unchanged, also listed among node2's disks
// under the next free kernel name (vdh): what a disk attached to both VMs is, one disk with the same
// serial and by-id link on both nodes. Nothing else of the captures changes.
import type { NodeFacts } from '../../src/probes/types.js';

export const SHARED_BY_ID = '/dev/disk/by-id/virtio-HANFS-N1-SMALL32M';

export function withSharedDisk(facts: NodeFacts[]): NodeFacts[] {
  const disk = facts[0]!.disks.find((d) => d.byId.includes(SHARED_BY_ID));
  if (!disk) throw new Error(`node1's captures no longer have ${SHARED_BY_ID}`);
  if (facts[1]!.disks.some((d) => d.name === 'vdh')) throw new Error('node2 already has a vdh');
  return [facts[0]!, { ...facts[1]!, disks: [...facts[1]!.disks, { ...disk, path: '/dev/vdh', name: 'vdh' }] }];
}
