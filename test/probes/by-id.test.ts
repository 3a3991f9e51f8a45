import { describe, expect, it } from 'vitest';
import { parseByIdListing } from '../../src/probes/by-id.js';
import { fixture } from './fixture.js';
import { trixie } from '../helpers/lab-trixie.js';

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

describe('on the Debian 13 lab (test/fixtures/lab-trixie)', () => {
  it('maps the serials, the md array and the LV to their kernel names', () => {
    const m = parseByIdListing(trixie('running', 'ls_l_dev_disk_by-id.lab2.txt'));
    expect(m.get('vdb')).toEqual(['/dev/disk/by-id/virtio-HANFS-LAB2-B']);
    expect(m.get('vdc')).toEqual(['/dev/disk/by-id/virtio-HANFS-LAB2-C']);
    expect(m.get('md0')).toContain('/dev/disk/by-id/md-name-any:0');
    expect(m.get('dm-0')).toContain('/dev/disk/by-id/dm-name-vg_nfs-lv_nfs');
  });
});
