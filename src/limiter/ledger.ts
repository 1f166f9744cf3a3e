import { type Observable, type SchedulerLike, Subject } from 'rxjs';
import type { ClientStats } from '../core/clientStats.js';
import type { Outcome, RequestSample } from '../core/sample.js';
import type { H2flowError } from '../errors/H2flowError.js';
import type { OverloadReason } from '../errors/OverloadError.js';
import type { SettledFacts, WindowAccumulator } from '../stats/windowAccumulator.js';
import type { SettleDetail, Ticket } from './ticket.js';

/**
 * A limiter's books: the counters that reconcile
 * (submitted = succeeded + rejected + timedOut + failed + inFlight + queued),
 * the rejections by reason, and what each settled request tells the control
 * window and `samples$`. It moves counts as tickets move, and delivers each
 * settlement to its handler, exactly once (the limiter guards that).
 */
export class Ledger {
  /** One sample per settled request, built only while observed. */
  readonly samples$: Observable<RequestSample>;
  readonly #samples = new Subject<RequestSample>();
  readonly #accumulator: WindowAccumulator;
  readonly #counts = {
    submitted: 0,
    succeeded: 0,
    rejected: 0,
    timedOut: 0,
    failed: 0,
    inFlight: 0,
    queued: 0,
    cancelledOnWire: 0,
    retries: 0,
    httpErrors: 0,
  };
  readonly #rejectedByReason: Record<OverloadReason, number> = {
    'rate-limit': 0,
    'queue-full': 0,
    'queue-wait': 0,
    deadline: 0,
    'no-capacity': 0,
  };
  /** One settled request's facts for the window, reused: the accumulator keeps none of it. */
  readonly #facts: { -readonly [K in keyof SettledFacts]: SettledFacts[K] } = {
    dispatchedAtMs: undefined,
    endAtMs: undefined,
    windowStalled: false,
    congestion: undefined,
    retryAfterMs: undefined,
    status: undefined,
    streaming: false,
  };

  constructor(accumulator: WindowAccumulator) {
    this.#accumulator = accumulator;
    this.samples$ = this.#samples.asObservable();
  }

  /** Requests waiting or on the wire. */
  get pending(): number {
    return this.#counts.queued + this.#counts.inFlight;
  }

  /** A request arrived (it waits until granted or settled). */
  submitted(): void {
    this.#counts.submitted++;
    this.#counts.queued++;
    this.#accumulator.offered();
  }

  /** Admission shed one, for `reason` (it is then settled as `rejected`). */
  shed(reason: OverloadReason): void {
    this.#rejectedByReason[reason]++;
    this.#accumulator.rejected();
  }

  /** A waiting request was granted its slot. */
  granted(): void {
    this.#counts.queued--;
    this.#counts.inFlight++;
  }

  /** A granted request goes back to waiting: `retry` counts it as a retry. */
  returned(retry: boolean): void {
    this.#counts.inFlight--;
    this.#counts.queued++;
    if (retry) this.#counts.retries++;
  }

  /**
   * Books a settlement and hands it to the caller: `wasInFlight` says which
   * pending count it leaves; `clock` dates the sample, read only when one is
   * built. A handler that throws does not corrupt the books; its error
   * surfaces as an uncaught one instead.
   */
  settled<R>(
    t: Ticket<R>,
    wasInFlight: boolean,
    outcome: Outcome,
    error: H2flowError | undefined,
    detail: SettleDetail<R>,
    clock: SchedulerLike,
  ): void {
    const c = this.#counts;
    if (wasInFlight) c.inFlight--;
    else c.queued--;
    c[outcome]++;
    if (detail.httpError === true) c.httpErrors++;
    const cancelledOnWire = detail.cancelledOnWire === true;
    if (cancelledOnWire) c.cancelledOnWire++;
    const f = this.#facts;
    f.dispatchedAtMs = t.dispatchedAtMs;
    f.endAtMs = t.endAtMs;
    f.windowStalled = t.windowStalled;
    f.congestion = detail.congestion;
    f.retryAfterMs = detail.retryAfterMs;
    f.status = detail.status;
    f.streaming = t.streaming;
    this.#accumulator.settled(f);
    // The sample is built only for someone who reads it.
    if (this.#samples.observed) {
      this.#samples.next({
        submittedAtMs: t.submittedAtMs,
        dispatchedAtMs: t.dispatchedAtMs,
        sentAtMs: t.sentAtMs,
        headersAtMs: t.headersAtMs,
        endAtMs: t.endAtMs,
        outcome,
        settledAtMs: clock.now(),
        status: detail.status,
        retryAfterMs: detail.retryAfterMs,
        errorCode: error?.code,
        congestion: detail.congestion,
        retries: t.retries,
        cancelledOnWire,
        windowStalled: t.windowStalled,
        streaming: t.streaming,
      });
    }
    const handler = t.handler;
    t.handler = undefined;
    try {
      handler?.onSettle(error, detail.response);
    } catch (thrown) {
      queueMicrotask(() => {
        throw thrown;
      });
    }
  }

  /** The counters now. */
  stats(): ClientStats {
    return { ...this.#counts, rejectedByReason: { ...this.#rejectedByReason } };
  }

  /** Completes `samples$`. */
  close(): void {
    this.#samples.complete();
  }
}
