// hanfs-snapshot.service and .timer (/etc/systemd/system): run the snapshot script on schedule on both
// nodes; the script itself acts only on the DRBD Primary, so the timer follows the service after a
// failover with no Pacemaker resource needed.
import type { Answers } from '../answers/schema.js';

export const SNAPSHOT_SCRIPT = '/usr/local/sbin/hanfs-snapshot';

export function renderSnapshotService(a: Answers): string {
  return `# Written by hanfs-wizard: one LVM snapshot of ${a.lvm.vg}/${a.lvm.lv}, keeping ${a.backups.snapshots.keep}.
[Unit]
Description=hanfs LVM snapshot of ${a.lvm.vg}/${a.lvm.lv} (acts only where DRBD ${a.drbd.resource} is Primary)
Documentation=man:lvcreate(8)
After=local-fs.target

[Service]
Type=oneshot
ExecStart=${SNAPSHOT_SCRIPT}
# The filesystem is frozen during lvcreate: never let a hung run keep it frozen for long.
TimeoutStartSec=10min
Nice=10
IOSchedulingClass=idle
`;
}

export function renderSnapshotTimer(a: Answers): string {
  return `# Written by hanfs-wizard: schedules hanfs-snapshot.service (backups.snapshots.schedule).
[Unit]
Description=hanfs LVM snapshots of ${a.lvm.vg}/${a.lvm.lv} (${a.backups.snapshots.schedule})

[Timer]
OnCalendar=${a.backups.snapshots.schedule}
# A node that was off at the scheduled time snapshots when it comes back (if it is then Primary).
Persistent=true

[Install]
WantedBy=timers.target
`;
}
