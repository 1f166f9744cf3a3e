import { lognormalMu, lognormalSigma } from '../core/lognormal.js';

/** Service-time distributions the test server models. */
export type LatencyDist = 'const' | 'exp' | 'lognormal';

/** Every {@link LatencyDist}, for validation and `--latency-dist`. */
export const latencyDists: readonly LatencyDist[] = ['const', 'exp', 'lognormal'];

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
  const sigma = lognormalSigma(meanMs, options.p99Ms, 'latencyP99Ms');
  const mu = lognormalMu(meanMs, sigma);
  return () => Math.exp(mu + sigma * standardNormal(random));
}

/** One standard normal draw by the Box–Muller transform. */
function standardNormal(random: () => number): number {
  const u1 = 1 - random(); // (0, 1]: log(u1) is finite
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
