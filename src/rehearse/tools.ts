// What the rehearsal says when Pacemaker's command-line tools are missing on this machine. Where the tools
// run and how (crm_simulate plays transitions, crm_attribute sets the node attributes agents would set,
// crm_mon reads the result, all on CIB files): host.ts.
import { readFile } from 'node:fs/promises';

/**
 * The command that installs the Pacemaker CLI tools on this distribution, from /etc/os-release's ID and
 * ID_LIKE. Pure: takes the file's text.
 */
export function installCommand(osRelease: string): string {
  const field = (k: string) => new RegExp(`^${k}=("?)([^"\\n]*)\\1$`, 'm').exec(osRelease)?.[2]?.toLowerCase() ?? '';
  const ids = [field('ID'), ...field('ID_LIKE').split(/\s+/)].filter(Boolean);
  if (ids.some((i) => i === 'debian' || i === 'ubuntu')) return 'apt-get install pacemaker-cli-utils';
  if (ids.some((i) => i.includes('suse') || i === 'sles')) return 'zypper install pacemaker-cli';
  if (ids.some((i) => ['rhel', 'fedora', 'centos', 'rocky', 'almalinux'].includes(i))) return 'dnf install pacemaker-cli';
  return "install your distribution's Pacemaker command-line tools package (pacemaker-cli-utils on Debian and Ubuntu, pacemaker-cli on RHEL and SUSE)";
}

export async function readOsRelease(): Promise<string> {
  try {
    return await readFile('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}
