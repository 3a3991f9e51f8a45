// /etc/mdadm/mdadm.conf for one node: the RAID1 under the LVM/DRBD stack, assembled under its own name at
// boot. Without an ARRAY line naming it, an array whose homehost is not this machine's hostname is assembled
// as "foreign" under /dev/md127 (the lab saw exactly that), and the LV and DRBD would not find their disk.
import type { Answers, NodeAnswers } from '../answers/schema.js';
import { mdArrayName } from '../answers/derived.js';

export function renderMdadmConf(a: Answers, node: NodeAnswers): string {
  return `# mdadm.conf for ${node.name}, hanfs-wizard cluster ${a.cluster.name}.
# Install as /etc/mdadm/mdadm.conf, then run update-initramfs -u (Debian/Ubuntu) or dracut -f (RHEL) so
# the copy in the initramfs agrees.

# The two RAID1 members of the replicated storage (nodes[].disks).
DEVICE ${node.disks.join(' ')}
# mdadm's default scan as well, so any other array of this machine (a root on md) still assembles.
DEVICE partitions containers

# Where mdadm --monitor sends degraded-array mail.
MAILADDR root

# The array by its name (homehost:name, set at creation with --homehost=${a.cluster.name}): mdadm assembles it
# as ${a.raid.device} by this line alone: no UUID is needed, so this file is complete before
# mdadm --create runs and stays byte-identical to the reviewed export (apply compares it on the nodes).
ARRAY ${a.raid.device} metadata=1.2 name=${mdArrayName(a)}
`;
}
