import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type ArrivalSchedule,
  arrivalsDue,
  intendedSendMs,
  totalArrivals,
} from '../../src/load/arrivalSchedule.js';

const schedule = (over: Partial<ArrivalSchedule> = {}): ArrivalSchedule => ({
  startMs: 1000,
  rateTps: 3000,
  durationMs: 2000,
  maxRequests: Number.POSITIVE_INFINITY,
  ...over,
});

describe('arrivalSchedule', () => {
  it('spaces intended send times 1000 / rate ms apart from the start', () => {
    const s = schedule({ rateTps: 400 });
    expect(intendedSendMs(s, 0)).toBe(1000);
    expect(intendedSendMs(s, 1)).toBe(1002.5);
    expect(intendedSendMs(s, 400)).toBe(2000);
  });

  it('offers duration × rate requests, or maxRequests if fewer', () => {
    expect(totalArrivals(schedule())).toBe(6000);
    expect(totalArrivals(schedule({ rateTps: 3, durationMs: 1000 }))).toBe(3);
    // 2.5 requests' worth of time: indices 0, 1 and 2 are due before the end.
    expect(totalArrivals(schedule({ rateTps: 2.5, durationMs: 1000 }))).toBe(3);
    expect(totalArrivals(schedule({ maxRequests: 10 }))).toBe(10);
  });

  it('counts as due every request whose intended time has come, index 0 at the start', () => {
    const s = schedule({ rateTps: 1000 });
    expect(arrivalsDue(s, 999.9)).toBe(0);
    expect(arrivalsDue(s, 1000)).toBe(1);
    expect(arrivalsDue(s, 1000.9)).toBe(1);
    expect(arrivalsDue(s, 1001)).toBe(2);
    // A late tick catches up with everything it missed, not one request.
    expect(arrivalsDue(s, 1250)).toBe(251);
    expect(arrivalsDue(s, 1e9)).toBe(2000);
  });

  it('is monotone, bounded by the total, and has request i due at its intended time', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 50_000, noNaN: true }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        (rateTps, durationMs, a, b) => {
          const s = schedule({ rateTps, durationMs });
          const total = totalArrivals(s);
          const [t1, t2] = a <= b ? [a, b] : [b, a];
          const d1 = arrivalsDue(s, s.startMs + t1);
          const d2 = arrivalsDue(s, s.startMs + t2);
          expect(d1).toBeLessThanOrEqual(d2);
          expect(d2).toBeLessThanOrEqual(total);
          const i = Math.min(total - 1, Math.floor(a / 7));
          if (i >= 0) expect(arrivalsDue(s, intendedSendMs(s, i))).toBeGreaterThanOrEqual(i + 1);
          // Every request the run sends is due before the end of the duration.
          if (total > 0) expect(intendedSendMs(s, total - 1)).toBeLessThan(s.startMs + durationMs);
        },
      ),
    );
  });
});
