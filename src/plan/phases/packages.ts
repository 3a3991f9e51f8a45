// Phase: the distribution's packages and the DRBD kernel module.
import type { Answers, NodeAnswers } from '../../answers/schema.js';
import { isAgentStonith, sbdOf } from '../../answers/schema.js';
import type { PlanContext } from '../context.js';
import { PROC_DRBD, ok } from '../judges.js';
import { oneLine } from '../sh.js';
import installPackagesSh from '../sh/install-packages.sh';
import installExtraPackagesSh from '../sh/install-extra-packages.sh';
import haveProgramsSh from '../sh/have-programs.sh';
import { step, type PlanStep } from '../types.js';

/** The programs whose presence says "the packages are installed", whatever the distribution. */
const PROGRAMS = ['mdadm', 'pvcreate', 'drbdadm', 'corosync', 'pacemakerd', 'crm_mon', 'cibadmin', 'crm_attribute', 'exportfs'];

/**
 * What the fencing answers add, as "DEBIAN-NAME/RPM-NAME" (install-packages.sh) and the program that
 * proves each: the fence agent (Pacemaker runs it, and the preflight asks the BMC with it: Debian's
 * pacemaker only recommends fence-agents, which --no-install-recommends skips), sbd, corosync-qdevice.
 * Nothing for answers without them: their plan stays as it was.
 */
export function fencingPackages(a: Pick<Answers, 'pacemaker' | 'cluster'>): { packages: string[]; programs: string[] } {
  const st = a.pacemaker.stonith;
  const out = { packages: [] as string[], programs: [] as string[] };
  if (isAgentStonith(st)) {
    out.packages.push('fence-agents/fence-agents-all');
    out.programs.push(st.agent);
    // fence_ipmilan runs ipmitool, which Debian 12's fence-agents does not depend on (found on the lab:
    // its image had fence_ipmilan and no ipmitool; Debian 13's fence-agents-ipmilan does depend on it).
    if (st.agent === 'fence_ipmilan') {
      out.packages.push('ipmitool/ipmitool');
      out.programs.push('ipmitool');
    }
  }
  const sbd = sbdOf(st);
  if (sbd) {
    // fence_sbd (the CIB's device for disk-based SBD) is one of fence-agents.
    if (sbd.device !== undefined) {
      out.packages.push('fence-agents/fence-agents-sbd');
      out.programs.push('fence_sbd');
    }
    out.packages.push('sbd/sbd');
    out.programs.push('sbd');
  }
  if (a.cluster.quorumDevice) {
    out.packages.push('corosync-qdevice/corosync-qdevice');
    out.programs.push('corosync-qdevice', 'corosync-qdevice-net-certutil');
  }
  return out;
}

export function packages(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const extra = fencingPackages(ctx.a);
  return [
    step({
      id: `${n.name}/packages`, node: n.name, title: 'install the cluster packages', consent: true, parallelGroup: '01-packages',
      why: 'mdadm, LVM, DRBD, Corosync, Pacemaker and the NFS server come from the distribution',
      commands: [['sh', '-c', oneLine(installPackagesSh)]],
      check: { kind: 'probe', argv: ['sh', '-c', oneLine(haveProgramsSh), '--', ...PROGRAMS], describe: `${PROGRAMS.join(', ')} are installed`, judge: ok },
      doneIf: ['cluster/cluster-online'],
    }),
    // A step of its own, without the doneIf above: fencing added to a running cluster still installs them.
    ...(extra.packages.length === 0 ? [] : [step({
      id: `${n.name}/fencing-packages`, node: n.name, title: `install ${extra.packages.map((p) => p.split('/')[0]).join(', ')}`, consent: true, parallelGroup: '01-packages',
      why: 'the fencing the answers configure needs them on both nodes',
      commands: [['sh', '-c', oneLine(installExtraPackagesSh), '--', ...extra.packages]],
      check: { kind: 'probe', argv: ['sh', '-c', oneLine(haveProgramsSh), '--', ...extra.programs], describe: `${extra.programs.join(', ')} are installed`, judge: ok },
    })]),
  ];
}

/** The DRBD module: after the fencing preflight (preflight.ts), which must come before any change but the packages. */
export function modules(_ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  return [
    step({
      repeatable: true, id: `${n.name}/modprobe`, node: n.name, title: 'load the DRBD kernel module', parallelGroup: '02-modules',
      why: 'drbdadm needs the module; Pacemaker loads it itself after a reboot',
      commands: [['modprobe', 'drbd']],
      check: { kind: 'probe', argv: PROC_DRBD, describe: '/proc/drbd exists', judge: (r) => ok(r) && /^version:/m.test(r.stdout) },
    }),
  ];
}
