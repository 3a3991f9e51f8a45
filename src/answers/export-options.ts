// exports(5) options and clients, checked the way nfs-utils 2.6 reads them (support/nfs/exports.c,
// parseopts): an option it does not know makes exportfs refuse the whole export, and on a cluster that
// happens only when the exportfs resource agent starts, on the live cluster. So an unknown option, a
// bad value or a pair that contradicts itself is an error here, before anything is written; options that
// work but widen who can do what are warnings the review, the export README and apply show.
import { parseCidr, parseIPv4 } from './net.js';

/** Options without a value, as nfs-utils 2.6 parseopts() accepts them. */
const FLAGS = [
  'ro', 'rw', 'secure', 'insecure', 'sync', 'async', 'wdelay', 'no_wdelay', 'hide', 'nohide', 'crossmnt', 'nocrossmnt',
  'subtree_check', 'no_subtree_check', 'root_squash', 'no_root_squash', 'all_squash', 'no_all_squash',
  'auth_nlm', 'no_auth_nlm', 'secure_locks', 'insecure_locks', 'acl', 'no_acl', 'pnfs', 'no_pnfs',
  'nordirplus', 'security_label', 'mountpoint', 'mp',
] as const;

/** Options with a value (name=value). */
const VALUED = ['anonuid', 'anongid', 'fsid', 'mountpoint', 'mp', 'refer', 'replicas', 'sec', 'squash_uids', 'squash_gids'] as const;

/** Every option name, for "did you mean". */
export const KNOWN_EXPORT_OPTIONS: readonly string[] = [...new Set<string>([...FLAGS, ...VALUED])];

/** The security flavours exports.c knows (flav_map). */
const FLAVOURS = ['krb5', 'krb5i', 'krb5p', 'unix', 'sys', 'null', 'none'];

/**
 * Options that set the same export flag one way and the other: naming both is a contradiction whose
 * outcome depends on their order (the last wins), which no one reading the file would guess.
 * auth_nlm and secure_locks are synonyms, as are no_auth_nlm and insecure_locks.
 */
