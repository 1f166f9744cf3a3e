import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { ResetFloodGuard } from '../../src/server/resetFloodGuard.js';

describe('ResetFloodGuard', () => {
  test('trips on the (N+1)th reset within one second', () => {
    const guard = new ResetFloodGuard(3);
    expect([0, 100, 200].map((t) => guard.record(t))).toEqual([false, false, false]);
    expect(guard.record(999)).toBe(true);
  });

  test('resets spaced out over more than a second never trip it', () => {
    const guard = new ResetFloodGuard(3);
    const times = Array.from({ length: 40 }, (_, i) => i * 334);
    expect(times.some((t) => guard.record(t))).toBe(false);
  });

  test('0 allows none', () => {
    expect(new ResetFloodGuard(0).record(5)).toBe(true);
  });

  test('agrees with a brute-force count over any arrival times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 60 }),
        (maxPerS, gaps) => {
          const guard = new ResetFloodGuard(maxPerS);
          const seen: number[] = [];
          let t = 0;
          for (const gap of gaps) {
            t += gap;
            seen.push(t);
            const inWindow = seen.filter((s) => t - s < 1000).length;
            expect(guard.record(t)).toBe(inWindow > maxPerS);
          }
        },
      ),
    );
  });
});
