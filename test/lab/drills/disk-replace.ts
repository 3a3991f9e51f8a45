// Drill (issue 31): a RAID1 member of the ACTIVE node fails under client load and is replaced with
// `hanfs-wizard disk replace`. The member is failed with `mdadm --fail` (as a dying disk is); a blank disk
// is hot-plugged into the VM through QEMU's monitor (the lab VMs have no blank spare: vdb/vdc are the RAID
// pair, vdd carries an old ext4 on purpose). Then: the rebuild finishes, the array is clean, the service
// never moved (the same node Primary and serving before, during and after), every acknowledged client
// write is there, and the answers file (a copy) records the new disk.
//
// Hot-plug: the lab's machine type is q35, whose root bus takes no hot-plugged device; start-node.sh must
// give each VM a free PCIe root port for it:
//     -device pcie-root-port,id=hanfs-hp,chassis=9,slot=9
// then this drill runs, through the monitor socket (.lab/run/<node>/monitor.sock):
//     drive_add 0 file=<.lab/run/<node>/disk-e.img>,if=none,id=hpe,format=raw,cache=none,aio=threads
//     device_add virtio-blk-pci,drive=hpe,serial=HANFS-<NODE>-E,id=hpdisk,bus=hanfs-hp
// (start-node.sh gives each VM two such ports, hanfs-hp and hanfs-hp2: BAY_1 and BAY_2 below.)
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_RUN, qemuMonitor, run, sshOk, waitFor } from '../lab.js';
import { verifyWrites } from '../workload.js';
import { loadAnswersFile } from '../../../src/answers/load.js';
import type { DrillOutcome, RecoveryDrillContext } from './recovery-context.js';

/**
 * A hot-plug bay: one empty PCIe root port of start-node.sh (`-device pcie-root-port,id=BUS,chassis=N,slot=N`)
 * and the names of the disk plugged into it. The first is this drill's; the second, the monitor's disk
 * drill's (disk-replace-monitor.ts), which runs after this one has filled the first.
 */
export interface HotplugBay {
  /** The image's letter (.lab/run/<node>/disk-<letter>.img) and the serial's suffix (HANFS-<NODE>-<LETTER>). */
  letter: string;
  bus: string;
  chassis: number;
  driveId: string;
  deviceId: string;
}
export const BAY_1: HotplugBay = { letter: 'e', bus: 'hanfs-hp', chassis: 9, driveId: 'hpe', deviceId: 'hpdisk' };
export const BAY_2: HotplugBay = { letter: 'f', bus: 'hanfs-hp2', chassis: 10, driveId: 'hpf', deviceId: 'hpdisk2' };

/** Whether QEMU already has the bay's drive (`info block` lists it by its id). */
export async function bayInUse(node: RecoveryDrillContext['active'], bay: HotplugBay): Promise<boolean> {
  return new RegExp(`^${bay.driveId} `, 'm').test(await qemuMonitor(node, 'info block'));
}

/** Hot-plugs a blank disk the size of the RAID disks into the node; returns its /dev/disk/by-id path. */
export async function hotplugBlankDisk(node: RecoveryDrillContext['active'], bay: HotplugBay = BAY_1): Promise<string> {
  const dir = join(LAB_RUN, node);
  const image = join(dir, `disk-${bay.letter}.img`);
  // A bay already holding a disk (an earlier run on this boot, LAB_REUSE) keeps its image: it may be an array member.
  if (await bayInUse(node, bay)) throw new Error(`${node}: the hot-plug bay ${bay.bus} already holds a disk (${bay.driveId}, from an earlier run on this boot): boot the lab again`);
  // A new image each time: truncate alone would keep an earlier run's md superblock, and the disk would not be blank.
  await run(['rm', '-f', image]);
  const size = (await run(['stat', '-c', '%s', join(dir, 'disk-b.img')])).stdout.trim();
  const t = await run(['truncate', '-s', size, image]);
  if (t.code !== 0) throw new Error(`truncate ${image}: ${t.stderr}`);
  const serial = `HANFS-${node.toUpperCase()}-${bay.letter.toUpperCase()}`;
  const drive = await qemuMonitor(node, `drive_add 0 file=${image},if=none,id=${bay.driveId},format=raw,cache=none,aio=threads`);
  if (!/OK/.test(drive)) throw new Error(`${node}: drive_add: ${drive}`);
  const dev = await qemuMonitor(node, `device_add virtio-blk-pci,drive=${bay.driveId},serial=${serial},id=${bay.deviceId},bus=${bay.bus}`);
  if (dev !== '') {
    throw new Error(`${node}: device_add: ${dev}\nThe VM needs a free PCIe root port for hot-plug: start-node.sh's qemu-system-x86_64 line must have "-device pcie-root-port,id=${bay.bus},chassis=${bay.chassis},slot=${bay.chassis}" (a lab booted before it had one: boot it again)`);
  }
  const byId = `/dev/disk/by-id/virtio-${serial}`;
  await waitFor(`${node} sees ${byId}`, 60_000, 1_000, async () => ((await sshOk(node, `test -e ${byId} && echo yes || true`)).trim() === 'yes' ? true : null));
  return byId;
}

