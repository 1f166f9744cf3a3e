/** Sub-buckets per power of two: a bucket is at most 1/128 of its value wide. */
const subBuckets = 128;
/** log2 of {@link subBuckets}. */
const subBucketBits = 7;
/** The largest value tracked, µs (about 35 minutes); larger ones count here. */
const maxTrackedUs = 0x7fff_ffff;
/** Buckets: exact below 128 µs, then 128 per power of two up to 2^31 µs. */
const bucketCount = subBuckets + (31 - subBucketBits) * subBuckets;

/** The bucket of `us` (an integer in [0, 2^31)). */
function bucketOf(us: number): number {
  if (us < subBuckets) return us;
  const exponent = 31 - Math.clz32(us);
  const shift = exponent - subBucketBits;
  return subBuckets + shift * subBuckets + ((us >>> shift) - subBuckets);
}

/** The middle of bucket `i`, µs. */
function middleOf(i: number): number {
  if (i < subBuckets) return i;
  const shift = Math.floor((i - subBuckets) / subBuckets);
  const top = subBuckets + ((i - subBuckets) % subBuckets);
  return top * 2 ** shift + (2 ** shift - 1) / 2;
}

/**
 * A latency histogram for one control window, in milliseconds: log-linear
 * buckets over whole microseconds (exact below 128 µs, then 128 buckets per
 * power of two, so a percentile is within 0.4% of the true value), O(1) to
 * record, and cleared for the next window in time proportional to the
 * buckets it used. It needs no npm package, so the limiter loads none but
 * rxjs; the run recorder's reports keep HdrHistogram's 0.1%
 * (latencyHistogram.ts).
 */
export class WindowHistogram {
  readonly #counts = new Uint32Array(bucketCount);
  #total = 0;
  #lowest = bucketCount;
  #highest = -1;
  #maxUs = 0;

  /** Records one latency in ms (negative or NaN values count as 0). */
  record(ms: number): void {
    const us = Number.isFinite(ms) && ms > 0 ? Math.min(Math.round(ms * 1000), maxTrackedUs) : 0;
    const i = bucketOf(us);
    this.#counts[i]!++;
    this.#total++;
    if (i < this.#lowest) this.#lowest = i;
    if (i > this.#highest) this.#highest = i;
    if (us > this.#maxUs) this.#maxUs = us;
  }

  /** Samples recorded. */
  get count(): number {
    return this.#total;
  }

  /** The value at percentile `p` (0–100) in ms: the middle of its bucket; 0 when empty. */
  percentileMs(p: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.#total));
    let seen = 0;
    for (let i = this.#lowest; i <= this.#highest; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(middleOf(i), this.#maxUs) / 1000;
    }
    return this.#maxUs / 1000;
  }

  /** Largest value recorded, ms (exact); 0 when empty. */
  get maxMs(): number {
    return this.#maxUs / 1000;
  }

  /** Forgets every sample. */
  reset(): void {
    if (this.#total > 0) this.#counts.fill(0, this.#lowest, this.#highest + 1);
    this.#total = 0;
    this.#lowest = bucketCount;
    this.#highest = -1;
    this.#maxUs = 0;
  }
}
