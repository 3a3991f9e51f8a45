// `lsblk -J -b -O`: every column, sizes in bytes. -O rather than a column list because util-linux 2.38
// (Debian 12) has no HOLDERS column (lab capture: "lsblk: unknown column: HOLDERS"); holders are the
// children in the tree instead.
import { fail, isObject, ok, parseJson, str, type Parsed } from './parsed.js';

export interface BlockDevice {
  name: string;
  path: string;
  /** "major:minor" (MAJ:MIN): what an md array lists its members by; null when lsblk did not give it. */
  majMin: string | null;
  sizeBytes: number;
  /** disk, part, rom, md, raid1, lvm, loop, crypt... */
  type: string;
  fstype: string | null;
  pttype: string | null;
  label: string | null;
  /** Mount points, without lsblk's null placeholders. */
  mountpoints: string[];
  model: string | null;
  serial: string | null;
  wwn: string | null;
  rotational: boolean | null;
  readOnly: boolean;
  /** Parent kernel name (PKNAME). */
  parent: string | null;
  children: BlockDevice[];
}

export const LSBLK_ARGV = ['lsblk', '-J', '-b', '-O'] as const;

function toDevice(v: unknown): BlockDevice | null {
  if (!isObject(v)) return null;
  const name = str(v.name);
  if (name === null) return null;
  const size = typeof v.size === 'number' ? v.size : Number(v.size ?? 0);
  const mps: unknown[] = Array.isArray(v.mountpoints) ? v.mountpoints : [v.mountpoint];
  const bool = (x: unknown): boolean | null => (typeof x === 'boolean' ? x : x === '1' || x === 1 ? true : x === '0' || x === 0 ? false : null);
  const children = Array.isArray(v.children) ? v.children.map(toDevice).filter((c): c is BlockDevice => c !== null) : [];
  const trim = (x: unknown) => {
    const s = str(x);
    return s === null ? null : s.trim() === '' ? null : s.trim();
  };
  return {
    name,
    path: str(v.path) ?? `/dev/${name}`,
    majMin: str(v['maj:min']),
    sizeBytes: Number.isFinite(size) ? size : 0,
    type: str(v.type) ?? 'unknown',
    fstype: trim(v.fstype),
    pttype: trim(v.pttype),
    label: trim(v.label),
    mountpoints: mps.filter((m): m is string => typeof m === 'string' && m !== ''),
    model: trim(v.model),
    serial: trim(v.serial),
    wwn: trim(v.wwn),
    rotational: bool(v.rota),
    readOnly: bool(v.ro) ?? false,
    parent: str(v.pkname),
    children,
  };
}

/** The device tree as lsblk gives it (top-level devices with their children). */
export function parseLsblk(stdout: string): Parsed<BlockDevice[]> {
  const j = parseJson(stdout, 'lsblk');
  if (!j.ok) return j;
  if (!isObject(j.value) || !Array.isArray(j.value.blockdevices)) return fail('lsblk: no "blockdevices" list');
  const devices = j.value.blockdevices.map(toDevice).filter((d): d is BlockDevice => d !== null);
  return ok(devices);
}

/** Every device below d (children, grandchildren...). */
export function descendants(d: BlockDevice): BlockDevice[] {
  return d.children.flatMap((c) => [c, ...descendants(c)]);
}
