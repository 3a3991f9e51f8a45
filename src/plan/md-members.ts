// The RAID step's check (issue 25): the array is ours only when its members, as mdadm --detail lists them
// by major:minor, are the answers' disks (resolved through lsblk and the by-id links), each still the disk
// its recorded identity names. An array of that name with other members, or not a running raid1, is
// refused before anything runs: `pvcreate -y` must never follow on a foreign array.
import { formatIdentity, identityDifferences, type DiskIdentity } from '../answers/disk-identity.js';
import { parseByIdListing } from '../probes/by-id.js';
import { descendants, parseLsblk, type BlockDevice } from '../probes/lsblk.js';
import { parseMdadmDetail } from '../probes/mdadm-detail.js';
import { parsePins } from './disk-pins.js';
import { oneLine } from './sh.js';
import mdMembersSh from './sh/md-members.sh';

export const MD_MEMBERS_SCRIPT = oneLine(mdMembersSh);
export const mdMembersArgv = (device: string): string[] => ['sh', '-c', MD_MEMBERS_SCRIPT, '--', device];

/** The sections of the script's output, by marker (mdadm-detail, lsblk, by-id, pins); the exit of mdadm. */
export function mdMembersSections(stdout: string): { sections: Map<string, string>; mdadmExit: number | null } {
  const lines = new Map<string, string[]>();
  let mdadmExit: number | null = null;
  let current: string[] | null = null;
  for (const line of stdout.split('\n')) {
    const m = /^#hanfs (\S+)(?: (\d+))?$/.exec(line);
    if (m?.[1] === 'mdadm-exit') {
      mdadmExit = Number(m[2]);
      current = null;
    } else if (m) {
      current = [];
      lines.set(m[1]!, current);
    } else current?.push(line);
  }
  return { sections: new Map([...lines].map(([k, v]) => [k, v.join('\n')])), mdadmExit };
}

/** The block device an answers' disk name stands for: its kernel path, or the target of its by-id link. */
export function resolveDisk(disk: string, devices: BlockDevice[], byId: Map<string, string[]>): BlockDevice | null {
  const all = devices.flatMap((d) => [d, ...descendants(d)]);
  const direct = all.find((d) => d.path === disk);
  if (direct) return direct;
  for (const [name, links] of byId) if (links.includes(disk)) return all.find((d) => d.name === name) ?? null;
  return null;
}

export interface MdMembersInput {
  node: string;
  /** The node's field in the answers, e.g. nodes[0]. */
  field: string;
  device: string;
  disks: readonly string[];
  /** The answers' recorded identities (nodes[i].diskIdentity), by disk name. */
  identities: Readonly<Record<string, DiskIdentity>>;
}

export interface MdVerdict {
  /** The array runs as a raid1 of the answers' disks (degraded: of one of them). */
  done: boolean;
  /** Why the run must not go on, said before anything runs; null when nothing is wrong. */
  refusal: string | null;
}

export function judgeMdMembers(stdout: string, o: MdMembersInput): MdVerdict {
  const { sections, mdadmExit } = mdMembersSections(stdout);
  // No such array (or no mdadm): the RAID step creates it.
  if (mdadmExit !== 0) return { done: false, refusal: null };
  const refuse = (why: string): MdVerdict => ({ done: false, refusal: `${o.node}: ${o.device} ${why}. Nothing was changed.` });
  const detail = parseMdadmDetail(sections.get('mdadm-detail') ?? '');
  const lsblk = parseLsblk(sections.get('lsblk') ?? '');
  if (!lsblk.ok) return refuse(`exists, and its members cannot be compared with ${o.field}.disks (${lsblk.error})`);
  const byId = parseByIdListing(sections.get('by-id') ?? '');
  const all = lsblk.value.flatMap((d) => [d, ...descendants(d)]);
  const named = (majMin: string, fallback: string | null) => {
    const d = all.find((x) => x.majMin === majMin);
    return d ? `${d.path} (${majMin}, serial ${d.serial ?? '-'})` : `${fallback ?? '?'} (${majMin})`;
  };
  const ours = new Map<string, string>();
  for (const disk of o.disks) {
    const d = resolveDisk(disk, lsblk.value, byId);
    if (d?.majMin) ours.set(d.majMin, disk);
  }
  const members = detail.devices.filter((m) => m.device !== null && !(m.major === 0 && m.minor === 0));
  const oursText = o.disks.map((d) => {
    const r = resolveDisk(d, lsblk.value, byId);
    return r ? `${d} (${r.path}, ${r.majMin})` : `${d} (not found)`;
  }).join(', ');
  const foreign = members.filter((m) => !ours.has(`${m.major}:${m.minor}`));
  if (foreign.length > 0 || members.length === 0) {
    return refuse(
      `is another array: its members are ${members.map((m) => named(`${m.major}:${m.minor}`, m.device)).join(', ') || 'none'}, ` +
      `the answers' disks are ${oursText}. If it is not needed, stop it (mdadm --stop ${o.device}) and run apply again; ` +
      `if it is this cluster's array, name its disks in ${o.field}.disks; or choose another raid.device`,
    );
  }
  if (detail.level !== 'raid1') return refuse(`is a ${detail.level ?? 'unknown'} array of ${oursText}, not a raid1: check it (mdadm --detail ${o.device})`);
  if (detail.state.includes('inactive')) return refuse(`is inactive (${oursText}): start it (mdadm --run ${o.device}) or stop it (mdadm --stop ${o.device}), then run apply again`);
  const pins = parsePins(sections.get('pins') ?? '');
  for (const m of members) {
    const disk = ours.get(`${m.major}:${m.minor}`)!;
    const expected = o.identities[disk] ?? pins.get(disk);
    const found = all.find((x) => x.majMin === `${m.major}:${m.minor}`);
    if (!expected || !found) continue;
    const diff = identityDifferences(expected, { serial: found.serial, wwn: found.wwn, sizeBytes: found.sizeBytes });
    if (diff.length > 0) {
      return refuse(`has ${disk} as a member, but it is not the disk recorded (${diff.join(', ')} differ): expected ${formatIdentity(expected)} (${o.identities[disk] ? `${o.field}.diskIdentity` : `pinned on ${o.node}`}), found ${formatIdentity({ ...(found.serial ? { serial: found.serial } : {}), ...(found.wwn ? { wwn: found.wwn } : {}), size: found.sizeBytes })} (${found.path})`);
    }
  }
  return { done: true, refusal: null };
}
