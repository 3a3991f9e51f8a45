import { describe, expect, it } from 'vitest';
import { descendants, parseLsblk } from '../../src/probes/lsblk.js';
import { fixture } from './fixture.js';
import { trixie } from '../helpers/lab-trixie.js';

const get = (name: string) => {
  const r = parseLsblk(fixture(name));
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('parseLsblk', () => {
  it('reads the bare lab node: every disk with size, serial, rotational, mounts', () => {
    const devs = get('lsblk_J_b_O.bare.node1.json');
    expect(devs.map((d) => `${d.name}:${d.type}`)).toEqual(['sr0:rom', 'vda:disk', 'vdb:disk', 'vdc:disk', 'vdd:disk', 'vde:disk', 'vdf:disk']);
    const vda = devs.find((d) => d.name === 'vda')!;
    expect(vda).toMatchObject({ path: '/dev/vda', sizeBytes: 2147483648, fstype: 'ext4', mountpoints: ['/'], serial: null, rotational: true });
    const vdb = devs.find((d) => d.name === 'vdb')!;
    expect(vdb).toMatchObject({ sizeBytes: 268435456, serial: 'HANFS-N1-RAID-B', fstype: null, mountpoints: [], children: [] });
    expect(devs.find((d) => d.name === 'vdd')!.label).toBe('olddata1');
  });

  it('shows the stale md member held by the inactive md127', () => {
    const vdg = get('lsblk_J_b_O.bare-with-stale-md-disk.node1.json').find((d) => d.name === 'vdg')!;
    expect(vdg.fstype).toBe('linux_raid_member');
    expect(vdg.children.map((c) => [c.name, c.type, c.sizeBytes, c.parent])).toEqual([['md127', 'md', 0, 'vdg']]);
  });

  it('walks the full stack md0 -> vg0-nfs -> drbd0 mounted at /srv/nfs', () => {
    const vdb = get('lsblk_J_b_O.full-stack-active.node1.json').find((d) => d.name === 'vdb')!;
    expect(descendants(vdb).map((d) => `${d.name}:${d.type}:${d.fstype ?? '-'}`)).toEqual(['md0:raid1:LVM2_member', 'vg0-nfs:lvm:drbd', 'drbd0:disk:-']);
    expect(descendants(vdb).at(-1)!.mountpoints).toEqual(['/srv/nfs']);
    const passive = get('lsblk_J_b_O.full-stack-passive.node2.json').find((d) => d.name === 'vdb')!;
    expect(descendants(passive).flatMap((d) => d.mountpoints)).toEqual([]);
  });

  it('reads an old-style capture without udev (mountpoint column, no path)', () => {
    const devs = get('lsblk.json');
    const loop = devs.find((d) => d.name === 'loop0')!;
    expect(loop).toMatchObject({ type: 'loop', path: '/dev/loop0', sizeBytes: 67108864, mountpoints: [] });
  });

  it('refuses the HOLDERS error text as data, not a throw', () => {
    const r = parseLsblk(fixture('lsblk_J_b_o_NAME_PATH_SIZE_TYPE_FSTYPE_MOUNTPOINTS_MODEL_SERIAL_WWN_ROTA_HOLDERS.bare.node1.txt'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^lsblk: not JSON/);
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie, util-linux 2.41)', () => {
  const devs = (state: 'running' | 'failed-over', node: string) => {
    const r = parseLsblk(trixie(state, `lsblk_J_b_O.${node}.json`));
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };
  const stack = (d: ReturnType<typeof devs>[number]) => descendants(d).map((x) => `${x.name}:${x.type}:${x.fstype ?? '-'}:${x.mountpoints.join(',') || '-'}`);

  it('walks the stack vdb -> md0 -> vg_nfs-lv_nfs -> drbd0, mounted only where the service runs', () => {
    const vdb = devs('running', 'lab2').find((d) => d.name === 'vdb')!;
    expect(vdb).toMatchObject({ sizeBytes: 536870912, serial: 'HANFS-LAB2-B', fstype: 'linux_raid_member', mountpoints: [] });
    expect(stack(vdb)).toEqual(['md0:raid1:LVM2_member:-', 'vg_nfs-lv_nfs:lvm:drbd:-', 'drbd0:disk:-:/var/lib/nfs,/srv/nfs']);
    expect(stack(devs('running', 'lab1').find((d) => d.name === 'vdc')!)).toEqual(['md0:raid1:LVM2_member:-', 'vg_nfs-lv_nfs:lvm:drbd:-', 'drbd0:disk:-:-']);
    // After the failover the survivor mounts it.
    expect(stack(devs('failed-over', 'lab1').find((d) => d.name === 'vdb')!).at(-1)).toBe('drbd0:disk:-:/var/lib/nfs,/srv/nfs');
  });

  it('lists the root disk and the old ext4 disk as they are', () => {
    expect(devs('running', 'lab1').map((d) => `${d.name}:${d.type}:${d.fstype}`)).toEqual(['vda:disk:ext4', 'vdb:disk:linux_raid_member', 'vdc:disk:linux_raid_member', 'vdd:disk:ext4']);
    expect(devs('running', 'lab1').find((d) => d.name === 'vdd')).toMatchObject({ label: 'olddata1', serial: 'HANFS-LAB1-OLDEXT4', sizeBytes: 134217728 });
  });
});
