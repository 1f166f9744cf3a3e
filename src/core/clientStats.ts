import type { OverloadReason } from '../errors/OverloadError.js';

/**
 * A snapshot of the client's counters. They always reconcile:
 * `submitted = succeeded + rejected + timedOut + failed + inFlight + queued`.
 */
export interface ClientStats {
  /** Requests callers submitted (valid ones; a malformed request throws and is not counted). */
  readonly submitted: number;
  /** Responses with status < 500 other than 429. */
  readonly succeeded: number;
  /** Shed by admission, never sent (`H2FLOW_OVERLOAD`). */
  readonly rejected: number;
  /** Hit their deadline (`H2FLOW_DEADLINE`). */
  readonly timedOut: number;
  /** Everything else that settled: transport errors, aborts, closed, 5xx and 429 responses. */
  readonly failed: number;
  /** On the wire, not yet settled. */
  readonly inFlight: number;
  /** Waiting in the queue (or for a retry backoff), not yet settled. */
  readonly queued: number;
  /** RST_STREAM(CANCEL) frames sent (deadline or abort of a stream in flight). */
  readonly cancelledOnWire: number;
  /** Retries made (REFUSED_STREAM, above GOAWAY last-stream-id, ENHANCE_YOUR_CALM). */
  readonly retries: number;
  /** Rejections by reason. */
  readonly rejectedByReason: Readonly<Record<OverloadReason, number>>;
  /** Responses with status 5xx or 429 (part of `failed`). */
  readonly httpErrors: number;
}
