/** A live snapshot of a load run, for progress lines. Counts are totals so far. */
export interface LoadProgress {
  /** `offering` while arrivals are being sent; `draining` while requests still open settle. */
  readonly phase: 'offering' | 'draining';
  /** Time since the first arrival was due, ms. */
  readonly elapsedMs: number;
  /** Length of the arrival phase, ms. */
  readonly durationMs: number;
  /** Requests sent. */
  readonly offered: number;
  /** Requests that succeeded. */
  readonly succeeded: number;
  /** Requests shed before sending. */
  readonly rejected: number;
  /** Requests that hit their deadline. */
  readonly timedOut: number;
  /** Requests that failed otherwise. */
  readonly failed: number;
  /** The last rate decision, req/s (0 for the naive policy, which has none). */
  readonly rateTps: number;
  /** Ready connections now. */
  readonly connections: number;
  /** Queue-wait p99 (from intended send time) over the last whole second, ms. */
  readonly queueWaitP99Ms: number;
}
