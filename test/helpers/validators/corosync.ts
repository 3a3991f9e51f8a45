// corosync.conf checked by `corosync -t` as a given node (VALIDATORS.md): in private network and mount
// namespaces, tmpfs over /etc/corosync and /var/log/corosync, a fresh authkey (crypto is on), loopback up
// and that node's ring addresses on it (corosync -t needs one nodelist address to be local). The host's
// corosync files and addresses are never touched.
import { join } from 'node:path';
import { describeRun, runInNamespaces, withTempFiles, type Validation } from './run.js';

/** The ring addresses of the named node, read from the nodelist of the file itself. */
export function corosyncRingAddresses(text: string, nodeName: string): string[] {
  for (const block of text.split(/\bnode\s*\{/).slice(1)) {
    const body = block.slice(0, block.indexOf('}'));
    if (new RegExp(`^\\s*name:\\s*${nodeName.replace(/[.-]/g, '\\$&')}\\s*$`, 'm').test(body)) {
      return [...body.matchAll(/^\s*ring\d+_addr:\s*(\S+)\s*$/gm)].map((m) => m[1]!);
    }
  }
  return [];
}

const SCRIPT = `
conf=$1; shift
mount -t tmpfs -o mode=0755 tmpfs /etc/corosync
mkdir -p /var/log/corosync
mount -t tmpfs -o mode=0700 tmpfs /var/log/corosync
corosync-keygen -k /etc/corosync/authkey >/dev/null
ip link set lo up
for addr in "$@"; do ip addr add "$addr/32" dev lo; done
exec corosync -t -c "$conf"
`;

export function validateCorosyncConf(text: string, nodeName: string): Validation {
  const addrs = corosyncRingAddresses(text, nodeName);
  if (addrs.length === 0) return { ok: false, output: `no nodelist entry with name: ${nodeName} and a ring address` };
  return withTempFiles({ 'corosync.conf': text }, (dir) => {
    const r = runInNamespaces(SCRIPT, [join(dir, 'corosync.conf'), ...addrs], { net: true });
    return { ok: !r.missing && r.code === 0, output: describeRun(`corosync -t as ${nodeName} (${addrs.join(', ')})`, r) };
  });
}
