// The RAID step is judged by the array's members (issue 25): real mdadm --detail, lsblk and by-id captures
// of the lab's node1, put together as src/plan/sh/md-members.sh prints them (test/helpers/md-members.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeMdMembers, mdMembersSections, type MdMembersInput } from '../../src/plan/md-members.js';
import { parsePins, parseLsblkPairs } from '../../src/plan/disk-pins.js';
import { mdMembersText } from '../helpers/md-members.js';

const B = '/dev/disk/by-id/virtio-HANFS-N1-RAID-B';
const C = '/dev/disk/by-id/virtio-HANFS-N1-RAID-C';
const SPARE = '/dev/disk/by-id/virtio-HANFS-N1-SPARE';
const input = (disks: string[], over: Partial<MdMembersInput> = {}): MdMembersInput => ({ node: 'node1', field: 'nodes[0]', device: '/dev/md0', disks, identities: {}, ...over });
const clean = mdMembersText({ detail: 'mdadm_detail_md0.clean.node1.txt', lsblk: 'lsblk_J_b_O.full-stack-active.node1.json', byId: 'ls_l_dev_disk_by-id.bare.node1.txt' });

describe('the RAID step judged by the array\'s members', () => {
  it('splits the script\'s output into its sections', () => {
    const { sections, mdadmExit } = mdMembersSections(clean);
    expect(mdadmExit).toBe(0);
    expect([...sections.keys()]).toEqual(['mdadm-detail', 'lsblk', 'by-id', 'pins']);
    expect(sections.get('mdadm-detail')).toContain('254       16        0      active sync   /dev/vdb');
  });

  it('done when the members are the answers\' disks, named by id or by kernel name', () => {
    expect(judgeMdMembers(clean, input([B, C]))).toEqual({ done: true, refusal: null });
    expect(judgeMdMembers(clean, input([C, B]))).toEqual({ done: true, refusal: null });
    expect(judgeMdMembers(clean, input(['/dev/vdb', '/dev/vdc']))).toEqual({ done: true, refusal: null });
  });

  it('an array of that name with another member is refused, naming its members and the answers\' disks', () => {
    const v = judgeMdMembers(clean, input([B, SPARE]));
    expect(v.done).toBe(false);
    expect(v.refusal).toBe(
      `node1: /dev/md0 is another array: its members are /dev/vdb (254:16, serial HANFS-N1-RAID-B), /dev/vdc (254:32, serial HANFS-N1-RAID-C), ` +
      `the answers' disks are ${B} (/dev/vdb, 254:16), ${SPARE} (/dev/vdf, 254:80). If it is not needed, stop it (mdadm --stop /dev/md0) and run apply again; ` +
      `if it is this cluster's array, name its disks in nodes[0].disks; or choose another raid.device. Nothing was changed.`,
    );
  });

  it('no array of that name: not done, nothing refused (the step creates it)', () => {
    const bare = mdMembersText({ detail: null, lsblk: 'lsblk_J_b_O.bare.node1.json', byId: 'ls_l_dev_disk_by-id.bare.node1.txt' });
    expect(judgeMdMembers(bare, input([B, C]))).toEqual({ done: false, refusal: null });
  });

  it('degraded, a member removed: still ours (the monitor reports it; apply must not create it again)', () => {
    const removed = mdMembersText({ detail: 'mdadm_detail_md0.degraded-vdc-removed.node1.txt', lsblk: 'lsblk_J_b_O.full-stack-active.node1.json', byId: 'ls_l_dev_disk_by-id.bare.node1.txt' });
    expect(judgeMdMembers(removed, input([B, C]))).toEqual({ done: true, refusal: null });
  });

  it('a stale inactive array: refused, as another array or as not running', () => {
    const stale = mdMembersText({ detail: 'mdadm_detail_md127.bare-stale-md-inactive.node1.txt', lsblk: 'lsblk_J_b_O.bare-with-stale-md-disk.node1.json', byId: 'ls_l_dev_disk_by-id.bare-with-stale-md-disk.node1.txt' });
    expect(judgeMdMembers(stale, input([B, C], { device: '/dev/md127' })).refusal).toMatch(/^node1: \/dev\/md127 is another array: its members are \/dev\/vdg \(254:96, serial HANFS-N1-STALEMD\), /);
    const mine = judgeMdMembers(stale, input(['/dev/disk/by-id/virtio-HANFS-N1-STALEMD', B], { device: '/dev/md127' }));
    expect(mine.done).toBe(false);
    expect(mine.refusal).toMatch(/^node1: \/dev\/md127 is inactive \(.*\): start it \(mdadm --run \/dev\/md127\) or stop it/);
  });

  it('a member whose recorded identity differs is refused with both identities', () => {
    expect(judgeMdMembers(clean, input(['/dev/vdb', '/dev/vdc'], { identities: { '/dev/vdb': { serial: 'HANFS-N1-RAID-B', size: 268435456 } } })).done).toBe(true);
    const v = judgeMdMembers(clean, input(['/dev/vdb', '/dev/vdc'], { identities: { '/dev/vdc': { serial: 'HANFS-N2-RAID-C', size: 268435456 } } }));
    expect(v.refusal).toBe('node1: /dev/md0 has /dev/vdc as a member, but it is not the disk recorded (serial differ): expected serial HANFS-N2-RAID-C, WWN -, 268435456 bytes (nodes[0].diskIdentity), found serial HANFS-N1-RAID-C, WWN -, 268435456 bytes (/dev/vdc). Nothing was changed.');
  });
});

describe('the pin record', () => {
  it('reads lsblk -P as pin-disks.sh records it; a disk without serial or WWN pins nothing', () => {
    const local = readFileSync(join(import.meta.dirname, '../fixtures/probes/lsblk_d_n_b_P_o_SERIAL,WWN,SIZE_vda.this-machine.txt'), 'utf8');
    expect(parseLsblkPairs(local)).toEqual({ SERIAL: '', WWN: '', SIZE: '274877906944' });
    expect(parsePins(`/dev/vda\t${local}`).size).toBe(0);
  });
});
