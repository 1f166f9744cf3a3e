import { build, type Histogram } from 'hdr-histogram-js';

/** Values are recorded in microseconds so sub-millisecond loopback latencies keep their resolution. */
const microsPerMs = 1000;
/** One hour, in µs: the longest latency tracked before clamping. */
const highestTrackableUs = 3_600_000_000;

/**
 * A latency histogram in milliseconds, backed by HdrHistogram (3 significant
 * digits, so a percentile is within 0.1% of the true value), with O(1)
 * recording and memory independent of the sample count.
 */
export class LatencyHistogram {
  readonly #h: Histogram;

  /**
   * @param packed use HdrHistogram's packed (sparse) counts: a few hundred
   *   bytes for a histogram with few values, instead of ~120 KiB; slower to record.
   */
  constructor(packed = false) {
    this.#h = build({
      bitBucketSize: packed ? 'packed' : 32,
      autoResize: false,
      lowestDiscernibleValue: 1,
      highestTrackableValue: highestTrackableUs,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    });
  }

  /** Records one latency in ms (negative or NaN values count as 0). */
  record(ms: number): void {
    const us = Number.isFinite(ms) && ms > 0 ? Math.round(ms * microsPerMs) : 0;
    this.#h.recordValue(Math.min(us, highestTrackableUs));
  }

  /** Samples recorded. */
  get count(): number {
    return this.#h.totalCount;
  }

  /** The value at percentile `p` (0–100) in ms; 0 when empty. */
  percentileMs(p: number): number {
    return this.#h.totalCount === 0 ? 0 : this.#h.getValueAtPercentile(p) / microsPerMs;
  }

  /** Largest value recorded, ms; 0 when empty. */
  get maxMs(): number {
    return this.#h.totalCount === 0 ? 0 : this.#h.maxValue / microsPerMs;
  }

  /** Mean in ms; 0 when empty. */
  get meanMs(): number {
    return this.#h.totalCount === 0 ? 0 : this.#h.mean / microsPerMs;
  }

  /** Forgets every sample. */
  reset(): void {
    this.#h.reset();
  }
}
