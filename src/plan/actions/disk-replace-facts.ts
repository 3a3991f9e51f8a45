// What `disk replace NODE` reads on that node and judges (pure, tested on the lab's captures): the md array
// and its failed or missing member (mdadm --detail), the node's disks with the wizard's own probes and
// verdicts (lsblk, /dev/disk/by-id, wipefs: src/probes/disks.ts), and the replacement: named with --disk
// or the one eligible disk at least the surviving member's size. Every refusal says why, in the wizard's words.
import type { RunResult } from '../../exec/runner.js';
import { succeeded } from '../../exec/runner.js';
import { buildDisks, formatBytes, needsSignatureProbe } from '../../probes/disks.js';
import { parseByIdListing } from '../../probes/by-id.js';
import { parseLsblk, type BlockDevice } from '../../probes/lsblk.js';
import { parseMdadmDetail, type MdadmDetail } from '../../probes/mdadm-detail.js';
import { parseMdstat } from '../../probes/mdstat.js';
import { parseWipefsJson, type Signature } from '../../probes/signatures.js';
import type { Parsed } from '../../probes/parsed.js';
import type { DiskInfo } from '../../probes/types.js';

export interface DiskReplaceRead {
  /** The md array (answers' raid.device, else the one RAID1 in /proc/mdstat), or null with `error`. */
  md: string | null;
  detail: MdadmDetail | null;
  disks: DiskInfo[] | null;
  /** The answers' disks of this node, when --answers was given (their identity is updated afterwards). */
  answerDisks: string[] | null;
  /** /etc/mdadm/mdadm.conf as the node has it; null: not readable. */
  mdadmConf: string | null;
  error: string | null;
}

const why = (r: RunResult): string => r.error ?? (r.timedOut ? 'timed out' : (r.stderr.trim().split('\n').pop() || `exit ${r.exitCode ?? 'none'}`));

/** The RAID1 array to act on: the answers' device, else the only raid1 in /proc/mdstat. */
export function pickArray(mdstat: RunResult, fromAnswers: string | null): { md: string } | { error: string } {
  if (fromAnswers) return { md: fromAnswers };
  if (!succeeded(mdstat)) return { error: `cat /proc/mdstat failed: ${why(mdstat)}` };
  const raid1 = parseMdstat(mdstat.stdout).filter((a) => a.level === 'raid1');
  if (raid1.length === 1) return { md: raid1[0]!.path };
  return { error: raid1.length ? `several RAID1 arrays (${raid1.map((a) => a.path).join(', ')}): give --answers FILE (its raid.device names the array)` : 'no RAID1 array in /proc/mdstat' };
}

/** The node's disks with the wizard's verdicts, from lsblk, by-id and the signature probes' answers. */
export function disksFrom(lsblk: RunResult, byId: RunResult, wipefs: Map<string, RunResult>): Parsed<DiskInfo[]> {
  if (!succeeded(lsblk)) return { ok: false, error: `lsblk failed: ${why(lsblk)}` };
  const p = parseLsblk(lsblk.stdout);
  if (!p.ok) return p;
  const sigs = new Map<string, Parsed<Signature[]>>();
  for (const [name, r] of wipefs) sigs.set(name, succeeded(r) ? parseWipefsJson(r.stdout) : { ok: false, error: `wipefs failed: ${why(r)}` });
  return { ok: true, value: buildDisks({ devices: p.value, byId: succeeded(byId) ? parseByIdListing(byId.stdout) : new Map(), signatures: sigs }) };
}

/** The disks whose signatures the wizard would probe (not mounted). */
export function probedDisks(lsblk: RunResult): BlockDevice[] {
  const p = succeeded(lsblk) ? parseLsblk(lsblk.stdout) : null;
  return p?.ok ? p.value.filter((d) => d.type === 'disk' && needsSignatureProbe(d)) : [];
}

export interface Members {
  /** Working members (active sync, or rebuilding), as /dev paths. */
  surviving: string[];
  /** A member still listed as faulty: failed (if need be) and removed before the new disk is added. */
  faulty: string[];
  /** Slots without a device ("removed"): a member gone (pulled, or removed after failing). */
  missing: number;
}

export function membersOf(d: MdadmDetail): Members {
  const surviving = d.devices.filter((x) => x.device && !/faulty|spare/.test(x.state) && x.raidDevice !== null).map((x) => x.device!);
  const faulty = d.devices.filter((x) => x.device && /faulty/.test(x.state)).map((x) => x.device!);
  const missing = d.devices.filter((x) => x.device === null && /removed/.test(x.state)).length;
  return { surviving, faulty, missing };
}

