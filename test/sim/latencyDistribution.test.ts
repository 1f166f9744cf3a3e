import { describe, expect, it } from '@jest/globals';
import { lognormalSigma } from '../../src/core/lognormal.js';
import { SeededRandom } from '../../src/core/seededRandom.js';
import { LatencyDistribution } from '../../src/sim/latencyDistribution.js';

describe('LatencyDistribution', () => {
  const sampleStats = (d: LatencyDistribution, n = 200_000): { mean: number; p99: number } => {
    const r = new SeededRandom(11);
    const xs = Array.from({ length: n }, () => d.sample(r)).sort((a, b) => a - b);
    return { mean: xs.reduce((s, x) => s + x, 0) / n, p99: xs[Math.floor(n * 0.99)]! };
  };

  it('gives a lognormal the requested mean and p99', () => {
    const { mean, p99 } = sampleStats(
      new LatencyDistribution({ distribution: 'lognormal', meanMs: 50, p99Ms: 100 }),
    );
    expect(mean).toBeGreaterThan(49.5);
    expect(mean).toBeLessThan(50.5);
    expect(p99).toBeGreaterThan(98);
    expect(p99).toBeLessThan(102);
  });

  it('keeps constant constant and exponential at its mean', () => {
    expect(
      sampleStats(new LatencyDistribution({ distribution: 'constant', meanMs: 7 }), 10),
    ).toEqual({
      mean: 7,
      p99: 7,
    });
    const { mean } = sampleStats(
      new LatencyDistribution({ distribution: 'exponential', meanMs: 20 }),
    );
    expect(Math.abs(mean - 20)).toBeLessThan(0.3);
  });

  it('refuses a lognormal whose p99 no lognormal with that mean can have', () => {
    expect(() => lognormalSigma(50, 40)).toThrow(/p99Ms must be above the mean/);
    expect(() => lognormalSigma(50, 50 * 15)).toThrow(/at most 748 ms/);
    expect(lognormalSigma(50, 50 * 14.9)).toBeGreaterThan(0);
  });
});
