// probeNode on the Debian 13 lab: the demo lab's trixie scenarios replay the lab's real captures
// (test/fixtures/lab-trixie, copied by demo-lab/make-trixie.mjs). The Debian 12 counterpart is
// probe-node.test.ts on the bare scenario.
import { describe, expect, it } from 'vitest';
import { createDemoRunners } from '../../src/exec/demo-lab.js';
import { probeNode, probeNodes, reached } from '../../src/probes/probe-node.js';
import type { DiskInfo } from '../../src/probes/types.js';

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
