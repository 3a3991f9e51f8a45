// Signatures on a disk: `wipefs -n --json DEV` lists every one (filesystem, RAID superblock, partition
// table, LVM PV...) without touching the disk; `blkid -p -o export DEV` is the fallback (first match only;
// exit 2 with no output means nothing found).
import { fail, isObject, ok, parseJson, str, type Parsed } from './parsed.js';

export interface Signature {
  type: string;
  offset: string | null;
  uuid: string | null;
  label: string | null;
}

export const wipefsArgv = (dev: string): string[] => ['wipefs', '-n', '--json', dev];
export const blkidArgv = (dev: string): string[] => ['blkid', '-p', '-o', 'export', dev];

export function parseWipefsJson(stdout: string): Parsed<Signature[]> {
  if (stdout.trim() === '') return ok([]); // older wipefs prints nothing at all when there is nothing
  const j = parseJson(stdout, 'wipefs');
  if (!j.ok) return j;
  if (!isObject(j.value) || !Array.isArray(j.value.signatures)) return fail('wipefs: no "signatures" list');
  const sigs: Signature[] = [];
  for (const s of j.value.signatures) {
    if (!isObject(s) || str(s.type) === null) continue;
    sigs.push({ type: str(s.type) as string, offset: str(s.offset), uuid: str(s.uuid), label: str(s.label) });
  }
  return ok(sigs);
}

/** KEY=value lines of `blkid -p -o export`. */
export function parseBlkidExport(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Signatures from blkid: the TYPE and PTTYPE it found. Exit 2 = nothing found, which is a valid answer. */
export function blkidSignatures(stdout: string, exitCode: number | null): Parsed<Signature[]> {
  if (exitCode === 2 && stdout.trim() === '') return ok([]);
  if (exitCode !== 0) return fail(`blkid exited ${exitCode ?? 'without status'}`);
  const kv = parseBlkidExport(stdout);
  const sigs: Signature[] = [];
  if (kv.TYPE) sigs.push({ type: kv.TYPE, offset: null, uuid: kv.UUID ?? null, label: kv.LABEL ?? null });
  if (kv.PTTYPE) sigs.push({ type: kv.PTTYPE, offset: null, uuid: kv.PTUUID ?? null, label: null });
  return ok(sigs);
}
