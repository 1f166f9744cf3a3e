import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { latencySpikeFactor, requireLatencySpike } from '../../src/server/latencySpike.js';

describe('latencySpikeFactor', () => {
  const spike = { factor: 10, atMs: 5000, forMs: 3000 };

  test('is the factor inside [atMs, atMs + forMs) and 1 outside', () => {
    expect(latencySpikeFactor(spike, 0)).toBe(1);
    expect(latencySpikeFactor(spike, 4999.9)).toBe(1);
    expect(latencySpikeFactor(spike, 5000)).toBe(10);
    expect(latencySpikeFactor(spike, 7999.9)).toBe(10);
    expect(latencySpikeFactor(spike, 8000)).toBe(1);
  });

  test('is 1 before the first request and without a spike', () => {
    expect(latencySpikeFactor(spike, undefined)).toBe(1);
    expect(latencySpikeFactor(undefined, 6000)).toBe(1);
  });

  test('is the factor for exactly forMs of elapsed time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 5000 }),
        (at, len) => {
          const s = { factor: 3, atMs: at, forMs: len };
          let inside = 0;
          for (let t = 0; t < at + len + 100; t++) if (latencySpikeFactor(s, t) === 3) inside++;
          expect(inside).toBe(len);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('requireLatencySpike', () => {
  test('accepts a valid spike and freezes it', () => {
    const s = requireLatencySpike({ factor: 0.5, atMs: 0, forMs: 1 });
    expect(s).toEqual({ factor: 0.5, atMs: 0, forMs: 1 });
    expect(Object.isFrozen(s)).toBe(true);
  });

  test.each([
    [null, /^latencySpike must be an object/],
    [[10, 0, 1], /^latencySpike must be an object/],
    [{ factor: 10, atMs: 0 }, /^latencySpike\.forMs must be .*got undefined$/],
    [{ factor: Number.POSITIVE_INFINITY, atMs: 0, forMs: 1 }, /^latencySpike\.factor must be/],
    [{ factor: 2, atMs: Number.NaN, forMs: 1 }, /^latencySpike\.atMs must be .*got NaN$/],
  ])('rejects %j naming the field and the value', (value, message) => {
    let caught: unknown;
    try {
      requireLatencySpike(value);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });
});