const kernelName = (p: string) => p.replace(/^\/dev\//, '');

/** Does `name` (a /dev path, a by-id path or a kernel name) denote this disk? */
export function denotes(d: DiskInfo, name: string): boolean {
  return d.path === name || d.name === name || kernelName(name) === d.name || d.byId.includes(name);
}

/** The size a replacement needs: the surviving member's disk, else mdadm's Used Dev Size (KiB). */
export function neededBytes(detail: MdadmDetail, disks: DiskInfo[], surviving: string[]): number | null {
  const s = disks.find((d) => surviving.some((m) => denotes(d, m)));
  if (s) return s.sizeBytes;
  const used = /^(\d+)/.exec(detail.fields['Used Dev Size'] ?? '');
  return used ? Number(used[1]) * 1024 : null;
}

/** Why a disk cannot replace a member: the wizard's verdict, and the size the member needs. */
function unfit(d: DiskInfo, need: number | null): string[] {
  const fits = need === null || d.sizeBytes >= need;
  return [...(d.verdict.eligible ? [] : d.verdict.reasons), ...(fits ? [] : [`smaller than the member it replaces: ${formatBytes(d.sizeBytes)} < ${formatBytes(need!)}`])];
}

/** The disks that could replace the member: no member of the array, eligible, large enough. */
export function replacementCandidates(disks: DiskInfo[], members: Members, need: number | null): DiskInfo[] {
  const member = (d: DiskInfo) => [...members.surviving, ...members.faulty].some((m) => denotes(d, m));
  return disks.filter((d) => !member(d) && unfit(d, need).length === 0);
}

/** The node's other disks (not members) with the first reason each one cannot replace it: "/dev/vde: smaller ...". */
export function notCandidates(disks: DiskInfo[], members: Members, need: number | null): string[] {
  const member = (d: DiskInfo) => [...members.surviving, ...members.faulty].some((m) => denotes(d, m));
  return disks.filter((d) => !member(d) && unfit(d, need).length > 0).map((d) => `${d.path}: ${unfit(d, need)[0]}`);
}

export type Choice = { ok: true; disk: DiskInfo } | { ok: false; bad: boolean; message: string };

/** The replacement: --disk checked with the wizard's verdicts, or the single eligible disk that fits. */
export function chooseReplacement(disks: DiskInfo[], members: Members, need: number | null, wanted: string | null, node: string, md: string): Choice {
  const reasons = (d: DiskInfo) => unfit(d, need);
  if (wanted !== null) {
    const d = disks.find((x) => denotes(x, wanted));
    if (!d) return { ok: false, bad: true, message: `${wanted} is no whole disk of ${node} (lsblk); its disks: ${disks.map((x) => x.path).join(', ')}` };
    if (members.surviving.some((m) => denotes(d, m))) return { ok: false, bad: true, message: `${d.path} is the surviving member of ${md}: it holds the array's only copy; name a blank disk` };
    if (members.faulty.some((m) => denotes(d, m))) return { ok: false, bad: true, message: `${d.path} is the failed member of ${md} itself: name the new disk` };
    const r = reasons(d);
    return r.length ? { ok: false, bad: true, message: `${d.path} cannot replace a member of ${md}: ${r.join('; ')}` } : { ok: true, disk: d };
  }
  const ok = replacementCandidates(disks, members, need);
  if (ok.length === 1) return { ok: true, disk: ok[0]! };
  if (ok.length > 1) return { ok: false, bad: false, message: `several disks of ${node} could replace it (${ok.map((d) => `${d.path} ${formatBytes(d.sizeBytes)}`).join(', ')}): name one with --disk` };
  return { ok: false, bad: false, message: `no disk of ${node} can replace it: ${disks.map((d) => `${d.path}: ${reasons(d).join('; ')}`).join(' | ')}; add a blank disk of at least ${need === null ? 'the member\'s size' : formatBytes(need)}` };
}

/** mdadm.conf with the old member's name in its DEVICE line replaced by the new disk's (else unchanged). */
export function mdadmConfWith(text: string, old: string[], now: string): string {
  return text.split('\n').map((line) => {
    if (!/^DEVICE\s/.test(line)) return line;
    const words = line.split(/\s+/);
    return words.map((w, i) => (i > 0 && old.includes(w) ? now : w)).join(' ');
  }).join('\n');
}

/** The stable name to record for a disk: its first by-id name (serial-based first), else its /dev path. */
export const identityOf = (d: DiskInfo): string => d.byId[0] ?? d.path;
