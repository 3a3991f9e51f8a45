// Which of the needed packages a node has, and the argv that installs the missing ones on its
// distribution. Debian names are the reference; other families map them.
import type { OsInfo, PackageState } from './types.js';

export type PackageFamily = 'debian' | 'rhel' | 'suse';

/** The needed packages, by Debian name. */
export const NEEDED_PACKAGES = [
  'drbd-utils',
  'pacemaker',
  'pacemaker-cli-utils',
  'corosync',
  'resource-agents',
  'nfs-kernel-server',
  'mdadm',
  'lvm2',
] as const;

// On RHEL-like systems the CLI tools ship in pacemaker-cli, the NFS server in nfs-utils, and DRBD's tools
// come from ELRepo as drbd9x-utils (the kernel module as kmod-drbd9x).
const RHEL_NAMES: Record<string, string> = {
  'pacemaker-cli-utils': 'pacemaker-cli',
  'nfs-kernel-server': 'nfs-utils',
  'drbd-utils': 'drbd9x-utils',
};
const SUSE_NAMES: Record<string, string> = {
  'pacemaker-cli-utils': 'pacemaker-cli',
};

export function packageFamily(os: OsInfo | null): PackageFamily | null {
  if (os === null) return null;
  const ids = [os.id, ...os.like];
  if (ids.some((i) => i === 'debian' || i === 'ubuntu')) return 'debian';
  if (ids.some((i) => ['rhel', 'fedora', 'centos', 'rocky', 'almalinux', 'ol'].includes(i))) return 'rhel';
  if (ids.some((i) => i === 'suse' || i.startsWith('opensuse') || i === 'sles')) return 'suse';
  return null;
}

export function packageNames(family: PackageFamily): string[] {
  const map = family === 'rhel' ? RHEL_NAMES : family === 'suse' ? SUSE_NAMES : {};
  return NEEDED_PACKAGES.map((p) => map[p] ?? p);
}

/** `dpkg-query -W -f='${Package} ${Status} ${Version}\n' PKG...`; the format is passed as one argv word. */
export const dpkgQueryArgv = (names: string[]): string[] => ['dpkg-query', '-W', '-f=${Package} ${Status} ${Version}\\n', ...names];
/** `rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\n' PKG...`; not-installed ones print "package X is not installed". */
export const rpmQueryArgv = (names: string[]): string[] => ['rpm', '-q', '--qf', '%{NAME} %{VERSION}-%{RELEASE}\\n', ...names];

/**
 * dpkg-query's lines. It exits 1 when a name is unknown to dpkg (and says so on stderr) but still lists
 * the others, so the exit code is not a failure here: a name without an "install ok installed" line is
 * simply not installed.
 */
export function parseDpkgQuery(stdout: string, names: string[]): PackageState[] {
  const found = new Map<string, { installed: boolean; version: string | null }>();
  for (const line of stdout.split('\n')) {
    const m = /^(\S+) (\S+) (\S+) (\S+)(?: (\S+))?$/.exec(line.trim());
    if (!m) continue;
    const name = (m[1] as string).replace(/:.*$/, ''); // drop :amd64
    const installed = m[4] === 'installed';
    found.set(name, { installed, version: installed ? (m[5] ?? null) : null });
  }
  return names.map((name) => ({ name, installed: found.get(name)?.installed ?? false, version: found.get(name)?.version ?? null }));
}

export function parseRpmQuery(stdout: string, names: string[]): PackageState[] {
  const found = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    if (/^package \S+ is not installed$/.test(line.trim())) continue;
    const m = /^(\S+) (\S+)$/.exec(line.trim());
    if (m) found.set(m[1] as string, m[2] as string);
  }
  return names.map((name) => ({ name, installed: found.has(name), version: found.get(name) ?? null }));
}

/** The argv that installs the missing packages, or null when nothing is missing or the family is unknown. */
export function installCommand(family: PackageFamily | null, packages: PackageState[]): string[] | null {
  const missing = packages.filter((p) => !p.installed).map((p) => p.name);
  if (missing.length === 0 || family === null) return null;
  if (family === 'debian') return ['apt-get', 'install', '-y', '--no-install-recommends', ...missing];
  if (family === 'rhel') return ['dnf', 'install', '-y', ...missing];
  return ['zypper', '--non-interactive', 'install', ...missing];
}
