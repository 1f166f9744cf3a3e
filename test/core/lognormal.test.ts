import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { lognormalSigma, maxLognormalP99Ratio } from '../../src/core/lognormal.js';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';

describe('lognormalSigma', () => {
  test('solves p99 = exp(μ + 2.326σ) and mean = exp(μ + σ²/2) for σ', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.double({ min: 1.01, max: 14.9, noNaN: true }),
        (meanMs, ratio) => {
          const p99Ms = meanMs * ratio;
          const sigma = lognormalSigma(meanMs, p99Ms);
          const mu = Math.log(meanMs) - (sigma * sigma) / 2;
          expect(sigma).toBeGreaterThan(0);
          expect(Math.exp(mu + 2.3263478740408408 * sigma)).toBeCloseTo(p99Ms, 6);
        },
      ),
    );
  });

  test('names latencyP99Ms when no lognormal has that mean and p99', () => {
    for (const p99Ms of [50, 40, 50 * 15.5]) {
      let caught: unknown;
      try {
        lognormalSigma(50, p99Ms, 'latencyP99Ms');
      } catch (error) {
        caught = error;
      }
      expect(isInvalidOptionError(caught)).toBe(true);
      expect((caught as Error).message).toMatch(/^latencyP99Ms must be/);
    }
  });
});

describe('maxLognormalP99Ratio', () => {
  test('is exp(z99² / 2), the widest p99 ÷ mean a lognormal can have', () => {
    expect(maxLognormalP99Ratio).toBeCloseTo(14.97, 2);
    expect(() => lognormalSigma(1, maxLognormalP99Ratio * 0.999)).not.toThrow();
    expect(() => lognormalSigma(1, maxLognormalP99Ratio * 1.001)).toThrow(RangeError);
  });
});
