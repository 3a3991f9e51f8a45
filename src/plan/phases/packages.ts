// Phase: the distribution's packages and the DRBD kernel module.
import type { NodeAnswers } from '../../answers/schema.js';
import type { PlanContext } from '../context.js';
import { PROC_DRBD, ok } from '../judges.js';
import { oneLine } from '../sh.js';
import installPackagesSh from '../sh/install-packages.sh';
import haveProgramsSh from '../sh/have-programs.sh';
import { step, type PlanStep } from '../types.js';

/** The programs whose presence says "the packages are installed", whatever the distribution. */
const PROGRAMS = ['mdadm', 'pvcreate', 'drbdadm', 'corosync', 'pacemakerd', 'crm_mon', 'cibadmin', 'crm_attribute', 'exportfs'];

export function packages(_ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  return [
    step({
      id: `${n.name}/packages`, node: n.name, title: 'install the cluster packages', consent: true, parallelGroup: '01-packages',
      why: 'mdadm, LVM, DRBD, Corosync, Pacemaker and the NFS server come from the distribution',
      commands: [['sh', '-c', oneLine(installPackagesSh)]],
      check: { kind: 'probe', argv: ['sh', '-c', oneLine(haveProgramsSh), '--', ...PROGRAMS], describe: `${PROGRAMS.join(', ')} are installed`, judge: ok },
      doneIf: ['cluster/cluster-online'],
    }),
    step({
      repeatable: true, id: `${n.name}/modprobe`, node: n.name, title: 'load the DRBD kernel module', parallelGroup: '02-modules',
      why: 'drbdadm needs the module; Pacemaker loads it itself after a reboot',
      commands: [['modprobe', 'drbd']],
      check: { kind: 'probe', argv: PROC_DRBD, describe: '/proc/drbd exists', judge: (r) => ok(r) && /^version:/m.test(r.stdout) },
    }),
  ];
}
