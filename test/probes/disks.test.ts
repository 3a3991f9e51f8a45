import { describe, expect, it } from 'vitest';
import { buildDisks, formatBytes } from '../../src/probes/disks.js';
import { parseLsblk } from '../../src/probes/lsblk.js';
import { parseByIdListing } from '../../src/probes/by-id.js';
import { parseWipefsJson, type Signature } from '../../src/probes/signatures.js';
import { fail, type Parsed } from '../../src/probes/parsed.js';
import { fixture } from './fixture.js';

function devices(name: string) {
  const r = parseLsblk(fixture(name));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}
const verdicts = (disks: ReturnType<typeof buildDisks>) =>
  Object.fromEntries(disks.map((d) => [d.name, d.verdict.eligible ? 'eligible' : d.verdict.codes?.join(',')]));

describe('buildDisks verdicts on real lab nodes', () => {
  it('bare node with the stale md disk: every refusal reason the lab shows', () => {
    const sigs = new Map<string, Parsed<Signature[]>>([
      ['vdb', parseWipefsJson(fixture('wipefs_n_json_vdf.bare.node1.txt'))],
      ['vdd', parseWipefsJson(fixture('wipefs_n_json_vdd.bare.node1.txt'))],
      ['vdf', parseWipefsJson(fixture('wipefs_n_json_vdf.bare.node1.txt'))],
      ['vdg', parseWipefsJson(fixture('wipefs_n_json_vdg.bare-stale-md-member.node1.txt'))],
      ['vdc', fail('wipefs: exit 1')],
    ]);
    const disks = buildDisks({
      devices: devices('lsblk_J_b_O.bare-with-stale-md-disk.node1.json'),
      byId: parseByIdListing(fixture('ls_l_dev_disk_by-id.bare.node1.txt')),
      signatures: sigs,
    });
    // sr0 (rom) is not a disk; vde is not in sigs: it is still judged on size.
    expect(verdicts(disks)).toEqual({
      vda: 'holds-root,signature',
      vdb: 'eligible',
      vdc: 'signatures-unknown',
      vdd: 'signature',
      vde: 'too-small',
      vdf: 'eligible',
      vdg: 'held,signature',
    });
    const vdg = disks.find((d) => d.name === 'vdg')!;
    expect(vdg.holders).toEqual(['md127']);
    expect(!vdg.verdict.eligible && vdg.verdict.reasons[0]).toBe('in use by md127 (md)');
    const vde = disks.find((d) => d.name === 'vde')!;
    expect(!vde.verdict.eligible && vde.verdict.reasons).toEqual(['too small: 32 MiB (at least 64 MiB)']);
    expect(disks.find((d) => d.name === 'vdb')!.byId).toEqual(['/dev/disk/by-id/virtio-HANFS-N1-RAID-B']);
  });

  it('full stack active: RAID members are held and mounted through DRBD', () => {
    const disks = buildDisks({ devices: devices('lsblk_J_b_O.full-stack-active.node1.json'), byId: new Map(), signatures: new Map() });
    const vdb = disks.find((d) => d.name === 'vdb')!;
    expect(vdb.holders).toEqual(['md0', 'vg0-nfs', 'drbd0']);
    expect(vdb.mountpoints).toEqual(['/srv/nfs']);
    expect(vdb.verdict.eligible === false && vdb.verdict.codes).toEqual(['mounted', 'held', 'signature']);
    expect(vdb.signatures).toEqual(['linux_raid_member']);
  });

  it('the minimum size is a parameter', () => {
    const disks = buildDisks({ devices: devices('lsblk_J_b_O.bare.node1.json'), byId: new Map(), signatures: new Map(), minDiskBytes: 300 * 1024 * 1024 });
    expect(verdicts(disks).vdb).toBe('too-small');
    expect(verdicts(disks).vdf).toBe('eligible');
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(268435456)).toBe('256 MiB');
    expect(formatBytes(2147483648)).toBe('2 GiB');
    expect(formatBytes(1073741312)).toBe('1024.0 MiB');
  });
});
