import { describe, expect, it } from 'vitest';
import { parseByIdListing } from '../../src/probes/by-id.js';
import { fixture } from './fixture.js';

describe('parseByIdListing', () => {
  it('maps kernel names to their stable by-id links', () => {
    const m = parseByIdListing(fixture('ls_l_dev_disk_by-id.bare.node1.txt'));
    expect(m.get('vdb')).toEqual(['/dev/disk/by-id/virtio-HANFS-N1-RAID-B']);
    expect(m.get('sr0')).toEqual(['/dev/disk/by-id/ata-QEMU_DVD-ROM_QM00005']);
    expect(m.get('vda')).toBeUndefined(); // no serial, no link
    expect([...m.keys()].sort()).toEqual(['sr0', 'vdb', 'vdc', 'vdd', 'vde', 'vdf']);
  });

  it('sees the extra disk of the second boot', () => {
    const m = parseByIdListing(fixture('ls_l_dev_disk_by-id.bare-with-stale-md-disk.node2.txt'));
    expect(m.get('vdg')).toEqual(['/dev/disk/by-id/virtio-HANFS-N2-STALEMD']);
  });
});
