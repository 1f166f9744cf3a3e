/**
 * How long goodput takes to come back after a latency spike, from a series
 * of successful completions counted in fixed buckets (100 ms in the
 * dominance bench) from the run's first request.
 */

/** Width of a goodput bucket, ms. */
export const goodputBucketMs = 100;

/** Share of the pre-spike level that counts as recovered. */
export const recoveredShare = 0.9;

/**
 * Buckets in a row that must each be at the level: one bucket at 90% could
 * be the burst of a backlog draining, or luck; three (300 ms) say the rate
 * itself is back.
 */
export const recoveredBuckets = 3;

/** How long before the spike the reference level is averaged, ms. */
export const preSpikeWindowMs = 1500;

/** What {@link recoveryTime} found. */
export interface Recovery {
  /** Mean goodput over the {@link preSpikeWindowMs} before the spike, req/s. */
  readonly preSpikeTps: number;
  /**
   * Time from the spike's end to the start of the first bucket from which
   * {@link recoveredBuckets} buckets in a row are each ≥ {@link recoveredShare}
   * × the pre-spike level, ms; null when that never happened in the series.
   */
  readonly recoveryMs: number | null;
  /** How much of the series followed the spike's end, ms (a null recovery means "more than this"). */
  readonly observedAfterMs: number;
}

/**
 * Recovery from a spike in `[atMs, atMs + forMs)` given `succeeded[i]`,
 * the successes whose response ended in bucket i (`[i, i+1) × bucketMs` after
 * the first request). Buckets are whole, so the spike's end is rounded up to
 * a bucket boundary.
 */
export function recoveryTime(
  succeeded: readonly number[],
  spike: { readonly atMs: number; readonly forMs: number },
  bucketMs: number = goodputBucketMs,
): Recovery {
  const toTps = (count: number): number => (count * 1000) / bucketMs;
  const preFrom = Math.max(0, Math.floor((spike.atMs - preSpikeWindowMs) / bucketMs));
  const preTo = Math.floor(spike.atMs / bucketMs);
  const pre = succeeded.slice(preFrom, preTo);
  const preSpikeTps = pre.length === 0 ? 0 : toTps(pre.reduce((a, b) => a + b, 0) / pre.length);
  const endBucket = Math.ceil((spike.atMs + spike.forMs) / bucketMs);
  const observedAfterMs = Math.max(0, (succeeded.length - endBucket) * bucketMs);
  const level = recoveredShare * preSpikeTps;
  for (let b = endBucket; b + recoveredBuckets <= succeeded.length; b++) {
    let held = true;
    for (let k = 0; k < recoveredBuckets && held; k++) held = toTps(succeeded[b + k]!) >= level;
    if (held) return { preSpikeTps, recoveryMs: (b - endBucket) * bucketMs, observedAfterMs };
  }
  return { preSpikeTps, recoveryMs: null, observedAfterMs };
}
