import { describe, expect, it } from 'vitest';
import { formatEventText, formatOutcomeText, ProgressThrottle } from '../../src/apply/format.js';
import type { ApplyEvent } from '../../src/apply/engine.js';

const step = { id: 'node1/raid', node: 'node1', title: 'create RAID1 /dev/md0', destructive: true, group: '03-raid' };
const progress = (percent: number, what = 'RAID1 resync of /dev/md0'): ApplyEvent => ({ type: 'progress', step, percent, rateKiBs: 8000, etaSec: 31, what, background: true });

describe('plain output of progress', () => {
  it('prints percent, rate and ETA, and says a background resync does not hold apply up', () => {
    expect(formatEventText(progress(6))).toBe('[node1] RAID1 resync of /dev/md0: 6.0%, 7.8 MiB/s, ETA 0:00:31 (in the background; apply goes on)');
    expect(formatEventText(progress(100))).toBe('[node1] RAID1 resync of /dev/md0: finished');
  });

  it('throttles each progress to one line per interval, always printing the first and the last', () => {
    const t = new ProgressThrottle(30_000);
    const other = progress(1, 'DRBD initial sync');
    const seen = [
      t.pass(progress(6), 0),
      t.pass(progress(7), 5_000),
      t.pass(other, 5_000),
      t.pass(progress(8), 29_999),
      t.pass(progress(9), 30_000),
      t.pass(progress(100), 31_000),
      t.pass({ type: 'message', level: 'info', text: 'x' }, 31_000),
    ];
    expect(seen).toEqual([true, false, true, false, true, true, true]);
  });
});

describe('the outcome', () => {
  it('says where a resync stands after "apply finished"', () => {
    const text = formatOutcomeText({ kind: 'done', ran: ['a'], skipped: [], background: [{ node: 'lab1', device: '/dev/md0', action: 'resync', percent: 43.2, rateKiBs: 8000, etaSec: 720 }] });
    expect(text.split('\n')).toEqual([
      'apply finished: 1 steps ran, 0 were already done',
      'md0 on lab1 resyncing 43%, ETA 12 min: continues in the background (the array is usable meanwhile); hanfs-wizard monitor shows it',
    ]);
  });
});
