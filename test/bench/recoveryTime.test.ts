import { describe, expect, test } from '@jest/globals';
import { recoveryTime } from '../../bench/lib/dominance/recoveryTime.js';

/** 100 ms buckets: `level` per bucket, `low` inside [from, to) (bucket indexes). */
function series(length: number, level: number, dips: [from: number, to: number, low: number][]) {
  const s = new Array<number>(length).fill(level);
  for (const [from, to, low] of dips) for (let i = from; i < to; i++) s[i] = low;
  return s;
}

describe('recoveryTime', () => {
  const spike = { atMs: 3000, forMs: 3000 };

  test('the pre-spike level is the mean of the 1.5 s before the spike', () => {
    const s = series(100, 200, [[15, 30, 100]]);
    // Buckets 15..29 at 100 = 1,000/s.
    expect(recoveryTime(s, spike).preSpikeTps).toBe(1000);
  });

  test('recovered at once when goodput is back in the first bucket after the spike', () => {
    const s = series(100, 200, [[30, 60, 40]]);
    expect(recoveryTime(s, spike)).toEqual({
      preSpikeTps: 2000,
      recoveryMs: 0,
      observedAfterMs: 4000,
    });
  });

  test('counts from the spike end to the first of three buckets at 90% or more', () => {
    // Low until bucket 75, then a lone good bucket at 75, a bad one, and held from 77.
    const s = series(100, 200, [
      [30, 75, 40],
      [76, 77, 100],
    ]);
    expect(recoveryTime(s, spike).recoveryMs).toBe(1700);
  });

  test('exactly 90% counts as recovered; just below does not', () => {
    expect(recoveryTime(series(100, 200, [[30, 100, 180]]), spike).recoveryMs).toBe(0);
    expect(recoveryTime(series(100, 200, [[30, 100, 179]]), spike).recoveryMs).toBeNull();
  });

  test('null, with how much was observed, when goodput never came back', () => {
    expect(recoveryTime(series(80, 200, [[30, 80, 20]]), spike)).toEqual({
      preSpikeTps: 2000,
      recoveryMs: null,
      observedAfterMs: 2000,
    });
  });
});
