import type { CongestionCounts } from './congestion.js';

/**
 * One control interval's statistics: what the controller sees. Counts are
 * for the window; latencies are in ms; a percentile with no samples is 0.
 */
export interface ControlWindow {
  /** When the window ended, in ms on the loop's clock. */
  readonly endMs: number;
  /** Window length in ms. */
  readonly durationMs: number;
  /** Requests submitted by callers (admitted or not). */
  readonly offered: number;
  /** Requests admitted into the queue. */
  readonly admitted: number;
  /** Requests that reached response end (any status). */
  readonly completed: number;
  /** Requests shed by admission (never sent). */
  readonly rejected: number;
  /** Queue wait (submit until HEADERS handed to a session), p50, in ms. */
  readonly queueWaitP50Ms: number;
  /** Queue wait p99, in ms. */
  readonly queueWaitP99Ms: number;
  /** Longest queue wait seen, in ms. */
  readonly queueWaitMaxMs: number;
  /** Service latency (HEADERS handed to the session until response end), p50, in ms. */
  readonly serviceP50Ms: number;
  /** Service latency p99, in ms. */
  readonly serviceP99Ms: number;
  /** Congestion signals seen, by kind. */
  readonly congestion: CongestionCounts;
  /**
   * 503 answers without `retry-after`: maybe background (a share of errors that no rate avoids),
   * maybe load. `step` cuts on them only when they surge above their background share.
   */
  readonly unavailable: number;
  /** The longest `retry-after` a response in the window asked for, in ms; 0 when none did. */
  readonly retryAfterMs: number;
  /** Mean streams in flight across sessions over the window. */
  readonly slotsInUseMean: number;
  /** Stream slots across ready sessions at the window's end (sum of peer MAX_CONCURRENT_STREAMS). */
  readonly slotsTotal: number;
  /** Requests whose send stalled on a flow-control window. */
  readonly windowStalls: number;
  /** Requests waiting in the queue at the window's end. */
  readonly queueLength: number;
  /** Ready sessions at the window's end. */
  readonly connections: number;
}
