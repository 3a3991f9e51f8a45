// probeNode on the Debian 13 lab: the demo lab's trixie scenarios replay the lab's real captures
// (test/fixtures/lab-trixie, copied by demo-lab/make-trixie.mjs). The Debian 12 counterpart is
// probe-node.test.ts on the bare scenario. What the later states must show is read from their captures
// (crm_mon -1rf, /proc/mdstat, mdadm --detail, ip -j link, wipefs) by the test itself.
import { describe, expect, it } from 'vitest';
import { createDemoRunners } from '../../src/exec/demo-lab.js';
import { probeNode, probeNodes, reached } from '../../src/probes/probe-node.js';
import type { DiskInfo } from '../../src/probes/types.js';
import { parseMdadmDetail } from '../../src/probes/mdadm-detail.js';
import { trixie, type TrixieState } from '../helpers/lab-trixie.js';

/** Why a disk is refused (none when eligible). */
const codes = (d: DiskInfo | undefined) => (d === undefined || d.verdict.eligible ? [] : d.verdict.codes);

describe('probeNode on the Debian 13 lab (trixie-running: lab2 active)', () => {
  it('learns both nodes: trixie, kernel 6.12 with DRBD 8.4.11 loaded, Pacemaker 3.0, the stack in use', async () => {
    const facts = await probeNodes(createDemoRunners('trixie-running'));
    expect(facts.map((f) => f.hostname)).toEqual(['lab1', 'lab2']);
    for (const f of facts) {
      expect(f.os?.prettyName).toBe('Debian GNU/Linux 13 (trixie)');
      expect(f.kernel).toBe('6.12.118+deb13-amd64');
      expect(f).toMatchObject({ drbdModuleVersion: '8.4.11', drbdModuleLoaded: true, packageFamily: 'debian', installCommand: null, defaultGateway: null });
      expect(f.packages.find((p) => p.name === 'pacemaker')?.version).toBe('3.0.0-2');
      expect(f.packages.find((p) => p.name === 'drbd-utils')?.version).toBe('9.22.0-1.1');
      expect(f.md?.map((a) => `${a.name}:${a.map}:${a.detailState?.join(',')}:${a.mdName}`)).toEqual(['md0:UU:clean:any:0']);
      expect(f.lvm?.lvs.map((l) => `${l.vg}/${l.name}:${l.open}`)).toEqual(['vg_nfs/lv_nfs:true']);
      // Every probe is answered by a capture (NIC speeds are not: unknown speed is not a failure).
      expect(f.failures).toEqual([]);
    }
    const [lab1, lab2] = facts;
    // No disk is offered: the RAID pair is in use (mounted on the active node), vdd carries the old ext4.
    expect(lab1!.disks.map((d) => [d.name, d.verdict.eligible, codes(d)])).toEqual([
      ['vda', false, ['holds-root', 'signature']],
      ['vdb', false, ['held', 'signature']],
      ['vdc', false, ['held', 'signature']],
      ['vdd', false, ['signature']],
    ]);
    expect(codes(lab2!.disks.find((d) => d.name === 'vdb'))).toEqual(['mounted', 'held', 'signature']);
    expect(lab2!.disks.find((d) => d.name === 'vdb')?.byId).toEqual(['/dev/disk/by-id/virtio-HANFS-LAB2-B']);
    expect(lab2!.nics.find((n) => n.name === 'svc0')?.addresses).toEqual(['192.168.101.12/24', '192.168.101.100/24']);
  });

  it('runs no wipefs on the disks in use under the mounted DRBD device', async () => {
    const [, r] = createDemoRunners('trixie-running');
    await probeNode(r!);
    const ran = r!.history.map((a) => a.join(' '));
    expect(ran.filter((c) => c.startsWith('wipefs'))).toEqual(['wipefs -n --json /dev/vdd']);
    expect(ran).toContain('mdadm --detail /dev/md0');
  });
});

describe('probeNode on the Debian 13 lab (trixie-failed-over: lab2 killed)', () => {
  it('learns the survivor, and says the killed node did not answer', async () => {
    const [lab1, lab2] = await probeNodes(createDemoRunners('trixie-failed-over'));
    expect(reached(lab1!)).toBe(true);
    expect(lab1!.nics.find((n) => n.name === 'svc0')?.addresses).toEqual(['192.168.101.11/24', '192.168.101.100/24']);
    expect(codes(lab1!.disks.find((d) => d.name === 'vdb'))).toEqual(['mounted', 'held', 'signature']);
    expect(reached(lab2!)).toBe(false);
    expect(lab2!.failures[0]?.message).toMatch(/no capture for: uname -n/);
  });
});

