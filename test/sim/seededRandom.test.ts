import { describe, expect, it } from '@jest/globals';
import { LatencyDistribution, lognormalSigma } from '../../src/sim/latencyDistribution.js';
import { SeededRandom } from '../../src/sim/seededRandom.js';

describe('SeededRandom (xoshiro128**)', () => {
  it('matches the reference implementation from state {1, 2, 3, 4}', () => {
    // Values printed by Blackman and Vigna's xoshiro128starstar.c with s = {1, 2, 3, 4}.
    const r = SeededRandom.fromState(1, 2, 3, 4);
    const out = Array.from({ length: 6 }, () => r.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = new SeededRandom(52845);
    const b = new SeededRandom(52845);
    const c = new SeededRandom(52846);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('draws exponentials with the requested mean', () => {
    const r = new SeededRandom(7);
    let sum = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) sum += r.nextExponential(50);
    expect(sum / n).toBeGreaterThan(49.5);
    expect(sum / n).toBeLessThan(50.5);
  });
});

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
    expect(() => lognormalSigma(50, 40)).toThrow(/meanMs < p99Ms/);
    expect(() => lognormalSigma(50, 50 * 15)).toThrow(/p99Ms <= 14.97/);
    expect(lognormalSigma(50, 50 * 14.9)).toBeGreaterThan(0);
  });
});
