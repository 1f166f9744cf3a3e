import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { WindowHistogram } from '../../src/stats/windowHistogram.js';

/** The exact value at percentile `p` (nearest rank), as the histogram defines it. */
function exactPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

describe('WindowHistogram', () => {
  it('finds every percentile within 0.4% (and half a µs) of the exact nearest-rank value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 600_000, noNaN: true }), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (values, p) => {
          const h = new WindowHistogram();
          for (const v of values) h.record(v);
          const exact = Math.round(exactPercentile(values, p) * 1000) / 1000;
          expect(Math.abs(h.percentileMs(p) - exact)).toBeLessThanOrEqual(exact * 0.004 + 0.0005);
          expect(h.count).toBe(values.length);
          expect(h.maxMs).toBeCloseTo(Math.round(Math.max(...values) * 1000) / 1000, 6);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is exact below 128 µs, counts bad values as 0, and clamps past 35 minutes', () => {
    const h = new WindowHistogram();
    for (const v of [0.001, 0.05, 0.127, -5, Number.NaN]) h.record(v);
    expect([0, 20, 40, 60, 80, 100].map((p) => h.percentileMs(p))).toEqual([
      0, 0, 0, 0.001, 0.05, 0.127,
    ]);
    h.record(1e12);
    expect(h.maxMs).toBeCloseTo(2_147_483.647, 3);
  });

  it('forgets everything on reset, and is empty as 0', () => {
    const h = new WindowHistogram();
    expect([h.percentileMs(50), h.maxMs, h.count]).toEqual([0, 0, 0]);
    for (let i = 1; i <= 1000; i++) h.record(i);
    h.reset();
    expect([h.percentileMs(99), h.maxMs, h.count]).toEqual([0, 0, 0]);
    h.record(7);
    expect(h.percentileMs(1)).toBeCloseTo(7, 1);
  });
});
