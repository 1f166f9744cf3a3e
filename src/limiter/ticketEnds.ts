import type { SchedulerLike } from 'rxjs';
import { breakdownAt } from '../core/budget.js';
import type { CongestionKind } from '../core/congestion.js';
import { responseOutcome } from '../core/responseOutcome.js';
import type { RetryReason } from '../core/retryReason.js';
import { isLoadTimeout } from '../core/rules/loadTimeout.js';
import type { Outcome } from '../core/sample.js';
import { AbortedError } from '../errors/AbortedError.js';
import type { BudgetBreakdown } from '../errors/budgetBreakdown.js';
import { ClosedError } from '../errors/ClosedError.js';
import { DeadlineError } from '../errors/DeadlineError.js';
import type { H2flowError } from '../errors/H2flowError.js';
import { TransportError, type TransportErrorDetails } from '../errors/TransportError.js';
import type { WindowAccumulator } from '../stats/windowAccumulator.js';
import type { AdmissionQueue } from '../streams/admissionQueue.js';
import type { Ledger } from './ledger.js';
import type { LimiterOptions } from './limiterOptions.js';
import type { ResponseDetail } from './permit.js';
import type { Standby } from './standby.js';
import type { CancelReason, SettleDetail, Ticket, TicketHost } from './ticket.js';

/** The congestion signal a retryable end carries. */
const congestionOfRetry: Readonly<Record<RetryReason, CongestionKind | undefined>> = {
  'refused-stream': 'refusedStream',
  'enhance-your-calm': 'enhanceYourCalm',
  'goaway-unprocessed': undefined,
  'session-not-ready': undefined,
};

/** What a request's ends need from their limiter. */
export interface EndsContext {
  readonly scheduler: SchedulerLike;
  readonly options: LimiterOptions;
  readonly accumulator: WindowAccumulator;
  readonly queue: AdmissionQueue<Ticket<unknown>>;
  /** Where requests predicted to miss wait, if the limiter keeps them. */
  readonly standby: Standby | undefined;
  readonly ledger: Ledger;
  /** Settles a ticket exactly once (the limiter's, which also frees its deadline and abort hold). */
  settle<R>(
    t: Ticket<R>,
    outcome: Outcome,
    error: H2flowError | undefined,
    detail?: SettleDetail<R>,
  ): void;
  /** Grants what is free now. */
  pump(): void;
  /** Why a request waited out its budget, when the pool knows better than load. */
  whyExpired(): TransportErrorDetails | undefined;
}

/**
 * How a request ends inside a limiter: each end a driver reports on its
 * permit (a response, a failure, a refusal to retry, a stream handed back or
 * cancelled), and the two the limiter makes itself, its deadline and the
 * caller's abort. Each turns into a retry or one settlement with its typed
 * error, and frees the slot for the next grant.
 */
export class TicketEnds implements TicketHost {
  readonly #c: EndsContext;
  /** When the queue last set its backlog aside (`fifo-restart`), ms. */
  #restartedAtMs = Number.NEGATIVE_INFINITY;

  constructor(context: EndsContext) {
    this.#c = context;
  }

  /** The limiter's clock, ms. */
  now(): number {
    return this.#c.scheduler.now();
  }

  /** A granted attempt's stream ended (any way), at `atMs`. */
  streamEnded(atMs: number): void {
    this.#c.accumulator.streamEnded(atMs);
  }

