// The answers file's single values (docs/answers.md): host names, addresses, interfaces, ssh targets, disks,
// LVM and DRBD names, sizes, rates, ports. Each is a valibot schema the wizard's fields check one value
// against (fieldError) and the file's schema (schema.ts, which re-exports them) is built from. Their own
// file: they are the part of the schema a new field reuses, and the file's structure reads better alone.
import * as v from 'valibot';
import { parseCidr } from './net.js';

const msg = (text: string) => text;

/** DNS label rules (RFC 1123): what `uname -n` can be, and what DRBD and Corosync accept as node names. */
export const hostnameSchema = v.pipe(
  v.string(msg('expected a host name')),
  v.regex(
    /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
    msg('must be a valid host name (letters, digits, hyphens; it must equal `uname -n` on that node)'),
  ),
);

/** An IPv4 address with its prefix, e.g. 192.168.1.11/24. */
export const cidrSchema = v.pipe(
  v.string(msg('expected an address with prefix, e.g. 192.168.1.11/24')),
  v.check(
    (s) => !s.includes(':'),
    msg('IPv6 is not supported yet: give an IPv4 address with prefix, e.g. 192.168.1.11/24'),
  ),
  v.check(
    (s) => parseCidr(s) !== null,
    msg('must be an IPv4 address with prefix, e.g. 192.168.1.11/24'),
  ),
);

/** A plain IPv4 address (ping targets). */
export const ipv4Schema = v.pipe(
  v.string(msg('expected an IPv4 address')),
  v.check((s) => parseCidr(`${s}/32`) !== null, msg('must be an IPv4 address such as 192.168.1.1, without prefix')),
);

/** Linux interface names: at most 15 bytes (IFNAMSIZ), no slash or white space. */
export const interfaceSchema = v.pipe(
  v.string(msg('expected an interface name')),
  v.regex(/^[A-Za-z0-9_.:@-]{1,15}$/, msg('must be a network interface name such as eth0 (1-15 characters, no spaces)')),
);

/** user@host[:port], [user@][v6]:port is not supported; or "local" for the machine running the wizard. */
export const sshSchema = v.pipe(
  v.string(msg('expected user@host[:port] or "local"')),
  v.check(
    (s) => s === 'local' || /^[a-z_][a-z0-9_.-]{0,31}@[A-Za-z0-9.-]{1,253}(:([1-9]\d{0,4}))?$/.test(s) && sshPortOk(s),
    msg('must be user@host[:port] (e.g. root@192.168.1.12 or root@nfs2:2222) or "local"'),
  ),
);

function sshPortOk(s: string): boolean {
  const m = /:(\d+)$/.exec(s);
  return !m || (Number(m[1]) >= 1 && Number(m[1]) <= 65535);
}

/** A whole disk, given by its kernel name or (preferred) a stable /dev/disk/by-id link. */
export const diskSchema = v.pipe(
  v.string(msg('expected a disk path')),
  v.regex(/^\/dev\/[A-Za-z0-9._:+\/-]+$/, msg('must be an absolute device path such as /dev/sdb or /dev/disk/by-id/...')),
  v.check((s) => !s.includes('/../') && !s.endsWith('/..'), msg('must not contain ".."')),
);

/** Corosync cluster_name as ANSWERS.md fixes it. */
export const clusterNameSchema = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9-]{0,31}$/, msg('must be 1-32 of a-z, 0-9 and "-", starting with a letter')),
);

/** LVM names (lvm(8) VALID NAMES): A-Z a-z 0-9 + _ . -, not starting with "-", not "." or "..". */
export const vgNameSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}$/, msg('must use only letters, digits and + _ . - (not starting with -), at most 127 characters')),
  v.check((s) => s !== '.' && s !== '..', msg('must not be "." or ".."')),
);

export const lvNameSchema = v.pipe(
  vgNameSchema,
  v.check(
    (s) => !/^(snapshot|pvmove)/.test(s) && !/(_cdata|_cmeta|_corig|_mlog|_mimage|_pmspare|_rimage|_rmeta|_tdata|_tmeta|_vorigin|_vdata)/.test(s),
    msg('uses a name LVM reserves (snapshot*, pvmove*, or an internal suffix such as _mlog): choose another'),
  ),
);

/** DRBD resource names end up in file names and Pacemaker ids too, so keep them conservative. */
export const drbdResourceSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, msg('must start with a letter and use only letters, digits, _ and - (at most 32)')),
);

/** lvcreate -l/-L: "80%VG", "100%FREE", or an absolute size with a unit ("500G"). */
export const lvSizeSchema = v.pipe(
  v.string(),
  v.check((s) => parseLvSize(s) !== null, msg('must be a percentage of the VG such as 80%VG, or a size such as 500G')),
);

/** lvcreate --snapshot sizes: "10%ORIGIN", "20%VG" or "5G". */
export const snapshotSizeSchema = v.pipe(
  v.string(),
  v.check(
    (s) => /^([1-9]\d?|100)%(ORIGIN|VG|FREE)$/i.test(s) || parseAbsoluteSize(s) !== null,
    msg('must be a percentage such as 10%ORIGIN, or a size such as 5G'),
  ),
);

/** DRBD resync-rate: a number with an optional K/M/G unit (bytes per second). */
export const rateSchema = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d*[KMG]?$/, msg('must be a rate such as 100M (bytes per second, units K, M, G)')),
);

export type LvSize = { percent: number; of: 'VG' | 'FREE' } | { bytes: number };

export function parseLvSize(s: string): LvSize | null {
  const p = /^([1-9]\d?|100)%(VG|FREE)$/i.exec(s);
  if (p) return { percent: Number(p[1]), of: p[2]!.toUpperCase() as 'VG' | 'FREE' };
  const bytes = parseAbsoluteSize(s);
  return bytes === null ? null : { bytes };
}

const UNITS: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };

/** "500G", "1.5T", "512M" (LVM's binary units; a trailing B or iB is accepted). */
export function parseAbsoluteSize(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([KMGTP])(?:i?B)?$/i.exec(s);
  if (!m) return null;
  const n = Number(m[1]) * UNITS[m[2]!.toUpperCase()]!;
  return n > 0 && Number.isFinite(n) ? Math.round(n) : null;
}

export const portSchema = v.pipe(
  v.number('expected a port number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be between 1 and 65535'),
  v.maxValue(65535, 'must be between 1 and 65535'),
  v.check((n) => n !== 22, 'must not be 22 (SSH)'),
);
