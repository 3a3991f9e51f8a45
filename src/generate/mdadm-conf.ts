// /etc/mdadm/mdadm.conf for one node: the RAID1 under the LVM/DRBD stack. Its ARRAY line names the array
// "any:<N>" (mdadm's wildcard homehost, mdArrayName): such an array assembles under its own device name on
// every host and under every copy of mdadm.conf, the initramfs's older one included, so installing this
// file needs no initramfs rebuild (the next kernel update brings the initramfs's copy in line).
import type { Answers, NodeAnswers } from '../answers/schema.js';
import { MD_HOMEHOST, mdArrayName } from '../answers/derived.js';

export function renderMdadmConf(a: Answers, node: NodeAnswers): string {
  return `# mdadm.conf for ${node.name}, hanfs-wizard cluster ${a.cluster.name}.
# Install as /etc/mdadm/mdadm.conf. The array's name carries the wildcard homehost "${MD_HOMEHOST}", so it
# assembles as ${a.raid.device} even from an initramfs built before it existed: no update-initramfs needed.

# The two RAID1 members of the replicated storage (nodes[].disks).
DEVICE ${node.disks.join(' ')}
# mdadm's default scan as well, so any other array of this machine (a root on md) still assembles.
DEVICE partitions containers

# Where mdadm --monitor sends degraded-array mail.
MAILADDR root

# The array by its name (set at creation with --homehost=${MD_HOMEHOST}): mdadm assembles it as
# ${a.raid.device} by this line alone: no UUID is needed, so this file is complete before
# mdadm --create runs and stays byte-identical to the reviewed export (apply compares it on the nodes).
ARRAY ${a.raid.device} metadata=1.2 name=${mdArrayName(a)}
`;
}