export async function primaryOf(ctx: RecoveryDrillContext): Promise<string> {
  // DRBD 8.4's `drbdadm role` prints local/peer ("Primary/Secondary"): the local role is the first part.
  return (await sshOk(ctx.active, `drbdadm role ${ctx.drbdResource}`, 60_000)).trim().split('/')[0]!;
}

export async function diskReplaceDrill(ctx: RecoveryDrillContext): Promise<DrillOutcome> {
  const { active } = ctx;
  const transcripts: string[] = [];
  await waitFor('client writes flowing', 60_000, 500, async () => (ctx.workload.acked.size >= 3 ? true : null));
  const newDisk = await hotplugBlankDisk(active);

  // The failure: the second member of the active node's array failed, under load.
  const answers = readFileSync(ctx.answers, 'utf8');
  const lab = `virtio-HANFS-${active.toUpperCase()}-C`;
  await sshOk(active, `mdadm --manage ${ctx.raidDevice} --fail /dev/disk/by-id/${lab}`);
  await waitFor('the array degraded', 60_000, 1_000, async () => (/degraded/.test(await sshOk(active, `mdadm --detail ${ctx.raidDevice}`)) ? true : null));
  const before = await primaryOf(ctx);

  // The replacement, with a copy of the answers (the harness's own file stays as it is for later drills).
  const copy = join(ctx.logDir, 'disk-replace-answers.yaml');
  copyFileSync(ctx.answers, copy);
  const dry = await run(['node', ctx.cli, 'disk', 'replace', active, '--dry-run', '--answers', copy], { env: ctx.env, timeoutMs: 300_000 });
  transcripts.push(`$ disk replace ${active} --dry-run (exit ${dry.code})\n${dry.stdout}${dry.stderr}`);
  if (dry.code !== 0 || !dry.stdout.includes(`failed member (still listed)`)) throw new Error(`disk replace --dry-run:\n${dry.stdout}${dry.stderr}`);
  const log = join(ctx.logDir, 'disk-replace.log');
  const r = await run(['node', ctx.cli, 'disk', 'replace', active, '--disk', newDisk, '--yes', '--answers', copy, '--log', log], { env: ctx.env, timeoutMs: 3_600_000 });
  transcripts.push(`$ disk replace ${active} --disk ${newDisk} --yes (exit ${r.code})\n${r.stdout}${r.stderr}`);
  if (r.code !== 0) throw new Error(`disk replace exited ${r.code}; journal ${log}:\n${r.stdout}${r.stderr}`);

  // Read back on the node itself: clean, the new disk active; the service did not move; nothing lost.
  const detail = await sshOk(active, `mdadm --detail ${ctx.raidDevice}`);
  if (/degraded|recovering/.test(detail) || !/active sync\s+\/dev\/vd/.test(detail)) throw new Error(`the array after disk replace:\n${detail}`);
  const after = await primaryOf(ctx);
  if (before !== 'Primary' || after !== 'Primary') throw new Error(`the service moved: ${active} was ${before}, is ${after}`);
  const { bad } = await verifyWrites(ctx.workload.node, ctx.workload.acked);
  if (bad.length) throw new Error(`disk replace drill: acknowledged writes lost: ${bad.slice(0, 10).join(', ')}`);
  const updated = readFileSync(copy, 'utf8');
  // The disk in disks and its diskIdentity entry (renamed, with the new disk's serial) follow the new disk;
  // the old one is named nowhere; the file still loads (it did not, before: a drill found that).
  const serial = newDisk.replace('/dev/disk/by-id/virtio-', '');
  const expected = answers.replace(`/dev/disk/by-id/${lab}]`, `${newDisk}]`);
  const identityLine = new RegExp(`^      ${newDisk.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\{ serial: "${serial}"(, size: \\d+)? \\}$`, 'm');
  if (!updated.includes(`${newDisk}]`) || updated.includes(lab) || !identityLine.test(updated) || updated.split('\n').length !== expected.split('\n').length) {
    throw new Error(`the answers copy does not record ${newDisk} (and its serial) in place of ${lab}:\n${updated}`);
  }
  const loaded = await loadAnswersFile(copy);
  if (!loaded.ok) throw new Error(`the answers copy no longer loads after the replacement: ${JSON.stringify(loaded)}`);
  return { note: `${active}: ${lab} failed, ${newDisk} hot-plugged and rebuilt; service stayed on ${active}; ${ctx.workload.acked.size} writes kept`, transcripts };
}
