// The disks a plan wipes, reviewed together per node: one lsblk and one by-id listing for all of them,
// each disk's signatures on their own, the verdicts in the order asked. Real captures of the lab's node1
// (test/fixtures/apply/SOURCE.md, disk-changed/).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { changesSinceReview, reviewDisks } from '../../src/apply/disk-review.js';
import { READ_PINS_ARGV } from '../../src/plan/disk-pins.js';
import type { Runner } from '../../src/exec/runner.js';

const DIR = join(import.meta.dirname, '../fixtures/apply/disk-changed/node1');

describe('reviewDisks', () => {
  it('reads lsblk and by-id once for all the disks, and wipefs once per disk', async () => {
    const r = new ReplayRunner({ dir: DIR, label: 'node1' });
    const reviews = await reviewDisks(r, 'node1', ['/dev/vdf', '/dev/vdb']);
    expect(reviews.map((x) => [x.disk, x.info?.serial, x.problems])).toEqual([
      ['/dev/vdf', 'HANFS-N1-SPARE', []],
      ['/dev/vdb', 'HANFS-N1-RAID-B', []],
    ]);
    const runs = r.history.map((a) => a.join(' '));
    expect(runs.filter((x) => x.startsWith('lsblk'))).toHaveLength(1);
    expect(runs.filter((x) => x.startsWith('ls -l'))).toHaveLength(1);
    expect(runs.filter((x) => x.startsWith('wipefs')).sort()).toEqual(['wipefs -n --json /dev/vdb', 'wipefs -n --json /dev/vdf']);
  });

  it('a disk lsblk does not list is refused with its reason, the others are still reviewed', async () => {
    const r = new ReplayRunner({ dir: DIR, label: 'node1' });
    const reviews = await reviewDisks(r, 'node1', ['/dev/vdb', '/dev/vdz']);
    expect(reviews[0]!.problems).toEqual([]);
    expect(reviews[1]).toEqual({ node: 'node1', disk: '/dev/vdz', info: null, problems: ['/dev/vdz is not a whole disk on node1 (not in lsblk)'], expected: null });
    expect(r.history.filter((a) => a[0] === 'wipefs')).toEqual([['wipefs', '-n', '--json', '/dev/vdb']]);
  });

  it('the re-probe after mdadm --create sees the new holder and signature', async () => {
    const r = new ReplayRunner({ dir: DIR, label: 'node1' });
    const [before] = await reviewDisks(r, 'node1', ['/dev/vdb']);
    const [after] = await reviewDisks(r, 'node1', ['/dev/vdb']);
    expect(changesSinceReview(before!, after!)).toEqual(['gained a holder: md0', 'gained a signature: linux_raid_member']);
  });

  it('a disk whose identity differs from the answers\' record is refused, naming both (issue 25)', async () => {
    const r = new ReplayRunner({ dir: DIR, label: 'node1' });
    const B = '/dev/disk/by-id/virtio-HANFS-N1-RAID-B';
    const [same, other] = await reviewDisks(r, 'node1', [B, '/dev/vdf'], undefined, {
      field: 'nodes[0]',
      identities: { [B]: { serial: 'HANFS-N1-RAID-B', size: 268435456 }, '/dev/vdf': { serial: 'HANFS-N1-RAID-C', size: 268435456 } },
    });
    expect(same!.problems).toEqual([]);
    expect(same!.expected).toEqual({ identity: { serial: 'HANFS-N1-RAID-B', size: 268435456 }, source: 'nodes[0].diskIdentity' });
    expect(other!.problems).toEqual([
      'is another disk than recorded (serial, size differ): expected serial HANFS-N1-RAID-C, WWN -, 268435456 bytes (nodes[0].diskIdentity), found serial HANFS-N1-SPARE, WWN -, 536870912 bytes (/dev/vdf)',
    ]);
  });

  it('without a record in the answers, the identity pinned on the node is expected; without either, none', async () => {
    const replay = new ReplayRunner({ dir: DIR, label: 'node1' });
    // The pin record is apply's own file (src/plan/sh/pin-disks.sh): a name, a tab, lsblk -P's fields of
    // the disk it named then (here vdb's serial and size as the lab's lsblk capture gives them).
    const pinned = `/dev/vdf\tSERIAL="HANFS-N1-RAID-B" WWN="" SIZE="268435456"\n`;
    const withPins: Runner = {
      label: 'node1', close: async () => {}, stream: (a, o) => replay.stream(a, o),
      run: async (argv, o) => (JSON.stringify(argv) === JSON.stringify(READ_PINS_ARGV) ? { argv, exitCode: 0, stdout: pinned, stderr: '', timedOut: false, aborted: false, durationMs: 1 } : replay.run(argv, o)),
    };
    const [vdf, vdb] = await reviewDisks(withPins, 'node1', ['/dev/vdf', '/dev/vdb']);
    expect(vdf!.expected?.source).toBe('pinned on node1 (/var/lib/hanfs-wizard/disk-identity)');
    expect(vdf!.problems[0]).toMatch(/^is another disk than recorded \(serial, size differ\): expected serial HANFS-N1-RAID-B, WWN -, 268435456 bytes \(pinned on node1/);
    expect(vdb!.expected).toBe(null);
    expect(vdb!.problems).toEqual([]);
  });

  it('no disks: no commands', async () => {
    const r = new ReplayRunner({ dir: DIR, label: 'node1' });
    expect(await reviewDisks(r, 'node1', [])).toEqual([]);
    expect(r.history).toEqual([]);
  });
});
