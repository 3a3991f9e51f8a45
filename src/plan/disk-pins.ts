// Disks pinned on a node (issue 25): an answers file that names a disk by a kernel name (/dev/sdb) and
// records no identity for it is pinned at the first confirmed apply. The RAID step, which runs only after
// the typed wipe confirmation (or --yes with --wipe), first records on the node what each of its disks is
// (src/plan/sh/pin-disks.sh); every later apply compares the disk of that name with it. On the node, not
// in the admin's answers file: apply never rewrites its input, and every copy of the file, every admin's,
// meets the same record (docs/apply.md, "Disks by identity").
import type { DiskIdentity } from '../answers/disk-identity.js';
import { oneLine } from './sh.js';
import pinDisksSh from './sh/pin-disks.sh';

export const DISK_PINS_PATH = '/var/lib/hanfs-wizard/disk-identity';
export const PIN_DISKS_SCRIPT = oneLine(pinDisksSh);
export const READ_PINS_ARGV = ['cat', DISK_PINS_PATH] as const;

export const pinDisksArgv = (disks: readonly string[]): string[] => ['sh', '-c', PIN_DISKS_SCRIPT, '--', ...disks];

/** `KEY="value"` pairs of `lsblk -P`, unescaping lsblk's \xNN. */
export function parseLsblkPairs(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/([A-Z:-]+)="((?:[^"\\]|\\.)*)"/g)) {
    out[m[1]!] = m[2]!.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
  return out;
}

/** The pin record: disk name -> identity. A line without a serial or WWN pins nothing. */
export function parsePins(text: string): Map<string, DiskIdentity> {
  const out = new Map<string, DiskIdentity>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const p = parseLsblkPairs(line.slice(tab + 1));
    const size = /^\d+$/.test(p.SIZE ?? '') ? Number(p.SIZE) : undefined;
    const id: DiskIdentity = { ...(p.SERIAL ? { serial: p.SERIAL } : {}), ...(p.WWN ? { wwn: p.WWN } : {}), ...(size !== undefined ? { size } : {}) };
    if (id.serial !== undefined || id.wwn !== undefined) out.set(line.slice(0, tab), id);
  }
  return out;
}
