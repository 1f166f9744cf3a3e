import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { reconnectDelayMs } from '../../src/transport/reconnectDelay.js';

test('doubles per attempt from the base, with equal jitter in [capped/2, capped)', () => {
  expect(reconnectDelayMs(1, 100, 10_000, () => 0)).toBe(50);
  expect(reconnectDelayMs(1, 100, 10_000, () => 0.999)).toBeCloseTo(99.95);
  expect(reconnectDelayMs(2, 100, 10_000, () => 0)).toBe(100);
  expect(reconnectDelayMs(4, 100, 10_000, () => 0)).toBe(400);
});

test('never exceeds the cap, never drops below half the capped delay, even for huge attempt counts', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 1, max: 1000 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempt, baseMs, extraMs, r) => {
        const maxMs = baseMs + extraMs;
        const capped = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
        const d = reconnectDelayMs(attempt, baseMs, maxMs, () => r);
        return Number.isFinite(d) && d >= capped / 2 && d <= maxMs && d < capped + 1e-9;
      },
    ),
  );
});