/** The virtual IP of the lab answers (test/lab/lab-answers.yaml). */
const VIP = '192.168.101.100/24';
/** The node `crm_mon -1rf` of the state says runs the virtual IP. */
const vipNode = (state: TrixieState) => /^\s+\* p_vip\t\([^)]+\):\t Started (\S+)$/m.exec(trixie(state, 'crm_mon_1rf.lab1.txt'))![1]!;

describe('probeNode on the Debian 13 lab after the drills (trixie-rejoined, trixie-service-link-cut, trixie-after-drills)', () => {
  it.each(['rejoined', 'service-link-cut', 'after-drills'] as const)('%s: both nodes learnt; the virtual IP and the mounted pair where crm_mon -1rf runs them; md0 in sync', async (state) => {
    const facts = await probeNodes(createDemoRunners(`trixie-${state}`));
    const active = vipNode(state);
    expect(facts.map((f) => f.hostname)).toEqual(['lab1', 'lab2']);
    for (const f of facts) {
      expect(f.failures).toEqual([]);
      expect(f.os?.prettyName).toBe('Debian GNU/Linux 13 (trixie)');
      expect(f.packages.find((p) => p.name === 'pacemaker')?.version).toBe('3.0.0-2');
      expect(f.nics.find((n) => n.name === 'svc0')?.addresses.includes(VIP)).toBe(f.hostname === active);
      // The RAID pair is held under LVM and DRBD everywhere, mounted only where the service runs.
      const md = f.md?.[0];
      expect(md).toMatchObject({ name: 'md0', map: 'UU' });
      for (const m of md!.members.map((x) => x.device)) {
        expect(codes(f.disks.find((d) => d.name === m))).toEqual(f.hostname === active ? ['mounted', 'held', 'signature'] : ['held', 'signature']);
      }
      expect(f.disks.filter((d) => d.verdict.eligible)).toEqual([]);
    }
  });

  it("service-link-cut: lab1's service NIC has no carrier (ip -j link), the replication NIC is up", async () => {
    const [lab1, lab2] = await probeNodes(createDemoRunners('trixie-service-link-cut'));
    const link = (JSON.parse(trixie('service-link-cut', 'ip_j_link.lab1.json')) as { ifname: string; operstate: string; flags: string[] }[]).find((l) => l.ifname === 'svc0')!;
    expect(link.flags).toContain('NO-CARRIER');
    expect(lab1!.nics.find((n) => n.name === 'svc0')?.state).toBe(link.operstate);
    expect(lab1!.nics.find((n) => n.name === 'svc0')?.state).toBe('DOWN');
    expect(lab1!.nics.find((n) => n.name === 'repl0')?.state).toBe('UP');
    expect(lab2!.nics.find((n) => n.name === 'svc0')?.state).toBe('UP');
  });

  it('after-drills: lab2 runs md0 on vdb and the replacement vde; the replaced vdc still carries its md0 superblock and is refused for it', async () => {
    const [, lab2] = await probeNodes(createDemoRunners('trixie-after-drills'));
    const detail = parseMdadmDetail(trixie('after-drills', 'mdadm_detail_md0.lab2.txt'));
    expect(lab2!.md?.[0]?.members.map((m) => `/dev/${m.device}`).sort()).toEqual(detail.devices.map((d) => d.device).sort());
    expect(detail.devices.map((d) => d.device).sort()).toEqual(['/dev/vdb', '/dev/vde']);
    const vdc = lab2!.disks.find((d) => d.name === 'vdc')!;
    expect(codes(vdc)).toEqual(['signature']);
    // wipefs names what is on it: an md member of the same array (mdadm --detail's UUID, in wipefs's form).
    const sig = JSON.parse(trixie('after-drills', 'wipefs_n_json_vdc.lab2.json')).signatures[0];
    expect(sig.type).toBe('linux_raid_member');
    expect(sig.uuid.replace(/-/g, '')).toBe(detail.uuid!.replace(/:/g, ''));
    // The grown LV, as lvs printed it.
    const lvs = JSON.parse(trixie('after-drills', 'lvs_reportformat_json_units_b.lab2.json')).report[0].lv[0];
    expect(lab2!.lvm?.lvs.map((l) => [l.name, l.sizeBytes])).toEqual([[lvs.lv_name, Number(lvs.lv_size.replace(/B$/, ''))]]);
  });
});
