import { describe, expect, it } from 'vitest';
import { blkidSignatures, parseBlkidExport, parseWipefsJson } from '../../src/probes/signatures.js';
import { fixture } from './fixture.js';
import { trixie, trixieExit } from '../helpers/lab-trixie.js';

const types = (name: string) => {
  const r = parseWipefsJson(fixture(name));
  if (!r.ok) throw new Error(r.error);
  return r.value.map((s) => s.type);
};

describe('parseWipefsJson', () => {
  it('reads blank, ext4, stale md member, in-use RAID member and LVM PV', () => {
    expect(types('wipefs_n_json_vdf.bare.node1.txt')).toEqual([]);
    expect(types('wipefs_n_json_vdd.bare.node1.txt')).toEqual(['ext4']);
    expect(types('wipefs_n_json_vdg.bare-stale-md-member.node1.txt')).toEqual(['linux_raid_member']);
    expect(types('wipefs_n_json_vdb.in-use-raid-member.node1.txt')).toEqual(['linux_raid_member']);
    expect(types('wipefs_n_json_md0.in-use-lvm-pv.node1.txt')).toEqual(['LVM2_member']);
    const ext4 = parseWipefsJson(fixture('wipefs_n_json_vdd.bare.node1.txt'));
    expect(ext4.ok && ext4.value[0]).toMatchObject({ offset: '0x438', label: 'olddata1', uuid: '1d59cb03-e84d-4b8b-b8af-8f0999c9decd' });
  });

  it('reports garbage as data', () => {
    expect(parseWipefsJson('wipefs: error: /dev/vdz: probing initialization failed').ok).toBe(false);
  });
});

describe('blkid -p -o export', () => {
  it('reads TYPE/LABEL/UUID, and exit 2 with nothing as no signature', () => {
    expect(parseBlkidExport(fixture('blkid_p_o_export_vdd.bare.node1.txt'))).toMatchObject({ TYPE: 'ext4', LABEL: 'olddata1', USAGE: 'filesystem' });
    expect(blkidSignatures(fixture('blkid_p_o_export_vde.bare.node1.txt'), 2)).toEqual({ ok: true, value: [] });
    const md = blkidSignatures(fixture('blkid_p_o_export_vdg.bare-stale-md-member.node1.txt'), 0);
    expect(md.ok && md.value.map((s) => s.type)).toEqual(['linux_raid_member']);
    // DRBD's internal metadata on the LV is a signature too (TYPE=drbd).
    const drbd = blkidSignatures(fixture('blkid_p_o_export_vg0-nfs.in-use-drbd-backing.node1.txt'), 0);
    expect(drbd.ok && drbd.value.map((s) => s.type)).toEqual(['drbd']);
    expect(blkidSignatures('', 4).ok).toBe(false);
  });
});

describe('on the Debian 13 lab (test/fixtures/lab-trixie, util-linux 2.41)', () => {
  it('wipefs sees the RAID members and the old ext4; blkid says the same', () => {
    const md = parseWipefsJson(trixie('running', 'wipefs_n_json_vdb.lab1.json'));
    expect(md.ok && md.value.map((s) => [s.type, s.offset, s.label])).toEqual([['linux_raid_member', '0x1000', 'any:0']]);
    const ext4 = parseWipefsJson(trixie('running', 'wipefs_n_json_vdd.lab2.json'));
    expect(ext4.ok && ext4.value.map((s) => [s.type, s.label])).toEqual([['ext4', 'olddata2']]);
    const b = blkidSignatures(trixie('failed-over', 'blkid_p_o_export_vdc.lab1.txt'), trixieExit('failed-over', 'blkid_p_o_export_vdc.lab1.txt'));
    expect(b.ok && b.value.map((s) => [s.type, s.label])).toEqual([['linux_raid_member', 'any:0']]);
  });
});
