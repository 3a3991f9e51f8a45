// The order of execution, in one place: the engine runs the groups in this order, both nodes' steps of
// one group at once (a node's own steps of a group one after another, in plan order). A step names its
// group by one of these (typed: a misspelt group does not compile), and planSteps checks that the plan
// lists its steps in this order (src/plan/check.ts). A new group goes where it must run; the names only
// label it (their numbers are the order they had when the list was written, nothing reads them).
export const GROUPS = [
  '00-preflight',
  '01-packages',
  // The fence devices asked for their status, SBD's watchdog and disk checked: after the packages (the
  // agents and sbd are among them), before anything is configured (src/plan/phases/preflight.ts).
  '01-fence-check',
  '02-modules',
  // The files the cluster and the disks need, written before the cluster starts (src/plan/phases/config-files.ts).
  '02-corosync',
  // SBD's slots, then its header read back on the other node and sbd enabled (src/plan/phases/sbd.ts).
  '02-sbd',
  '02-sbd-enable',
  // The quorum device's certificates, in corosync-qdevice-net-certutil(8)'s order across the qnetd host
  // and the nodes (src/plan/phases/qdevice.ts): each group waits for the files the one before made.
  '02-qnetd',
  '02-qdevice-db',
  '02-qdevice-request',
  '02-qnetd-sign',
  '02-qdevice-import',
  '02-qdevice-import-peer',
  '02-cluster-start',
  // Boot enablement, and the background lane of the first node's early CIB loads (cluster-start.ts).
  '02-cluster-enable',
  '03-raid',
  '05-lvm',
  '07-drbd-md',
  '08-drbd-up',
  '09-drbd-connect',
  '10-initial-sync',
  '11-mkfs',
  '12-handover',
  '12-cib-held',
  '13-nfs',
  '16-cluster-online',
  '17-cib',
  '17-nfs-restart',
  '18-settle',
  '19-verify',
  '20-verify-export',
  // The actions after apply (switchover, standby, snapshots, growing, recovery: src/plan/actions/): a
  // handful of stages in this order, each action using those it needs. Both nodes' steps of one stage run
  // at once; what must happen on one node before the other gets a stage of its own.
  'a1-prepare',
  'a2-act',
  'a3-act',
  'a4-act',
  'a5-act',
  'a6-finish',
  'a7-read-back',
] as const;

export type Group = (typeof GROUPS)[number];

/**
 * Every background step (PlanStep.background) is done before this group starts: the configuration's
 * load must not meet a node still busy with boot symlinks or an early CIB load.
 */
export const BACKGROUND_JOIN: Group = '17-cib';
