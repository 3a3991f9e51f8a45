// Phase: the local storage of each node: RAID1 of its two disks, LVM on the mirror.
import type { NodeAnswers } from '../../answers/schema.js';
import { parseLvSize } from '../../answers/schema.js';
import { mdArrayName } from '../../answers/derived.js';
import type { PlanContext } from '../context.js';
import { LVS, MDSTAT, lvExists, mdActive, ok } from '../judges.js';
import { judgeMdMembers, mdMembersArgv, type MdMembersInput } from '../md-members.js';
import { pinDisksArgv } from '../disk-pins.js';
import { step, type PlanStep } from '../types.js';

/** lvcreate's size arguments: -l for percentages (of the VG), -L for absolute sizes. */
export function lvSizeArgs(size: string): string[] {
  const p = parseLvSize(size);
  if (p === null) return ['-l', size];
  return 'percent' in p ? ['-l', `${p.percent}%${p.of}`] : ['-L', `${p.bytes}b`];
}

export function storage(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const { a, lv } = ctx;
  const [homehost, name] = mdArrayName(a).split(':');
  const members: MdMembersInput = { node: n.name, field: `nodes[${a.nodes.indexOf(n)}]`, device: a.raid.device, disks: n.disks, identities: n.diskIdentity ?? {} };
  return [
    step({
      id: `${n.name}/raid`, node: n.name, title: `create RAID1 ${a.raid.device} from ${n.disks.join(' and ')}`, parallelGroup: '03-raid',
      why: 'two local disks mirrored, so one failing disk does not cost this node its copy', destructive: true, wipes: [...n.disks],
      // any:name as mdadm.conf's ARRAY line names it: the wildcard homehost keeps the device name at boot
      // without an initramfs rebuild (mdArrayName).
      // First the disks' identities pinned on the node (src/plan/disk-pins.ts): this runs only after the
      // typed confirmation, so a later apply refuses a disk of that name that is another disk.
      commands: [pinDisksArgv(n.disks), ['mdadm', '--create', a.raid.device, '--run', '--metadata=1.2', '--level=1', '--raid-devices=2',
        `--homehost=${homehost}`, `--name=${name}`, ...n.disks]],
      // Done only when the array's members are the answers' disks (src/plan/md-members.ts); an array of
      // that name with other members is refused before anything runs.
      check: {
        kind: 'probe', argv: mdMembersArgv(a.raid.device), describe: `${a.raid.device} is an active raid1 of ${n.disks.join(' and ')}`,
        judge: (r) => ok(r) && judgeMdMembers(r.stdout, members).done,
        refuse: (r) => (ok(r) ? judgeMdMembers(r.stdout, members).refusal : null),
      },
      // Not a wait for the resync: md serves reads and writes while it resyncs, so later steps go on and
      // the engine shows the resync's progress in the background (a 4 TB pair must not delay the cluster).
      verify: { kind: 'probe', argv: MDSTAT, describe: `${a.raid.device} is an active raid1`, judge: (r) => mdActive(r, a.raid.device), progress: 'md-resync', intervalMs: 5000 },
      doneIf: [`${n.name}/lvcreate`],
    }),
    step({
      id: `${n.name}/pvcreate`, node: n.name, title: `make ${a.raid.device} an LVM physical volume`, parallelGroup: '05-lvm', destructive: true,
      why: 'LVM on the mirror leaves free space for snapshots', overwrites: a.raid.device,
      commands: [['pvcreate', '-y', a.raid.device]],
      check: { kind: 'probe', argv: ['pvs', '--reportformat', 'json', '--units', 'b'], describe: `${a.raid.device} is a PV`, judge: (r) => ok(r) && r.stdout.includes(`"pv_name":"${a.raid.device}"`) },
      doneIf: [`${n.name}/vgcreate`],
    }),
    step({
      id: `${n.name}/vgcreate`, node: n.name, title: `create volume group ${a.lvm.vg}`, parallelGroup: '05-lvm',
      why: 'the group the data volume and its snapshots share',
      commands: [['vgcreate', a.lvm.vg, a.raid.device]],
      check: { kind: 'probe', argv: ['vgs', '--reportformat', 'json', '--units', 'b'], describe: `VG ${a.lvm.vg} exists`, judge: (r) => ok(r) && r.stdout.includes(`"vg_name":"${a.lvm.vg}"`) },
      doneIf: [`${n.name}/lvcreate`],
    }),
    step({
      id: `${n.name}/lvcreate`, node: n.name, title: `create logical volume ${lv} (${a.lvm.size})`, parallelGroup: '05-lvm',
      why: 'the backing disk of DRBD; what is left of the VG holds snapshots',
      commands: [['lvcreate', '--yes', '--wipesignatures', 'y', '-n', a.lvm.lv, ...lvSizeArgs(a.lvm.size), a.lvm.vg]],
      check: { kind: 'probe', argv: LVS, describe: `LV ${a.lvm.vg}/${a.lvm.lv} exists`, judge: (r) => lvExists(r, a.lvm.vg, a.lvm.lv) },
    }),
  ];
}
