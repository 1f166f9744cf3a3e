import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/** Service-time distributions the test server models. */
export type LatencyDist = 'const' | 'exp' | 'lognormal';

/** Every {@link LatencyDist}, for validation and `--latency-dist`. */
export const latencyDists: readonly LatencyDist[] = ['const', 'exp', 'lognormal'];

/** The standard normal quantile at 0.99: P(Z ≤ z) = 0.99. */
const z99 = 2.3263478740408408;

/**
 * The σ of a lognormal with the given mean and p99. With X = exp(μ + σZ):
 *   p99 = exp(μ + z99·σ) and mean = exp(μ + σ²/2),
 * so ln(p99 / mean) = z99·σ − σ²/2, whose roots are σ = z99 ∓ √(z99² − 2·ln(p99/mean)).
 * The smaller root is the one that fits: the larger makes the median tiny and
 * the mean a product of the far tail. A real root needs
 * 1 < p99/mean ≤ exp(z99²/2) ≈ 14.97; outside that, no lognormal has this
 * mean and p99, and an {@link InvalidOptionError} names `latencyP99Ms`.
 */
export function lognormalSigma(meanMs: number, p99Ms: number): number {
  const ratio = p99Ms / meanMs;
  const discriminant = z99 * z99 - 2 * Math.log(ratio);
  if (!(ratio > 1) || discriminant < 0) {
    const maxP99Ms = meanMs * Math.exp((z99 * z99) / 2);
    throw new InvalidOptionError(
      'latencyP99Ms',
      p99Ms,
      `above latencyMs (${meanMs}) and at most ${Math.floor(maxP99Ms)} for a lognormal with that mean`,
    );
  }
  return z99 - Math.sqrt(discriminant);
}

/** What {@link createLatencySampler} needs. */
export interface LatencySamplerOptions {
  /** The distribution. */
  readonly dist: LatencyDist;
  /** Mean service time, in ms. */
  readonly meanMs: number;
  /** p99 for `lognormal`, in ms (ignored otherwise). */
  readonly p99Ms: number;
}

/**
 * Returns a function drawing service times in ms from the distribution, with
 * the given mean, using `random` (uniform in [0, 1)) as its only source of
 * randomness so a seeded source gives a repeatable sequence.
 */
export function createLatencySampler(
  options: LatencySamplerOptions,
  random: () => number,
): () => number {
  const { dist, meanMs } = options;
  if (dist === 'const') return () => meanMs;
  if (dist === 'exp') {
    // Inverse CDF; 1 − u lies in (0, 1], so the log is finite.
    return () => -meanMs * Math.log(1 - random());
  }
  const sigma = lognormalSigma(meanMs, options.p99Ms);
  const mu = Math.log(meanMs) - (sigma * sigma) / 2;
  return () => Math.exp(mu + sigma * standardNormal(random));
}

/** One standard normal draw by the Box–Muller transform. */
function standardNormal(random: () => number): number {
  const u1 = 1 - random(); // (0, 1]: log(u1) is finite
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
