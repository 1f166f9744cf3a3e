import type { SeededRandom } from './seededRandom.js';

/** The standard normal quantile at 0.99. */
const z99 = 2.3263478740408408;

/**
 * A server's service-time distribution, as scenario files spell it. Every
 * kind is parameterised by its mean, so the capacity formula reads it
 * directly:
 * - `constant`: always `meanMs`;
 * - `exponential`: memoryless with mean `meanMs`;
 * - `lognormal`: mean `meanMs` and 99th percentile `p99Ms` (a heavy right
 *   tail, the usual shape of real service times).
 */
export type LatencySpec =
  | { readonly distribution: 'constant'; readonly meanMs: number }
  | { readonly distribution: 'exponential'; readonly meanMs: number }
  | { readonly distribution: 'lognormal'; readonly meanMs: number; readonly p99Ms: number };

/** Draws service times from a {@link LatencySpec}. */
export class LatencyDistribution {
  /** The distribution's mean, ms. */
  readonly meanMs: number;
  readonly #kind: LatencySpec['distribution'];
  readonly #mu: number;
  readonly #sigma: number;

  constructor(spec: LatencySpec) {
    this.meanMs = spec.meanMs;
    this.#kind = spec.distribution;
    if (spec.distribution === 'lognormal') {
      const sigma = lognormalSigma(spec.meanMs, spec.p99Ms);
      this.#sigma = sigma;
      this.#mu = Math.log(spec.meanMs) - (sigma * sigma) / 2;
    } else {
      this.#sigma = 0;
      this.#mu = 0;
    }
  }

  /** One service time, ms. */
  sample(rng: SeededRandom): number {
    switch (this.#kind) {
      case 'constant':
        return this.meanMs;
      case 'exponential':
        return rng.nextExponential(this.meanMs);
      case 'lognormal':
        return Math.exp(this.#mu + this.#sigma * rng.nextNormal());
    }
  }
}

/**
 * σ of the lognormal with the given mean and p99.
 *
 * With X = exp(μ + σZ): mean = exp(μ + σ²/2) and p99 = exp(μ + z₉₉σ), so
 * ln(p99/mean) = z₉₉σ − σ²/2, a quadratic in σ. Its smaller root is the
 * lighter-tailed of the two distributions that match; a real root exists
 * only when p99/mean ≤ exp(z₉₉²/2) ≈ 14.97.
 */
export function lognormalSigma(meanMs: number, p99Ms: number): number {
  const gap = Math.log(p99Ms / meanMs);
  const discriminant = z99 * z99 - 2 * gap;
  if (!(gap > 0) || discriminant < 0) {
    throw new RangeError(
      `lognormal needs meanMs < p99Ms <= ${maxLognormalP99Ratio.toFixed(2)} × meanMs, got meanMs ${meanMs}, p99Ms ${p99Ms}`,
    );
  }
  return z99 - Math.sqrt(discriminant);
}

/** The largest p99 ÷ mean a lognormal can have (see {@link lognormalSigma}). */
export const maxLognormalP99Ratio = Math.exp((z99 * z99) / 2);
