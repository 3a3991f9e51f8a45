// The disks a plan wipes, as the admin reviews them (size, model, serial, signatures), and the check right
// before wiping: a disk that gained a mount, a holder or a signature since the review is refused. Uses the
// probes' own parsers and verdicts, through the same runner, so "what was reviewed" is what is checked.
import type { Runner } from '../exec/runner.js';
import { succeeded } from '../exec/runner.js';
import { runAll } from '../exec/run-all.js';
import { LSBLK_ARGV, parseLsblk } from '../probes/lsblk.js';
import { BY_ID_ARGV, parseByIdListing } from '../probes/by-id.js';
import { parseWipefsJson, wipefsArgv, type Signature } from '../probes/signatures.js';
import { buildDisks } from '../probes/disks.js';
import type { Parsed } from '../probes/parsed.js';
import type { DiskInfo } from '../probes/types.js';
import { formatIdentity, identityDifferences, recordable, type DiskIdentity } from '../answers/disk-identity.js';
import { DISK_PINS_PATH, READ_PINS_ARGV, parsePins } from '../plan/disk-pins.js';

export interface DiskReview {
  node: string;
  /** The disk as the answers name it (kernel path or /dev/disk/by-id/...). */
  disk: string;
  info: DiskInfo | null;
  /** Why this disk cannot be wiped at all (absent, mounted, held, another disk than recorded); empty when it may be. */
  problems: string[];
  /**
   * The identity recorded for this disk name and where (the answers' nodes[i].diskIdentity, or pinned on
   * the node by an earlier confirmed apply); null when none is: then only a person's typed confirmation
   * may wipe it (--yes never wipes on a path match alone).
   */
  expected: { identity: DiskIdentity; source: string } | null;
  /** Set for a device a step overwrites that is not a whole disk (PlanStep.overwrites: an md array, an LV). */
  device?: true;
}

/**
 * Reviews a node's disks together: one lsblk and one by-id listing for all of them (read at once), then
 * every disk's signatures at once. Reviews come in the order of `disks`. Disk by disk it cost the lab six
 * round trips in a row per node, twice per apply (the review and the re-probe before wiping).
 */
export async function reviewDisks(runner: Runner, node: string, disks: readonly string[], signal?: AbortSignal, recorded: RecordedIdentities = {}): Promise<DiskReview[]> {
  if (disks.length === 0) return [];
  const [lsblk, byIdOut, pinsOut] = await runAll(runner, [LSBLK_ARGV, BY_ID_ARGV, READ_PINS_ARGV], { signal });
  // No pin record (never applied, or a node apply has not pinned): nothing is expected of these names.
  const pins = succeeded(pinsOut!) ? parsePins(pinsOut!.stdout) : new Map<string, DiskIdentity>();
  const expectedOf = (disk: string): DiskReview['expected'] => {
    const own = recorded.identities?.[disk];
    if (own) return { identity: own, source: `${recorded.field ?? 'the answers'}.diskIdentity` };
    const pin = pins.get(disk);
    return pin ? { identity: pin, source: `pinned on ${node} (${DISK_PINS_PATH})` } : null;
  };
  const all = (problem: string, info: DiskInfo | null = null): DiskReview[] => disks.map((disk) => ({ node, disk, info, problems: [problem], expected: expectedOf(disk) }));
  if (!succeeded(lsblk!)) return all(`lsblk failed: ${(lsblk!.error ?? lsblk!.stderr).trim()}`);
  const parsed = parseLsblk(lsblk!.stdout);
  if (!parsed.ok) return all(`lsblk output unreadable: ${parsed.error}`);
  const byId = succeeded(byIdOut!) ? parseByIdListing(byIdOut!.stdout) : new Map<string, string[]>();
  const first = buildDisks({ devices: parsed.value, byId, signatures: new Map() });
  const matches = disks.map((disk) => first.find((d) => d.path === disk || d.byId.includes(disk)));
  const found = matches.filter((m): m is DiskInfo => m !== undefined);
  const wipefs = await runAll(runner, found.map((m) => wipefsArgv(m.path)), { signal });
  return disks.map((disk, i): DiskReview => {
    const match = matches[i];
    const expected = expectedOf(disk);
    if (!match) return { node, disk, info: null, problems: [`${disk} is not a whole disk on ${node} (not in lsblk)`], expected };
    const w = wipefs[found.indexOf(match)]!;
    const sigs: Parsed<Signature[]> = succeeded(w) ? parseWipefsJson(w.stdout) : { ok: false, error: `wipefs failed: ${(w.error ?? w.stderr).trim()}` };
    if (!sigs.ok) return { node, disk, info: match, problems: [`cannot read its signatures: ${sigs.error}`], expected };
    const info = buildDisks({ devices: parsed.value, byId, signatures: new Map([[match.name, sigs]]) }).find((d) => d.name === match.name)!;
    const problems: string[] = [];
    if (expected) {
      const diff = identityDifferences(expected.identity, info);
      if (diff.length) problems.push(`is another disk than recorded (${diff.join(', ')} differ): expected ${formatIdentity(expected.identity)} (${expected.source}), found ${foundText(info)}`);
    }
    if (info.mountpoints.length) problems.push(`mounted at ${info.mountpoints.join(', ')}`);
    if (info.holders.length) problems.push(`in use by ${info.holders.join(', ')}`);
    return { node, disk, info, problems, expected };
  });
}

/** The identities the answers record for a node's disks, and the node's field (nodes[i]) to name them by. */
export interface RecordedIdentities {
  identities?: Readonly<Record<string, DiskIdentity>>;
  field?: string;
}

function foundText(info: DiskInfo): string {
  return `${formatIdentity(recordable(info) ?? { size: info.sizeBytes })} (${info.path})`;
}

/** What changed since the review that makes wiping unsafe now; empty = still the disk the admin confirmed. */
export function changesSinceReview(reviewed: DiskReview, now: DiskReview): string[] {
  if (!now.info) return now.problems.length ? now.problems : ['disk disappeared'];
  if (!reviewed.info) return ['disk was not reviewed'];
  const out: string[] = [];
  const newMounts = now.info.mountpoints.filter((m) => !reviewed.info!.mountpoints.includes(m));
  if (newMounts.length) out.push(`gained a mount: ${newMounts.join(', ')}`);
  const newHolders = now.info.holders.filter((h) => !reviewed.info!.holders.includes(h));
  if (newHolders.length) out.push(`gained a holder: ${newHolders.join(', ')}`);
  const newSigs = now.info.signatures.filter((s) => !reviewed.info!.signatures.includes(s));
  if (newSigs.length) out.push(`gained a signature: ${newSigs.join(', ')}`);
  if (now.info.serial !== reviewed.info.serial || now.info.sizeBytes !== reviewed.info.sizeBytes) out.push('is a different disk now (serial or size changed)');
  return out;
}
