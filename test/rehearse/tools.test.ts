// Which install command to suggest when crm_simulate is missing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installCommand } from '../../src/rehearse/tools.js';

describe('installCommand', () => {
  it('says apt-get for the lab nodes\' Debian 12 (captured /etc/os-release)', () => {
    const text = readFileSync(join(import.meta.dirname, '../fixtures/lab-captures/bare-nodes/os-release.bare.node1.txt'), 'utf8');
    expect(installCommand(text)).toBe('apt-get install pacemaker-cli-utils');
  });

  it('says apt-get on this machine (Debian)', () => {
    expect(installCommand(readFileSync('/etc/os-release', 'utf8'))).toBe('apt-get install pacemaker-cli-utils');
  });

  // os-release ID and ID_LIKE values as those distributions document them (os-release(5) fields).
  it.each([
    ['ID=ubuntu\nID_LIKE=debian\n', 'apt-get install pacemaker-cli-utils'],
    ['ID="rocky"\nID_LIKE="rhel centos fedora"\n', 'dnf install pacemaker-cli'],
    ['ID="almalinux"\nID_LIKE="rhel centos fedora"\n', 'dnf install pacemaker-cli'],
    ['ID="sles"\nID_LIKE="suse"\n', 'zypper install pacemaker-cli'],
  ])('%j -> %s', (text, cmd) => {
    expect(installCommand(text)).toBe(cmd);
  });

  it('names both packages when the distribution is unknown', () => {
    expect(installCommand('ID=plan9\n')).toMatch(/pacemaker-cli-utils on Debian.*pacemaker-cli on RHEL/);
  });
});
