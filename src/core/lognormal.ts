import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/** The standard normal quantile at 0.99: P(Z ≤ z) = 0.99. */
const z99 = 2.3263478740408408;

/** The largest p99 ÷ mean a lognormal can have: exp(z₉₉² / 2) ≈ 14.97 (see {@link lognormalSigma}). */
export const maxLognormalP99Ratio = Math.exp((z99 * z99) / 2);

/**
 * σ of the lognormal with the given mean and p99, shared by the simulator's
 * server model and the embedded test server so both draw the same shape.
 *
 * With X = exp(μ + σZ): mean = exp(μ + σ²/2) and p99 = exp(μ + z₉₉σ), so
 * ln(p99 / mean) = z₉₉σ − σ²/2, a quadratic in σ with roots
 * σ = z₉₉ ∓ √(z₉₉² − 2 ln(p99 / mean)). The smaller root is the one that
 * fits: the larger makes the median tiny and the mean a product of the far
 * tail. A real root needs 1 < p99/mean ≤ {@link maxLognormalP99Ratio};
 * outside that no lognormal has this mean and p99, and an
 * `InvalidOptionError` names `p99Option` (the caller's name for the field).
 */
export function lognormalSigma(meanMs: number, p99Ms: number, p99Option = 'p99Ms'): number {
  const gap = Math.log(p99Ms / meanMs);
  const discriminant = z99 * z99 - 2 * gap;
  if (!(gap > 0) || !(discriminant >= 0)) {
    throw new InvalidOptionError(
      p99Option,
      p99Ms,
      `above the mean (${meanMs} ms) and at most ${Math.floor(meanMs * maxLognormalP99Ratio)} ms for a lognormal with that mean`,
    );
  }
  return z99 - Math.sqrt(discriminant);
}

/** μ of the lognormal with mean `meanMs` and shape `sigma`: mean = exp(μ + σ²/2). */
export function lognormalMu(meanMs: number, sigma: number): number {
  return Math.log(meanMs) - (sigma * sigma) / 2;
}
