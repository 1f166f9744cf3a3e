import { lognormalMu, lognormalSigma } from '../core/lognormal.js';
import type { SeededRandom } from '../core/seededRandom.js';

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
      this.#mu = lognormalMu(spec.meanMs, sigma);
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
