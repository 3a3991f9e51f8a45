import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { advanceSync, RATE_WINDOW_MS, type SyncProgress } from '../../src/monitor/progress.js';

describe('advanceSync: resync progress', () => {
  it('is never negative, never above 100, never NaN, whatever the samples (drbdtop issue 7)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.nat(5000), oos: fc.option(fc.nat(2 ** 40)), total: fc.option(fc.nat(2 ** 40)), done: fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true })) }), { minLength: 1, maxLength: 40 }),
        (steps) => {
          let p: SyncProgress | null = null;
          let t = 0;
          for (const s of steps) {
            t += s.dt;
            p = advanceSync(p, { t, oosKiB: s.oos, totalKiB: s.total, done: s.done });
            expect(p.percent).toBeGreaterThanOrEqual(0);
            expect(p.percent).toBeLessThanOrEqual(100);
            expect(Number.isNaN(p.percent)).toBe(false);
            if (p.rateKiBs !== null) expect(p.rateKiBs).toBeGreaterThan(0);
            if (p.etaSec !== null) expect(p.etaSec).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });

  it('moves whenever the out-of-sync amount moves (never a frozen gauge, drbdtop issue 18)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1e9 }), fc.array(fc.nat(1e9), { minLength: 2, maxLength: 20 }), (total, oosList) => {
        let p = advanceSync(null, { t: 0, oosKiB: total, totalKiB: total });
        let prevOos = total;
        oosList.forEach((raw, i) => {
          const oos = raw % (total + 1);
          const before = p.percent;
          p = advanceSync(p, { t: (i + 1) * 1000, oosKiB: oos });
          const expected = ((p.totalKiB - oos) / p.totalKiB) * 100;
          expect(p.percent).toBeCloseTo(expected, 9);
          expect(p.totalKiB).toBe(total);
          if (oos !== prevOos) expect(p.percent).not.toBe(before);
          prevOos = oos;
        });
      }),
    );
  });

  it('raises the total when out-of-sync grows past it instead of going negative', () => {
    let p = advanceSync(null, { t: 0, oosKiB: 100 });
    p = advanceSync(p, { t: 1000, oosKiB: 300 });
    expect(p.totalKiB).toBe(300);
    expect(p.percent).toBe(0);
    expect(p.rateKiBs).toBeNull();
  });

  it('uses DRBD 9 done: only when no out-of-sync amount is known, clamped', () => {
    expect(advanceSync(null, { t: 0, oosKiB: null, done: 37.5 }).percent).toBe(37.5);
    expect(advanceSync(null, { t: 0, oosKiB: null, done: 140 }).percent).toBe(100);
    expect(advanceSync(null, { t: 0, oosKiB: 500, totalKiB: 1000, done: 10 }).percent).toBe(50);
  });

  it('recovers the total from done: when the monitor starts mid-resync (DRBD 9, drbd-utils golden line)', async () => {
    const { parseEvents2Line } = await import('../../src/probes/drbd-events2.js');
    const { fixture } = await import('../helpers/monitor-fixtures.js');
    const r = parseEvents2Line(fixture('drbd9-utils-tests-events2-sync.test.txt').split('\n').find((l) => l.includes('eta:'))!);
    if (!r.ok || r.event.object !== 'peer-device') throw new Error('no peer-device line');
    const p = advanceSync(null, { t: 0, oosKiB: r.event.outOfSyncKiB ?? null, done: r.event.done ?? null, etaSec: r.event.etaSec ?? null });
    expect(p.percent).toBeCloseTo(37.5, 9);
    expect(p.totalKiB).toBeCloseTo(4000, 9);
    expect(p.etaSec).toBe(10);
  });

  it('computes rate and ETA over a moving window only', () => {
    let p = advanceSync(null, { t: 0, oosKiB: 10_000, totalKiB: 10_000 });
    p = advanceSync(p, { t: 10_000, oosKiB: 9_000 });
    expect(p.rateKiBs).toBe(100);
    expect(p.etaSec).toBe(90);
    // Much later the old samples leave the window: the rate is the recent one.
    p = advanceSync(p, { t: 10_000 + RATE_WINDOW_MS + 1, oosKiB: 8_000 });
    p = advanceSync(p, { t: 10_000 + RATE_WINDOW_MS + 2_001, oosKiB: 7_000 });
    expect(p.rateKiBs).toBe(500);
    expect(p.etaSec).toBe(14);
  });

  it('shows the kernel speed until the window has its own rate', () => {
    const p = advanceSync(null, { t: 0, oosKiB: 165844, totalKiB: 204756, speedKiBs: 19456, etaSec: 8 });
    expect(p.rateKiBs).toBe(19456);
    expect(p.etaSec).toBe(Math.round(165844 / 19456));
  });
});
