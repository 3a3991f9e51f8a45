// `ls -l /dev/disk/by-id/`: the stable names (virtio-<serial>, ata-<model>_<serial>, wwn-...) that answers
// should use instead of /dev/vdX, which can change between boots.
export const BY_ID_ARGV = ['ls', '-l', '/dev/disk/by-id/'] as const;

/** Maps a kernel name (vdb, sda1) to the by-id links pointing at it, each as a full /dev/disk/by-id path. */
export function parseByIdListing(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    // lrwxrwxrwx 1 root root 9 Nov 25 19:29 virtio-HANFS-N1-RAID-B -> ../../vdb
    const m = /^l\S*\s.*\s(\S+) -> (?:\.\.\/\.\.\/)?(\S+)$/.exec(line);
    if (!m) continue;
    const link = m[1] as string;
    const target = (m[2] as string).replace(/^.*\//, '');
    const list = out.get(target) ?? [];
    list.push(`/dev/disk/by-id/${link}`);
    out.set(target, list);
  }
  for (const list of out.values()) list.sort(byIdPreference);
  return out;
}

// Serial-based names first (they survive a move to another controller), wwn- next, then the rest.
function rank(p: string): number {
  const n = p.replace(/^.*\//, '');
  if (n.startsWith('wwn-') || n.startsWith('nvme-eui.')) return 1;
  if (/^(virtio|ata|scsi|nvme|usb|dm-uuid|md-uuid)-/.test(n)) return 0;
  return 2;
}
function byIdPreference(a: string, b: string): number {
  return rank(a) - rank(b) || a.localeCompare(b);
}
