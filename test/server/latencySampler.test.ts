import { describe, expect, test } from '@jest/globals';
import { SeededRandom } from '../../src/core/seededRandom.js';
import { createLatencySampler } from '../../src/server/latencySampler.js';

/** A uniform [0, 1) source from the shared seeded generator. */
function seededRandom(seed: number): () => number {
  const rng = new SeededRandom(seed);
  return () => rng.next();
}

function draw(sample: () => number, n: number): number[] {
  return Array.from({ length: n }, sample).sort((a, b) => a - b);
}
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (sorted: readonly number[], q: number) => sorted[Math.floor(q * sorted.length)]!;

describe('createLatencySampler', () => {
  const n = 40_000;

  test('const always returns the mean', () => {
    const sample = createLatencySampler({ dist: 'const', meanMs: 50, p99Ms: 0 }, seededRandom(1));
    expect(new Set(draw(sample, 100))).toEqual(new Set([50]));
  });

  test('exp has the mean, and its p99 is mean × ln 100', () => {
    const xs = draw(
      createLatencySampler({ dist: 'exp', meanMs: 40, p99Ms: 0 }, seededRandom(2)),
      n,
    );
    expect(mean(xs)).toBeGreaterThan(40 * 0.97);
    expect(mean(xs)).toBeLessThan(40 * 1.03);
    expect(quantile(xs, 0.99) / (40 * Math.log(100))).toBeCloseTo(1, 1);
    expect(xs[0]).toBeGreaterThanOrEqual(0);
  });

  test('lognormal hits both the mean and the p99 it was given', () => {
    const xs = draw(
      createLatencySampler({ dist: 'lognormal', meanMs: 50, p99Ms: 200 }, seededRandom(3)),
      n,
    );
    expect(mean(xs) / 50).toBeCloseTo(1, 1);
    expect(quantile(xs, 0.99) / 200).toBeCloseTo(1, 1);
    expect(xs[0]).toBeGreaterThan(0);
  });

  test('a seed makes the sequence repeatable', () => {
    const opts = { dist: 'lognormal', meanMs: 50, p99Ms: 150 } as const;
    const a = draw(createLatencySampler(opts, seededRandom(42)), 50);
    const b = draw(createLatencySampler(opts, seededRandom(42)), 50);
    const c = draw(createLatencySampler(opts, seededRandom(43)), 50);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
