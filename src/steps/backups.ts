// Generational backups as LVM snapshots of the replicated volume, taken by a systemd timer on the active node.
import { formStep } from './form-step.js';
import { setDefault } from './draft.js';

export const backupsStep = formStep({
  id: 'backups',
  title: 'Backups (LVM snapshots)',
  help:
    'A systemd timer takes an LVM snapshot of the volume on the node where it runs and keeps the newest ones. ' +
    'Snapshots use the free space kept in the volume group; a snapshot that outgrows its size is dropped.',
  fields: () => [
    { path: 'backups.snapshots.schedule', label: 'Schedule', kind: 'text', hint: 'A systemd OnCalendar expression: daily, hourly, Mon..Fri 02:00...' },
    { path: 'backups.snapshots.keep', label: 'Snapshots kept', kind: 'number', hint: 'How many generations to keep; older ones are removed.' },
    { path: 'backups.snapshots.size', label: 'Snapshot size', kind: 'text', hint: 'Copy-on-write space per snapshot: 10%ORIGIN, or a size such as 5G.' },
  ],
  prefill: (d) => {
    let out = setDefault(d, 'backups.snapshots.schedule', 'daily');
    out = setDefault(out, 'backups.snapshots.keep', 7);
    return setDefault(out, 'backups.snapshots.size', '10%ORIGIN');
  },
});
