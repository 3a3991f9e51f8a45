import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeMdResync, humanDuration, mdResyncFrom } from '../../src/apply/md-resync.js';

const C = join(import.meta.dirname, '../fixtures/lab-captures');
const read = (p: string) => readFileSync(join(C, p), 'utf8');

describe('mdResyncFrom (real /proc/mdstat captures)', () => {
  it('reads a resync: the kernel percent, its speed and, with a second reading, the window rate and ETA', () => {
    const first = mdResyncFrom(read('raid/proc_mdstat.resyncing.node1.txt'), 'node1', '/dev/md0', 0, null)!;
    expect(first).toMatchObject({ node: 'node1', device: '/dev/md0', action: 'resync', percent: 6, rateKiBs: 8000, etaSec: 31 });
    // 86144 KiB more in 10 s: 8614.4 KiB/s over the window, 158976 KiB left.
    const second = mdResyncFrom(read('manual-run/proc_mdstat.resyncing.node1.txt'), 'node1', '/dev/md0', 10_000, first)!;
    expect(second.percent).toBe(38.9);
    expect(second.rateKiBs).toBeCloseTo(8614.4, 1);
    expect(second.etaSec).toBe(Math.round(158976 / 8614.4));
  });

  it('a recovery is reported as such; a clean, absent or other array is no resync', () => {
    expect(mdResyncFrom(read('raid/proc_mdstat.recovering.node1.txt'), 'node1', '/dev/md0', 0, null)).toMatchObject({ action: 'recovery', percent: 5.8 });
    expect(mdResyncFrom(read('raid/proc_mdstat.clean.node1.txt'), 'node1', '/dev/md0', 0, null)).toBeNull();
    expect(mdResyncFrom(read('bare-nodes/proc_mdstat.bare-stale-md-inactive.node1.txt'), 'node1', '/dev/md0', 0, null)).toBeNull();
    expect(mdResyncFrom(read('raid/proc_mdstat.resyncing.node1.txt'), 'node1', '/dev/md1', 0, null)).toBeNull();
  });

  it('says where the resync stands in one sentence', () => {
    const r = mdResyncFrom(read('manual-run/proc_mdstat.resyncing.node1.txt'), 'lab1', '/dev/md0', 0, null)!;
    expect(describeMdResync({ ...r, etaSec: 720 })).toBe('md0 on lab1 resyncing 39%, ETA 12 min: continues in the background (the array is usable meanwhile); hanfs-wizard monitor shows it');
    expect(describeMdResync({ node: 'n', device: '/dev/md0', action: 'resync-pending', percent: 0, etaSec: null })).toMatch(/^md0 on n resyncing \(pending\)/);
    expect([humanDuration(45), humanDuration(720), humanDuration(3 * 3600 + 20 * 60), humanDuration(null)]).toEqual(['45 s', '12 min', '3 h 20 min', 'unknown']);
  });
});
