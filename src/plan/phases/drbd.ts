// Phase: DRBD on each node's logical volume (metadata, up), then on the pair: connected, the initial sync
// (or its skip on fresh disks), and the filesystem made on the Primary.
import type { NodeAnswers } from '../../answers/schema.js';
import { nfsStateDir } from '../../answers/derived.js';
import type { PlanContext } from '../context.js';
import { DRBD_STATUS, drbdRes, ok } from '../judges.js';
import { oneLine } from '../sh.js';
import mkfsUnlessFormattedSh from '../sh/mkfs-unless-formatted.sh';
import makeExportDirsSh from '../sh/make-export-dirs.sh';
import { step, type PlanStep } from '../types.js';

export function drbdDisk(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const { res, lv } = ctx;
  return [
    step({
      id: `${n.name}/create-md`, node: n.name, title: `write DRBD metadata on ${lv}`, parallelGroup: '07-drbd-md', destructive: true,
      why: 'DRBD keeps its metadata (generation ids, bitmap) at the end of the backing device', overwrites: lv,
      commands: [['drbdadm', 'create-md', '--force', res]],
      check: { kind: 'probe', argv: ['drbdadm', 'get-gi', res], describe: `${res} has DRBD metadata`, judge: ok },
      doneIf: [`${n.name}/drbd-up`],
    }),
    step({
      id: `${n.name}/drbd-up`, node: n.name, title: `bring DRBD resource ${res} up`, parallelGroup: '08-drbd-up',
      why: 'attaches the backing disk and starts connecting to the peer',
      commands: [['drbdadm', 'up', res]],
      check: { kind: 'probe', argv: DRBD_STATUS, describe: `${res} is up with its disk attached`, judge: (r) => { const s = drbdRes(r, res); return s !== null && s.disk !== null && s.disk !== 'Diskless'; } },
      doneIf: ['cluster/mkfs', 'cluster/cluster-online'],
    }),
  ];
}

export function drbdPair(ctx: PlanContext): PlanStep[] {
  const { res, first, checks } = ctx;
  return [
    step({
      id: 'cluster/drbd-connect', node: first.name, cluster: true, title: `wait until ${res} is connected`, parallelGroup: '09-drbd-connect',
      why: 'the initial sync and the clear-bitmap need both nodes connected',
      check: checks.connectedBoth, doneIf: ['cluster/initial-sync'],
      verify: { ...checks.connectedBoth, waitMs: 120_000, intervalMs: 2000 },
    }),
    initialSync(ctx),
    mkfs(ctx),
  ];
}

function initialSync(ctx: PlanContext): PlanStep {
  const { a, res, first, checks } = ctx;
  const primary = first.name;
  if (a.drbd.initialSync === 'skip') {
    return step({
      id: 'cluster/initial-sync', node: primary, cluster: true, title: 'skip the initial sync (fresh disks)', parallelGroup: '10-initial-sync', destructive: true,
      why: 'both disks are new: marking them identical makes them UpToDate in seconds whatever their size',
      // On ONE node only, in the documented form: DRBD 9 user's guide (LINBIT/linbit-documentation
      // UG9/en/drbd-configure.adoc, "Skipping initial resynchronization"): `drbdadm new-current-uuid
      // --clear-bitmap <resource>/<volume>`; 8.4: drbdsetup(8) of drbd-utils (documentation/v84/
      // drbdsetup.xml, "new-current-uuid"): `drbdadm new-current-uuid --clear-bitmap <res>`. The
      // older `drbdadm -- --clear-bitmap new-current-uuid` spelling maps to the same drbdsetup call
      // (test/plan/plan-drbd-skip.test.ts runs the real drbdadm to prove the mapping).
      commands: [['drbdadm', 'new-current-uuid', '--clear-bitmap', a.drbd.version === '9' ? `${res}/0` : res]],
      requires: checks.freshPair,
      check: checks.upToDateBoth,
      doneIf: ['cluster/mkfs'],
      verify: { ...checks.upToDateBoth, waitMs: 60_000, intervalMs: 1000 },
    });
  }
  return step({
    id: 'cluster/initial-sync', node: primary, cluster: true, title: `full initial sync from ${primary}`, parallelGroup: '10-initial-sync', destructive: true,
    why: `copies every block of ${primary}'s volume to the peer; the peer's content is overwritten`,
    commands: [['drbdadm', 'primary', '--force', res]],
    check: checks.upToDateBoth,
    doneIf: ['cluster/mkfs'],
    verify: { ...checks.upToDateBoth, waitMs: 7 * 24 * 3600_000, intervalMs: 2000, progress: 'drbd-sync' },
  });
}

function mkfs(ctx: PlanContext): PlanStep {
  const { a, res, lv, first } = ctx;
  return step({
    id: 'cluster/mkfs', node: first.name, cluster: true, title: `make a ${a.filesystem.type} filesystem on ${a.drbd.device}`, parallelGroup: '11-mkfs', destructive: true,
    why: `only the Primary can write; the export directories and the NFS state directory (${nfsStateDir(a)}) are created in it`,
    commands: [
      ['drbdadm', 'primary', res],
      // Refuses when a filesystem is already there: a resumed run never formats twice. No discard at mkfs
      // (ext4 -E nodiscard, xfs -K): the volume is new, and DRBD 8.4 replicates each discard to the
      // peer, whose LV (on md, no write-zeroes) turns it into zero-page writes of the whole device.
      // ext4 with 4 KiB blocks (-b 4096) whatever the size: mke2fs picks 1 KiB blocks below 512 MiB, and
      // then its zeroing writes start 1 KiB into a 4 KiB block, which DRBD (4 KiB bitmap) and LVM
      // snapshots (4 KiB chunks) only handle as partial blocks; the lab's virtual disks failed such writes
      // (docs/apply.md). Real volumes get 4 KiB blocks from mke2fs anyway.
      ['sh', '-c', oneLine(mkfsUnlessFormattedSh), '--',
        a.drbd.device, ...(a.filesystem.type === 'xfs' ? ['mkfs.xfs', '-q', '-K', '-L', res, a.drbd.device] : ['mkfs.ext4', '-q', '-b', '4096', '-E', 'nodiscard', '-L', res, a.drbd.device])],
      ['sh', '-c', oneLine(makeExportDirsSh), '--',
        a.drbd.device, a.filesystem.mount, ...a.nfs.exports.map((e) => e.path), nfsStateDir(a)],
    ],
    check: {
      kind: 'probe', argv: ['blkid', '-p', '-u', 'filesystem', '-o', 'export', lv], describe: `${lv} carries a ${a.filesystem.type} filesystem`,
      judge: (r) => ok(r) && new RegExp(`^TYPE=${a.filesystem.type}$`, 'm').test(r.stdout),
    },
    doneIf: ['cluster/cluster-online'],
  });
}
