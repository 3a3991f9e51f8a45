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

export interface DiskReview {
  node: string;
  /** The disk as the answers name it (kernel path or /dev/disk/by-id/...). */
  disk: string;
  info: DiskInfo | null;
  /** Why this disk cannot be wiped at all (absent, mounted, held); empty when it may be. */
  problems: string[];
}

/**
 * Reviews a node's disks together: one lsblk and one by-id listing for all of them (read at once), then
 * every disk's signatures at once. Reviews come in the order of `disks`. Disk by disk it cost the lab six
 * round trips in a row per node, twice per apply (the review and the re-probe before wiping).
 */
export async function reviewDisks(runner: Runner, node: string, disks: readonly string[], signal?: AbortSignal): Promise<DiskReview[]> {
  if (disks.length === 0) return [];
  const [lsblk, byIdOut] = await runAll(runner, [LSBLK_ARGV, BY_ID_ARGV], { signal });
  const all = (problem: string, info: DiskInfo | null = null): DiskReview[] => disks.map((disk) => ({ node, disk, info, problems: [problem] }));
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
    if (!match) return { node, disk, info: null, problems: [`${disk} is not a whole disk on ${node} (not in lsblk)`] };
    const w = wipefs[found.indexOf(match)]!;
    const sigs: Parsed<Signature[]> = succeeded(w) ? parseWipefsJson(w.stdout) : { ok: false, error: `wipefs failed: ${(w.error ?? w.stderr).trim()}` };
    if (!sigs.ok) return { node, disk, info: match, problems: [`cannot read its signatures: ${sigs.error}`] };
    const info = buildDisks({ devices: parsed.value, byId, signatures: new Map([[match.name, sigs]]) }).find((d) => d.name === match.name)!;
    const problems: string[] = [];
    if (info.mountpoints.length) problems.push(`mounted at ${info.mountpoints.join(', ')}`);
    if (info.holders.length) problems.push(`in use by ${info.holders.join(', ')}`);
    return { node, disk, info, problems };
  });
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