  /** A response ended with `status`. */
  responded<R>(t: Ticket<R>, status: number, response: R, detail: ResponseDetail): void {
    if (t.state !== 'settled') {
      const retryAfterMs = detail.retryAfterMs;
      const { ok, congestion } = responseOutcome(status, retryAfterMs);
      this.#c.settle(t, ok ? 'succeeded' : 'failed', undefined, {
        response,
        congestion,
        status,
        retryAfterMs,
        httpError: !ok,
      });
    }
    this.#c.pump();
  }

  /** The stream failed below HTTP. */
  failed(t: Ticket<unknown>, details: TransportErrorDetails): void {
    if (t.state !== 'settled') {
      this.#c.settle(t, 'failed', new TransportError(details, this.#breakdown(t)));
    }
    this.#c.pump();
  }

  /** The server did not process it: once more, or `retry-exhausted`. */
  retry(t: Ticket<unknown>, reason: RetryReason, http2Code: number): void {
    const congestion = congestionOfRetry[reason];
    if (congestion) this.#c.accumulator.congestion(congestion);
    if (t.state === 'settled') {
      // Settled already (its deadline fired while the stream was out): only the slot comes back.
    } else if (this.#c.scheduler.now() >= t.deadlineAtMs) {
      // Its deadline is due, its timer not yet run: the budget ended it, not the server.
      this.#expireUnsent(t);
      return;
    } else if (t.retries === 0) {
      this.#backOff(t, reason);
    } else {
      const detail = `${reason} again after one retry`;
      this.failed(t, { failure: 'retry-exhausted', detail, http2Code });
      return;
    }
    this.#c.pump();
  }

  /** No stream was opened: back to the head of the queue, no retry counted. */
  requeue(t: Ticket<unknown>): void {
    if (t.state !== 'in-flight') return;
    t.resetAttempt();
    t.state = 'queued';
    this.#c.ledger.returned(false);
    this.#c.queue.unshift(t);
  }

  /** The stream ended cancelled. */
  cancelled(t: Ticket<unknown>, onWire: boolean): void {
    if (t.state !== 'settled') this.#settleCancelled(t, onWire);
    this.#c.pump();
  }

  /** Puts a ticket the server provably did not process back at the head of the queue, once. */
  #backOff(t: Ticket<unknown>, reason: RetryReason): void {
    t.retries++;
    t.resetAttempt();
    this.#c.ledger.returned(true);
    if (reason !== 'enhance-your-calm' && reason !== 'refused-stream') {
      t.state = 'queued';
      this.#c.queue.unshift(t);
      return;
    }
    // ENHANCE_YOUR_CALM and REFUSED_STREAM say the server is loaded: retrying at once would hit it
    // again in the same instant, so wait a jittered backoff (deterministic per id, so simulations replay).
    const jitter = 0.5 + (Math.imul(t.id, 2654435761) >>> 0) / 2 ** 32;
    t.state = 'retry-wait';
    t.backoff = this.#c.scheduler.schedule(
      () => {
        t.backoff = undefined;
        if (t.state !== 'retry-wait') return;
        t.state = 'queued';
        this.#c.queue.unshift(t);
        this.#c.pump();
      },
      Math.max(0, this.#c.options.retryBackoffMs * jitter),
    );
  }

  /** A ticket's deadline passed: it settles now, wherever it is. */
  expire(t: Ticket<unknown>): void {
    t.awaitingDeadline = false;
    if (t.state === 'in-flight') {
      this.#cancelInFlight(t, 'deadline');
      return;
    }
    this.#expireUnsent(t);
  }

  /** Settles a ticket whose budget ran out with no stream of its on the wire. */
  #expireUnsent(t: Ticket<unknown>): void {
    this.#unwait(t);
    const breakdown = this.#breakdown(t);
    const why = this.#c.whyExpired();
    if (why !== undefined) {
      // It waited through reconnect attempts and no session ever came up: the cause is the
      // connection (e.g. a TLS verification error), so say so rather than "deadline".
      this.#c.settle(t, 'failed', new TransportError(why, breakdown));
    } else {
      // It waited its whole budget for a slot: load's doing by definition.
      this.#c.settle(t, 'timedOut', new DeadlineError(breakdown, false), { congestion: 'timeout' });
    }
    this.#c.pump();
  }

  /** Cancels a ticket on the wire (deadline or abort) and settles it now, whatever the driver reports later. */
  #cancelInFlight(t: Ticket<unknown>, reason: CancelReason): void {
    t.cancelReason = reason;
    if (reason === 'deadline' && this.#sentTooLate(t)) {
      // A `fifo-restart` queue (Go's strict transport) gives up its backlog.
      this.#restartedAtMs = this.#c.scheduler.now();
      this.#c.queue.setAside();
    }
    t.onCancel?.();
    // The stream was handed to a session (never queued inside nghttp2), so a cancel now is on the wire.
    if (t.state === 'in-flight') this.#settleCancelled(t, true);
  }

  /**
   * Whether a request expiring in flight was sent too late: it waited in the
   * queue longer than it flew (more than half its budget), and arrived after
   * the last restart. One that hung in flight (a silent connection) is no
   * queue's doing; one from before the restart (a retry) is that crisis still.
   */
  #sentTooLate(t: Ticket<unknown>): boolean {
    const queueWaitMs = (t.dispatchedAtMs ?? t.submittedAtMs) - t.submittedAtMs;
    return queueWaitMs > t.budgetMs / 2 && t.submittedAtMs >= this.#restartedAtMs;
  }

  #settleCancelled(t: Ticket<unknown>, onWire: boolean): void {
    const breakdown = this.#breakdown(t);
    const wire = { cancelledOnWire: onWire };
    if (t.cancelReason === 'abort') {
      this.#c.settle(t, 'failed', new AbortedError(breakdown, onWire), wire);
      return;
    }
    if (t.cancelReason === 'close') {
      this.#c.settle(t, 'failed', new ClosedError(breakdown), wire);
      return;
    }
    // A tail timeout, whose own service time ate the budget, is no load signal (core/rules/loadTimeout.ts).
    const queueWaitMs = (t.dispatchedAtMs ?? this.#c.scheduler.now()) - t.submittedAtMs;
    const load = isLoadTimeout(queueWaitMs, t.budgetMs, this.#c.options.queueTargetFraction);
    this.#c.settle(t, 'timedOut', new DeadlineError(breakdown, onWire), {
      congestion: load ? 'timeout' : undefined,
      cancelledOnWire: onWire,
    });
  }

  /** The caller aborted: locally while it waits, through the permit's cancel once granted. */
  abort(t: Ticket<unknown>): void {
    if (t.state === 'in-flight') {
      this.#cancelInFlight(t, 'abort');
      return;
    }
    this.#unwait(t);
    if (t.state !== 'settled')
      this.#c.settle(t, 'failed', new AbortedError(this.#breakdown(t), false));
  }

  /** Takes a waiting ticket out of the queue or the standby it waits in. */
  #unwait(t: Ticket<unknown>): void {
    if (t.state === 'queued') this.#c.queue.remove(t);
    else if (t.state === 'standby') this.#c.standby?.remove(t);
  }

  #breakdown(t: Ticket<unknown>): BudgetBreakdown {
    return breakdownAt(t, t.budgetMs, this.#c.scheduler.now());
  }
}
