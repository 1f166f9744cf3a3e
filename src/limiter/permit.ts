import type { PhaseTimestamps } from '../core/budget.js';
import type { RetryReason } from '../core/retryReason.js';
import type { H2flowError } from '../errors/H2flowError.js';
import type { TransportErrorDetails } from '../errors/TransportError.js';

/** One request as the limiter sees it: its budget and the caller's cancel. */
export interface AcquireOptions {
  /** The whole budget, submit to response end, ms. Default: the limiter's `timeoutMs`. */
  readonly budgetMs?: number | undefined;
  /** Cancels the request: locally while it waits, through {@link Permit.onCancel} once granted. */
  readonly signal?: AbortSignal | undefined;
  /**
   * The budget bounds only the wait for a slot: once granted, the request
   * has no deadline and runs until its driver reports its end. For requests
   * that have no deadline of their own, such as a gRPC call without one,
   * whose life a client-side timer must not cut short. Default false: the
   * budget runs from submit to the response's end.
   */
  readonly waitOnly?: boolean | undefined;
}

/**
 * What a driver hands {@link Limiter.acquire}: where the permit goes when a
 * stream slot is free, and where the request's one settlement goes. The
 * shape of Netflix concurrency-limits' `acquire()` and its Listener, with the
 * wait made explicit, since an HTTP/2 request may wait for a slot.
 */
export interface AcquireHandler<R> {
  /**
   * A slot is this request's: open its stream now, set {@link Permit.onCancel},
   * and report what happens on the permit. Called synchronously from
   * `acquire` (a free slot) or from {@link Limiter.capacityChanged} (a slot
   * freed); called again with the same permit for a retry.
   */
  onGrant(permit: Permit<R>): void;
  /**
   * The request settled: exactly once, with the driver's response or a typed
   * error (shed, expired, aborted, failed) carrying its budget breakdown.
   * Called synchronously from whatever settled it: `acquire` itself for a
   * request shed at admission.
   */
  onSettle(error: H2flowError | undefined, response: R | undefined): void;
}

/** What {@link Limiter.acquire} returns: the request's handle, whether it waits, flies or has settled. */
export interface Acquisition {
  /** Unique per limiter (the permit's id, once granted). */
  readonly id: number;
  /**
   * Cancels the request as its caller's abort, the same as its `signal`
   * firing: locally while it waits, with RST_STREAM(CANCEL) once in flight;
   * it settles with an `AbortedError`. Nothing happens once it has settled.
   */
  abort(): void;
}

/** What a response's end tells the limiter besides its status. */
export interface ResponseDetail {
  /** Its `retry-after`, ms (RFC 9110 §10.2.3), if it carried one. */
  readonly retryAfterMs?: number | undefined;
  /** True if its body waited on the client's own receive window. */
  readonly windowStalled?: boolean | undefined;
  /** When the response ended, on the limiter's clock, ms, if the driver read it already. Default: now. */
  readonly atMs?: number | undefined;
  /**
   * True if it was a stream whose length its messages set (a gRPC streaming
   * call), not the server's work: it completes, but its length is no
   * service-latency sample, which would otherwise tell the deadline rules
   * that every request takes as long as the longest stream.
   */
  readonly streaming?: boolean | undefined;
}

/**
 * A granted request: the driver reports its stream's progress here, and
 * exactly one end per attempt — {@link respond}, {@link fail},
 * {@link retry}, {@link notSent} or {@link cancelled}. The limiter keeps one
 * deadline for the request's whole life; when it fires (or the caller
 * aborts, or the limiter closes) the limiter calls {@link onCancel} and
 * settles the request at once, and the driver still reports the stream's
 * end (`cancelled`) when it comes, so the slot is counted free. Its phase
 * timestamps (submitted, dispatched, sent, headers, end) are the request's.
 */
export interface Permit<R> extends PhaseTimestamps {
  /** Unique per limiter. */
  readonly id: number;
  /** The budget, ms. */
  readonly budgetMs: number;
  /** Absolute deadline on the limiter's clock, ms. */
  readonly deadlineAtMs: number;
  /** Set by the driver when it opens the stream: cancels it (RST_STREAM(CANCEL) once its HEADERS left). */
  onCancel: (() => void) | undefined;
  /**
   * The request body was fully written; `windowStalled` if it waited on a
   * flow-control window. `atMs` is when, on the limiter's clock, for a driver
   * that read the clock already (default: now).
   */
  sent(windowStalled?: boolean, atMs?: number): void;
  /** Response HEADERS arrived, at `atMs` on the limiter's clock (default: now). */
  headers(atMs?: number): void;
  /**
   * The response ended with `status`. 2xx–4xx (but 429) settle as succeeded
   * for the controller's counters; 5xx and 429 as HTTP errors. 429, and 503
   * with `retry-after`, are throttling signals. `response` goes to the caller.
   */
  respond(status: number, response: R, detail?: ResponseDetail): void;
  /** The stream failed below HTTP: settles with a `TransportError`. */
  fail(details: TransportErrorDetails): void;
  /**
   * The server provably did not process it (`reason`): retried once, after a
   * jittered backoff for REFUSED_STREAM and ENHANCE_YOUR_CALM, through
   * `onGrant` again; a second time it fails as `retry-exhausted`.
   */
  retry(reason: RetryReason, http2Code: number): void;
  /** No stream could be opened after all (the slot vanished): back to the head of the queue, no retry counted. */
  notSent(): void;
  /** The stream ended cancelled; `onWire` if RST_STREAM(CANCEL) was sent. */
  cancelled(onWire: boolean): void;
}
