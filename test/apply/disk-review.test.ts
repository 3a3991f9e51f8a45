// The disks a plan wipes, reviewed together per node: one lsblk and one by-id listing for all of them,
// each disk's signatures on their own, the verdicts in the order asked. Real captures of the lab's node1
// (test/fixtures/apply/SOURCE.md, disk-changed/).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { changesSinceReview, reviewDisks } from '../../src/apply/disk-review.js';

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
    expect(reviews[1]).toEqual({ node: 'node1', disk: '/dev/vdz', info: null, problems: ['/dev/vdz is not a whole disk on node1 (not in lsblk)'] });
    expect(r.history.filter((a) => a[0] === 'wipefs')).toEqual([['wipefs', '-n', '--json', '/dev/vdb']]);
  });

  it('the re-probe after mdadm --create sees the new holder and signature', async () => {
    const r = new ReplayRunner({ dir: DIR, label: 'node1' });
    const [before] = await reviewDisks(r, 'node1', ['/dev/vdb']);
    const [after] = await reviewDisks(r, 'node1', ['/dev/vdb']);
    expect(changesSinceReview(before!, after!)).toEqual(['gained a holder: md0', 'gained a signature: linux_raid_member']);
  });

  it('no disks: no commands', async () => {
    const r = new ReplayRunner({ dir: DIR, label: 'node1' });
    expect(await reviewDisks(r, 'node1', [])).toEqual([]);
    expect(r.history).toEqual([]);
  });
});
