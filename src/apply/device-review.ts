// The block device a destructive step overwrites that is not a whole disk (PlanStep.overwrites: the md
// array pvcreate writes, the LV create-md writes), reviewed before anything runs (issue 25). Absent, it
// is made in this run from disks the admin confirmed: nothing to ask. Present, its data is at stake like
// a disk's: it is shown and confirmed the same way (the wipe prompt, or --yes --wipe NODE:DEVICE), and
// refused outright when it carries a signature (a filesystem, a PV, DRBD metadata...): the plan writes
// those only through the step itself, which would then be done, not pending.
import type { Runner } from '../exec/runner.js';
import { succeeded } from '../exec/runner.js';
import { runAll } from '../exec/run-all.js';
import { LSBLK_ARGV, descendants, parseLsblk, type BlockDevice } from '../probes/lsblk.js';
import { BY_ID_ARGV, parseByIdListing } from '../probes/by-id.js';
import { parseWipefsJson, wipefsArgv } from '../probes/signatures.js';
import { resolveDisk } from '../plan/md-members.js';
import type { DiskReview } from './disk-review.js';

/** lsblk's path of an LV given as /dev/VG/LV: device-mapper doubles the dashes of each name. */
export function mapperPath(device: string): string | null {
  const m = /^\/dev\/([^/]+)\/([^/]+)$/.exec(device);
  if (!m || m[1] === 'mapper' || m[1] === 'md' || m[1] === 'disk') return null;
  return `/dev/mapper/${m[1]!.replace(/-/g, '--')}-${m[2]!.replace(/-/g, '--')}`;
}

/** The device in lsblk's tree: by its path, its mapper path, or (for /dev/md/NAME) the md on the node's disks. */
export function findDevice(device: string, devices: BlockDevice[], disks: readonly string[], byId: Map<string, string[]>): BlockDevice | null {
  const all = devices.flatMap((d) => [d, ...descendants(d)]);
  const mapper = mapperPath(device);
  const direct = all.find((d) => d.path === device || (mapper !== null && d.path === mapper));
  if (direct) return direct;
  if (!device.startsWith('/dev/md/')) return null;
  const mds = disks.flatMap((disk) => resolveDisk(disk, devices, byId)?.children ?? []).filter((c) => c.type === 'md' || c.type.startsWith('raid'));
  return mds[0] ?? null;
}

/** Null when the device does not exist (yet); else its review, with every reason it must not be overwritten. */
export async function reviewDevice(runner: Runner, node: string, device: string, disks: readonly string[], signal?: AbortSignal): Promise<DiskReview | null> {
  const [lsblk, byIdOut] = await runAll(runner, [LSBLK_ARGV, BY_ID_ARGV], { signal });
  const bad = (problem: string): DiskReview => ({ node, disk: device, info: null, problems: [problem], expected: null, device: true });
  if (!succeeded(lsblk!)) return bad(`lsblk failed: ${(lsblk!.error ?? lsblk!.stderr).trim()}`);
  const parsed = parseLsblk(lsblk!.stdout);
  if (!parsed.ok) return bad(`lsblk output unreadable: ${parsed.error}`);
  const byId = succeeded(byIdOut!) ? parseByIdListing(byIdOut!.stdout) : new Map<string, string[]>();
  const d = findDevice(device, parsed.value, disks, byId);
  if (!d) return null;
  const [w] = await runAll(runner, [wipefsArgv(d.path)], { signal });
  const sigs = succeeded(w!) ? parseWipefsJson(w!.stdout) : { ok: false as const, error: `wipefs failed: ${(w!.error ?? w!.stderr).trim()}` };
  const below = descendants(d);
  const signatures = [...new Set([...(d.fstype ? [d.fstype] : []), ...(sigs.ok ? sigs.value.map((s) => s.type) : [])])];
  const mountpoints = [d, ...below].flatMap((x) => x.mountpoints);
  const holders = d.children.map((c) => c.name);
  const problems: string[] = [];
  if (!sigs.ok) problems.push(`cannot read its signatures: ${sigs.error}`);
  if (signatures.length) problems.push(`carries a signature this plan did not write: ${signatures.join(', ')} (if its data is not needed, wipe it yourself: wipefs -a ${d.path}; else choose other names in the answers)`);
  if (mountpoints.length) problems.push(`mounted at ${mountpoints.join(', ')}`);
  if (holders.length) problems.push(`in use by ${holders.join(', ')}`);
  return {
    node, disk: device, expected: null, device: true, problems,
    info: {
      path: d.path, name: d.name, sizeBytes: d.sizeBytes, model: d.model, serial: d.serial, wwn: d.wwn, rotational: d.rotational,
      byId: [], signatures, mountpoints, holders, hasPartitions: false, verdict: { eligible: true },
    },
  };
}