const OPPOSITES: [string[], string[]][] = [
  [['rw'], ['ro']],
  [['sync'], ['async']],
  [['secure'], ['insecure']],
  [['wdelay'], ['no_wdelay']],
  [['hide'], ['nohide']],
  [['crossmnt'], ['nocrossmnt']],
  [['subtree_check'], ['no_subtree_check']],
  [['root_squash'], ['no_root_squash']],
  [['all_squash'], ['no_all_squash']],
  [['auth_nlm', 'secure_locks'], ['no_auth_nlm', 'insecure_locks']],
  [['acl'], ['no_acl']],
  [['pnfs'], ['no_pnfs']],
];

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known option closest to a typo (at most two edits away, or a transposition), else null. */
export function suggestOption(name: string): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of KNOWN_EXPORT_OPTIONS) {
    const sameLetters = k.length === name.length && [...k].sort().join('') === [...name].sort().join('');
    const d = sameLetters ? 1 : distance(name, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return bestD <= 2 ? best : null;
}

export interface OptionCheck {
  errors: string[];
  warnings: string[];
}

function checkValue(name: string, value: string): string | null {
  switch (name) {
    case 'anonuid':
    case 'anongid':
      return /^-?\d{1,10}$/.test(value) ? null : `${name}=${value}: expected a numeric id such as ${name}=65534`;
    case 'sec': {
      const bad = value.split(':').filter((f) => !FLAVOURS.includes(f));
      return bad.length ? `sec=${value}: unknown security flavour ${bad.join(', ')} (known: ${FLAVOURS.join(', ')})` : null;
    }
    case 'squash_uids':
    case 'squash_gids':
      return /^\d+(-\d+)?$/.test(value) ? null : `${name}=${value}: expected an id or a range such as 0-99`;
    case 'mountpoint':
    case 'mp':
      return value.startsWith('/') ? null : `${name}=${value}: expected an absolute path`;
    default:
      return null;
  }
}

/**
 * Checks one export's option list (already known to be comma-separated name[=value] words). Conflicts
 * are judged per sec= section, since exports(5) lets options after sec=krb5 differ from those after
 * sec=sys.
 */
export function checkExportOptions(options: string): OptionCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  let section = new Set<string>();
  const sections: Set<string>[] = [section];
  for (const word of options.split(',')) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? null : word.slice(eq + 1);
    const known = value === null ? (FLAGS as readonly string[]).includes(name) : (VALUED as readonly string[]).includes(name);
    if (!known) {
      if ((VALUED as readonly string[]).includes(name)) errors.push(`${name} needs a value (${name}=...)`);
      else if (value !== null && (FLAGS as readonly string[]).includes(name)) errors.push(`${name} takes no value: write ${name} alone`);
      else {
        const hint = suggestOption(name);
        errors.push(`${name} is not an exports(5) option${hint ? `: did you mean ${hint}?` : ' (see man 5 exports)'}`);
      }
      continue;
    }
    if (value !== null) {
      const bad = checkValue(name, value);
      if (bad) errors.push(bad);
    }
    if (name === 'sec') {
      section = new Set<string>();
      sections.push(section);
      continue;
    }
    section.add(name);
  }
  for (const s of sections) {
    for (const [one, other] of OPPOSITES) {
      const a = one.find((o) => s.has(o));
      const b = other.find((o) => s.has(o));
      if (a && b) errors.push(`${a} and ${b} contradict each other: keep one`);
    }
  }
  const all = new Set(sections.flatMap((s) => [...s]));
  if (all.has('no_root_squash')) warnings.push('no_root_squash: root on any client is root on the export (it can read and change every file); keep root_squash unless the clients are trusted servers');
  if (all.has('insecure')) warnings.push('insecure: requests from unprivileged ports (any user on a client, not only its kernel) are accepted');
  if (all.has('insecure_locks') || all.has('no_auth_nlm')) warnings.push('insecure_locks: lock requests are not authenticated');
  if (all.has('async')) warnings.push('async acknowledges writes before they reach the disk: a failover can lose data clients believe written');
  return { errors, warnings };
}

/** Private and shared address space (RFC 1918, RFC 6598) and link-local: not the Internet. */
const LOCAL_NETS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8'].map((c) => parseCidr(c)!);

function insideLocal(value: number, prefix: number): boolean {
  return LOCAL_NETS.some((n) => prefix >= n.prefix && (value >>> (32 - n.prefix)) === (n.value >>> (32 - n.prefix)));
}

/**
 * Warnings for clients that reach further than one site: wildcards matching every name, netgroups
 * (their members are defined elsewhere), and networks that include public addresses. Errors for a
 * network that is not one.
 */
export function checkExportClients(clients: string): OptionCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (/^[*?.]+$/.test(clients)) {
    warnings.push(`"${clients}" exports to every host that can reach the virtual IP`);
  } else if (clients.startsWith('@')) {
    warnings.push(`${clients} is a netgroup: every host its NIS/LDAP entry lists now or later may mount the export`);
  } else if (/^[0-9.]+\/[0-9.]+$/.test(clients)) {
    const [addr, mask] = clients.split('/') as [string, string];
    let prefix: number | null = null;
    if (/^\d{1,2}$/.test(mask)) prefix = Number(mask) <= 32 ? Number(mask) : null;
    else {
      const m = parseIPv4(mask);
      const bits = m === null ? '' : m.toString(2).padStart(32, '0');
      prefix = m !== null && /^1*0*$/.test(bits) ? bits.indexOf('0') < 0 ? 32 : bits.indexOf('0') : null;
    }
    const value = parseIPv4(addr);
    if (value === null || prefix === null || prefix === 0) {
      errors.push(`${clients} is not a valid IPv4 network: use a CIDR such as 192.168.1.0/24`);
    } else if (!insideLocal(value, prefix)) {
      warnings.push(`${clients} includes public Internet addresses: export to your site's networks only`);
    }
  }
  return { errors, warnings };
}
