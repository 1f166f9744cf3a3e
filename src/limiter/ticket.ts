import type { Subscription } from 'rxjs';
import type { PhaseTimestamps } from '../core/budget.js';
import type { CongestionKind } from '../core/congestion.js';
import type { RetryReason } from '../core/retryReason.js';
import type { TransportErrorDetails } from '../errors/TransportError.js';
import type { AcquireHandler, Acquisition, Permit, ResponseDetail } from './permit.js';

/**
 * Where a ticket is in its life. `queued` (or `standby`, predicted to miss) →
 * `in-flight` → (`retry-wait` → `queued` → …) → `settled`.
 */
export type TicketState = 'queued' | 'standby' | 'retry-wait' | 'in-flight' | 'settled';

/** Why the limiter cancelled a ticket in flight, so its `cancelled` end maps to the right error. */
export type CancelReason = 'deadline' | 'abort' | 'close';

/** What a settlement carries besides its outcome and error. */
export interface SettleDetail<R> {
  readonly response?: R | undefined;
  readonly congestion?: CongestionKind | undefined;
  readonly status?: number | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly cancelledOnWire?: boolean | undefined;
  /** A response with a 5xx or 429 status. */
  readonly httpError?: boolean | undefined;
}

/** What a ticket reports to its limiter (the limiter's private bookkeeping). */
export interface TicketHost {
  /** A granted attempt's stream ended (any way), at `atMs` on the limiter's clock. */
  streamEnded(atMs: number): void;
  /** A response ended with `status`. */
  responded<R>(ticket: Ticket<R>, status: number, response: R, detail: ResponseDetail): void;
  /** The stream failed below HTTP. */
  failed(ticket: Ticket<unknown>, details: TransportErrorDetails): void;
  /** The server did not process it. */
  retry(ticket: Ticket<unknown>, reason: RetryReason, http2Code: number): void;
  /** No stream was opened: back to the head of the queue. */
  requeue(ticket: Ticket<unknown>): void;
  /** The stream ended cancelled. */
  cancelled(ticket: Ticket<unknown>, onWire: boolean): void;
  /** The caller aborted it. */
  abort(ticket: Ticket<unknown>): void;
  /** The limiter's clock, ms. */
  now(): number;
}

/**
 * One request's life inside a limiter: its state, phase timestamps and
 * deadline, and the {@link Permit} its driver reports on. One object per
 * request, reused across a retry; the deadline lives in the limiter's one
 * heap of deadlines, not in a timer of its own.
 */
export class Ticket<R> implements Permit<R>, Acquisition, PhaseTimestamps {
  state: TicketState = 'queued';
  dispatchedAtMs: number | undefined;
  sentAtMs: number | undefined;
  headersAtMs: number | undefined;
  endAtMs: number | undefined;
  retries = 0;
  windowStalled = false;
  /** True if its response was a stream whose length its messages set (no service-latency sample). */
  streaming = false;
  /** True if its budget bounds only its wait for a slot: granted, it has no deadline. */
  waitOnly = false;
  /** Set when the limiter cancels it in flight. */
  cancelReason: CancelReason | undefined;
  /** True once the current attempt's stream has ended (or was never opened). */
  streamDone = true;
  /** True while the limiter's deadline heap holds it unfired. */
  awaitingDeadline = false;
  /** The retry backoff's timer, only while in `retry-wait`. */
  backoff: Subscription | undefined;
  /** Detaches the caller's AbortSignal listener. */
  detachAbort: (() => void) | undefined;
  onCancel: (() => void) | undefined;
  /**
   * Where its grant and its settlement go; dropped once it has settled, so
   * a settled ticket that the deadline heap still holds (until its
   * deadline, or the heap's next rebuild) keeps nothing of its request alive:
   * not the driver's job, its stream, nor the response.
   */
  handler: AcquireHandler<R> | undefined;

  constructor(
    readonly id: number,
    readonly submittedAtMs: number,
    readonly budgetMs: number,
    handler: AcquireHandler<R>,
    readonly host: TicketHost,
  ) {
    this.handler = handler;
  }

  /** Absolute deadline, ms. */
  get deadlineAtMs(): number {
    return this.submittedAtMs + this.budgetMs;
  }

  /** Whether the deadline heap should still fire it. */
  get armed(): boolean {
    return this.awaitingDeadline;
  }

  /** Forgets the wire timestamps of a failed attempt before a retry (its queue time keeps counting). */
  resetAttempt(): void {
    this.dispatchedAtMs = undefined;
    this.sentAtMs = undefined;
    this.headersAtMs = undefined;
    this.endAtMs = undefined;
    this.onCancel = undefined;
  }

  sent(windowStalled = false, atMs = this.host.now()): void {
    this.sentAtMs = atMs;
    this.windowStalled ||= windowStalled;
  }

  headers(atMs = this.host.now()): void {
    this.headersAtMs = atMs;
  }

  respond(status: number, response: R, detail: ResponseDetail = {}): void {
    const atMs = detail.atMs ?? this.host.now();
    if (!this.#end(atMs)) return;
    this.endAtMs = atMs;
    if (detail.windowStalled === true) this.windowStalled = true;
    if (detail.streaming === true) this.streaming = true;
    this.host.responded(this, status, response, detail);
  }

  fail(details: TransportErrorDetails): void {
    if (this.#end()) this.host.failed(this, details);
  }

  retry(reason: RetryReason, http2Code: number): void {
    if (this.#end()) this.host.retry(this, reason, http2Code);
  }

  notSent(): void {
    if (this.#end()) this.host.requeue(this);
  }

  cancelled(onWire: boolean): void {
    if (this.#end()) this.host.cancelled(this, onWire);
  }

  abort(): void {
    this.host.abort(this);
  }

  /** Ends the current attempt's stream once, at `atMs` (now by default); false if it had already ended. */
  #end(atMs = this.host.now()): boolean {
    if (this.streamDone) return false;
    this.streamDone = true;
    this.onCancel = undefined;
    this.host.streamEnded(atMs);
    return true;
  }
}
