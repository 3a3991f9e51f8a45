// A disk's stable identity (issue 25): what apply compares before it wipes a disk the answers name, so a
// path that points at another disk after a reboot (kernel names follow probe order) or a re-cabling is
// refused instead of wiped. The answers may record it (nodes[i].diskIdentity, written by the wizard);
// without it, the first confirmed apply pins what it found on the node (docs/apply.md).
import * as v from 'valibot';

export interface DiskIdentity {
  serial?: string;
  wwn?: string;
  /** Bytes, as `lsblk -b` gives SIZE. */
  size?: number;
}

/** What a probe found of a disk: lsblk's SERIAL, WWN and SIZE (null when the disk has none). */
export interface FoundIdentity {
  serial: string | null;
  wwn: string | null;
  sizeBytes: number;
}

const idText = (what: string) =>
  v.pipe(
    v.string(`expected the disk's ${what} as lsblk shows it`),
    // As lsblk prints it: printable ASCII without spaces (lsblk escapes anything else as \xNN).
    v.regex(/^[!-~]{1,128}$/, `must be the disk's ${what} as \`lsblk -d -o ${what.toUpperCase()}\` prints it (1-128 printable characters, no spaces)`),
  );

/** One disk's identity in the answers: a serial or a WWN (or both), and optionally the size in bytes. */
export const diskIdentitySchema = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'expected a mapping such as { serial: WD-WCC4E1234567, size: 4000787030016 }'),
  v.strictObject({
    serial: v.optional(idText('serial')),
    wwn: v.optional(idText('wwn')),
    size: v.optional(v.pipe(v.number('expected the size in bytes'), v.integer('must be a whole number of bytes'), v.minValue(1, 'must be the size in bytes (lsblk -b -d -o SIZE)'))),
  }),
  v.check((x) => x.serial !== undefined || x.wwn !== undefined, 'must give the serial or the wwn (or both): the size alone does not identify a disk'),
);

/** The differences between what was recorded and what is found: empty when it is the same disk. */
export function identityDifferences(expected: DiskIdentity, found: FoundIdentity): string[] {
  const out: string[] = [];
  if (expected.serial !== undefined && expected.serial !== found.serial) out.push('serial');
  if (expected.wwn !== undefined && expected.wwn !== found.wwn) out.push('WWN');
  if (expected.size !== undefined && expected.size !== found.sizeBytes) out.push('size');
  return out;
}

export function formatIdentity(id: DiskIdentity): string {
  const parts = [`serial ${id.serial ?? '-'}`, `WWN ${id.wwn ?? '-'}`];
  if (id.size !== undefined) parts.push(`${id.size} bytes`);
  return parts.join(', ');
}

/** A found identity as the answers record it (the fields the disk has). */
export function recordable(found: FoundIdentity): DiskIdentity | null {
  if (found.serial === null && found.wwn === null) return null;
  return { ...(found.serial !== null ? { serial: found.serial } : {}), ...(found.wwn !== null ? { wwn: found.wwn } : {}), size: found.sizeBytes };
}

/** The YAML an admin adds under nodes[i] to record these identities (flow style, one line per disk). */
export function identityYaml(entries: readonly { disk: string; identity: DiskIdentity }[]): string[] {
  const flow = (id: DiskIdentity) => `{ ${[id.serial !== undefined ? `serial: ${JSON.stringify(id.serial)}` : '', id.wwn !== undefined ? `wwn: ${JSON.stringify(id.wwn)}` : '', id.size !== undefined ? `size: ${id.size}` : ''].filter(Boolean).join(', ')} }`;
  return ['diskIdentity:', ...entries.map((e) => `  ${e.disk}: ${flow(e.identity)}`)];
}
