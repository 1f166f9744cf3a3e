import { map, Observable, type SchedulerLike, Subject, type Subscription, share } from 'rxjs';
import { breakdownAt, phaseTimings } from '../core/budget.js';
import type { CapacitySnapshot } from '../core/capacity.js';
import type { ClientStats } from '../core/clientStats.js';
import type { CongestionKind } from '../core/congestion.js';
import type { ControlWindow } from '../core/controlWindow.js';
import type { Decision } from '../core/decision.js';
import { retryAfterMs } from '../core/retryAfter.js';
import { isLoadTimeout } from '../core/rules/loadTimeout.js';
import type { Outcome, RequestSample } from '../core/sample.js';
import { SeededRandom } from '../core/seededRandom.js';
import { AbortedError } from '../errors/AbortedError.js';
import { ClosedError } from '../errors/ClosedError.js';
import { DeadlineError } from '../errors/DeadlineError.js';
import type { H2flowError } from '../errors/H2flowError.js';
import { OverloadError, type OverloadReason } from '../errors/OverloadError.js';
import { TransportError } from '../errors/TransportError.js';
import { ClientMetrics } from '../metrics/clientMetrics.js';
import type { MetricsRegistry } from '../metrics/metricsOptions.js';
import { AdmissionQueue, type DrainEstimate } from '../streams/admissionQueue.js';
import { type ControlStep, controlLoop } from '../streams/controlLoop.js';
import {
  admittedEvent,
  type LoopEvent,
  offeredEvent,
  rejectedEvent,
} from '../streams/loopEvent.js';
import { RateGate } from '../streams/rateGate.js';
import type { DispatchOutcome, Transport, TransportEvent } from '../transport/Transport.js';
import { type ClientOptions, resolveClientOptions } from './clientOptions.js';
import { type ClientRequest, type ClientResponse, normalizeRequest } from './clientRequest.js';
import { Job, type JobHost, type SettleCallback } from './job.js';

/** ENHANCE_YOUR_CALM (RFC 9113 §7). */
const enhanceYourCalmCode = 0xb;

/** What a settlement carries besides its outcome and error. */
interface SettleDetail {
  readonly response?: ClientResponse | undefined;
  readonly congestion?: CongestionKind | undefined;
  readonly status?: number | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly cancelledOnWire?: boolean | undefined;
}

const congestionOfRetry = {
  'refused-stream': 'refusedStream',
  'enhance-your-calm': 'enhanceYourCalm',
  'goaway-unprocessed': undefined,
  'session-not-ready': undefined,
} as const satisfies Record<string, CongestionKind | undefined>;

/**
 * The h2flow client: deadline-aware admission with a token bucket at the
 * decided rate, a bounded measured queue, a Transport (real `node:http2` or
 * simulated), and the RxJS control loop that turns what happens into rate
 * and connection decisions. Every request settles exactly once, with a
 * response or a typed error carrying its budget breakdown.
 *
 * All time and timers come from `transport.scheduler`, so the same client
 * runs on the real clock and in the simulator's virtual time.
 */
export class AdaptiveClient {
  /** The resolved options. */
  readonly options: ClientOptions;
  /** One decision per control window (`rateTps` 0 means "not rate-controlled" for non-adaptive policies). */
  readonly decisions$: Observable<Decision>;
  /** The statistics of each control window. */
  readonly windows$: Observable<ControlWindow>;
  /** One sample per settled request, emitted synchronously as it settles. */
  readonly samples$: Observable<RequestSample>;
  /** Slots and windows per session, whenever sessions change. */
  readonly capacity$: Observable<CapacitySnapshot>;

  readonly #transport: Transport;
  readonly #scheduler: SchedulerLike;
  readonly #events = new Subject<LoopEvent>();
  readonly #samples = new Subject<RequestSample>();
  readonly #steps: Observable<ControlStep>;
  readonly #queue: AdmissionQueue<Job>;
  readonly #gate: RateGate | undefined;
  readonly #subscriptions: Subscription[] = [];
  readonly #host: JobHost;
  readonly #metrics: ClientMetrics;
  #lastWindow: ControlWindow | undefined;
  /** Service p99 of the latest window that had one, ms (0 until then); see the steps subscription. */
  #serviceP99Ms = 0;
  /** The last connection failure, until a session becomes ready again. */
  #connectionError: Extract<TransportEvent, { kind: 'connection-error' }> | undefined;
  #connectionsTarget: number;
  #nextId = 1;
  #pumping = false;
  #pumpAgain = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #onIdle: (() => void) | undefined;
  // Counters (see ClientStats).
  #submitted = 0;
  #succeeded = 0;
  #rejected = 0;
  #timedOut = 0;
  #failed = 0;
  #pendingQueued = 0;
  #pendingInFlight = 0;
  #cancelledOnWire = 0;
  #retries = 0;
  #httpErrors = 0;
  readonly #rejectedByReason: Record<OverloadReason, number> = {
    'rate-limit': 0,
    'queue-full': 0,
    'queue-wait': 0,
    deadline: 0,
    'no-capacity': 0,
  };

  constructor(transport: Transport, options: Partial<ClientOptions> = {}) {
    this.options = resolveClientOptions(options);
    this.#transport = transport;
    this.#scheduler = transport.scheduler;
    const o = this.options;
    const adaptive = o.policy === 'adaptive';
    const queueOrderRandom = new SeededRandom(52_845);
    this.#queue = new AdmissionQueue<Job>(
      {
        maxQueueLength: o.maxQueueLength,
        maxQueueWaitMs: o.queueLimitFraction * o.timeoutMs,
        deadlineAware: adaptive,
        serveOrder: o.queueOrder,
        // Seeded, so a simulated run of the random order replays exactly.
        random: () => queueOrderRandom.next(),
      },
      this.#scheduler,
      (job) => this.#expireQueued(job),
    );
    this.#host = {
      jobSent: (job, atMs, stalled) => {
        job.sentAtMs = atMs;
        job.windowStalled ||= stalled;
      },
      jobHeaders: (job, atMs) => {
        job.headersAtMs = atMs;
      },
      jobDone: (job, outcome) => this.#done(job, outcome),
    };
    this.#connectionsTarget =
      o.policy === 'fixed' ? o.connections : adaptive ? o.initialConnections : 1;
    this.#steps = controlLoop(
      this.#events,
      { capacity: () => transport.capacity(), queueLength: () => this.#queue.length },
      o,
      this.#scheduler,
    ).pipe(
      map((s) => (adaptive ? s : { ...s, decision: this.#uncontrolledDecision() })),
      share(),
    );
    this.decisions$ = this.#steps.pipe(map((s) => s.decision));
    this.windows$ = this.#steps.pipe(map((s) => s.window));
    this.samples$ = this.#samples.asObservable();
    this.capacity$ = transport.capacity$;
    // Before anything else subscribes, so a registry clash throws with nothing to undo.
    this.#metrics = new ClientMetrics(
      {
        samples$: this.samples$,
        decisions$: this.decisions$,
        windows$: this.windows$,
        stats: () => this.stats(),
        capacity: () => transport.capacity(),
      },
      { origin: o.origin, registry: o.metricsRegistry },
    );
    this.#gate = adaptive ? new RateGate(this.decisions$, o, this.#scheduler) : undefined;
    this.#subscriptions.push(
      this.#steps.subscribe((s) => {
        this.#lastWindow = s.window;
        // A window with no completions reports p99 0. Keep the last real one: after a stall
        // (SETTINGS_MAX_CONCURRENT_STREAMS 0, a dead server) the deadline rules would otherwise
        // send requests that cannot finish in time, to die as RST_STREAM(CANCEL) (test/faults).
        if (s.window.serviceP99Ms > 0) this.#serviceP99Ms = s.window.serviceP99Ms;
        if (adaptive && s.decision.connections !== this.#connectionsTarget) {
          this.#connectionsTarget = s.decision.connections;
          transport.resize(this.#connectionsTarget);
        }
      }),
      transport.capacity$.subscribe(() => this.#pump()),
      transport.events$.subscribe((e) => this.#transportEvent(e)),
    );
    transport.resize(this.#connectionsTarget);
  }

  /** The prom-client registry holding this client's metrics: `options.metricsRegistry`, or the client's private one. */
  get metricsRegistry(): MetricsRegistry {
    return this.#metrics.registry;
  }

  /** The Prometheus exposition text of {@link metricsRegistry} (names in docs/metrics.md). */
  metrics(): Promise<string> {
    return this.#metrics.metrics();
  }

  /** Sends a request; resolves with the response or rejects with a typed {@link H2flowError}. */
  request(request: ClientRequest): Promise<ClientResponse> {
    return new Promise((resolve, reject) => {
      this.send(request, (error, response) => (error ? reject(error) : resolve(response!)));
    });
  }

  /** The same as {@link request}, as an Observable: subscribing sends, unsubscribing before it settles cancels. */
  request$(request: ClientRequest): Observable<ClientResponse> {
    return new Observable<ClientResponse>((subscriber) => {
      const abort = new AbortController();
      const signals = request.signal
        ? AbortSignal.any([request.signal, abort.signal])
        : abort.signal;
      let settled = false;
      this.send({ ...request, signal: signals }, (error, response) => {
        settled = true;
        if (error) subscriber.error(error);
        else {
          subscriber.next(response!);
          subscriber.complete();
        }
      });
      return () => {
        if (!settled) abort.abort();
      };
    });
  }

  /**
   * Sends a request and calls `callback` exactly once when it settles. This
   * is the primitive under `request()`; it needs no Promise, so it works
   * synchronously in virtual time. A malformed request throws an
   * `InvalidOptionError` and is not counted.
   */
  send(request: ClientRequest, callback: SettleCallback): void {
    const req = normalizeRequest(request);
    const nowMs = this.#scheduler.now();
    const budgetMs = req.timeoutMs ?? this.options.timeoutMs;
    const job = new Job(
      this.#nextId++,
      req.method,
      req.path,
      req.headers,
      req.body,
      nowMs,
      budgetMs,
      this.options.maxResponseBytes,
      this.#host,
      callback,
    );
    this.#submitted++;
    this.#pendingQueued++;
    this.#events.next(offeredEvent);
    if (this.#closed) {
      this.#settle(job, 'failed', new ClosedError(breakdownAt(job, budgetMs, nowMs)));
      return;
    }
    const signal = request.signal;
    if (signal?.aborted) {
      this.#settle(job, 'failed', new AbortedError(breakdownAt(job, budgetMs, nowMs), false));
      return;
    }
    if (this.#gate && !this.#gate.tryTake()) {
      this.#shed(job, 'rate-limit', this.#gate.msUntilToken());
      return;
    }
    const verdict = this.#queue.offer(job, budgetMs, this.#estimate());
    if (!verdict.admit) {
      this.#shed(job, verdict.reason, verdict.predictedWaitMs);
      return;
    }
    this.#events.next(admittedEvent);
    if (signal) {
      const onAbort = (): void => this.#abort(job);
      signal.addEventListener('abort', onAbort, { once: true });
      job.detachAbort = () => signal.removeEventListener('abort', onAbort);
    }
    this.#pump();
  }

  /** The counters now. They reconcile: submitted = succeeded + rejected + timedOut + failed + inFlight + queued. */
  stats(): ClientStats {
    return {
      submitted: this.#submitted,
      succeeded: this.#succeeded,
      rejected: this.#rejected,
      timedOut: this.#timedOut,
      failed: this.#failed,
      inFlight: this.#pendingInFlight,
      queued: this.#pendingQueued,
      cancelledOnWire: this.#cancelledOnWire,
      retries: this.#retries,
      rejectedByReason: { ...this.#rejectedByReason },
      httpErrors: this.#httpErrors,
    };
  }

  /**
   * Closes gracefully: new requests get `H2FLOW_CLOSED`; queued and in-flight
   * ones finish or fail within their own budgets; then the sessions close.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closed = true;
      this.#closing = new Promise<void>((resolve) => {
        this.#onIdle = resolve;
        this.#checkIdle();
      })
        .then(() => this.#transport.close())
        .finally(() => {
          for (const s of this.#subscriptions) s.unsubscribe();
          this.#metrics.close();
          this.#gate?.dispose();
          this.#events.complete();
          this.#samples.complete();
        });
    }
    return this.#closing;
  }

  /** Moves queued requests onto free stream slots. Re-entrant calls (from transport callbacks) are folded into one loop. */
  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        while (this.#queue.length > 0 && this.#transport.freeSlots() > 0) {
          const job = this.#queue.shift()!;
          if (!this.#dispatch(job)) break;
        }
        this.#growIfSlotBound();
      } while (this.#pumpAgain);
    } finally {
      this.#pumping = false;
    }
  }

  /** Hands one job to the transport; returns false (and re-queues it) if the transport had no slot after all. */
  #dispatch(job: Job): boolean {
    const nowMs = this.#scheduler.now();
    const p99 = this.#serviceP99Ms;
    if (this.options.policy === 'adaptive' && p99 > 0 && job.deadlineAtMs - nowMs < p99) {
      // It would very likely expire on the wire and become an RST_STREAM: shed it unsent instead.
      this.#shed(job, 'deadline', nowMs - job.submittedAtMs);
      return true;
    }
    job.state = 'in-flight';
    this.#pendingQueued--;
    this.#pendingInFlight++;
    job.dispatchedAtMs = nowMs;
    this.#events.next({ kind: 'dispatched', atMs: nowMs, queueWaitMs: nowMs - job.submittedAtMs });
    const handle = this.#transport.dispatch(job, job);
    if (handle === undefined) {
      this.#events.next({ kind: 'stream-ended', atMs: nowMs });
      job.state = 'queued';
      job.dispatchedAtMs = undefined;
      this.#pendingInFlight--;
      this.#pendingQueued++;
      this.#queue.unshift(job);
      return false;
    }
    if (job.state === 'in-flight' && job.dispatchedAtMs === nowMs && job.endAtMs === undefined) {
      job.handle = handle;
      job.timer = this.#scheduler.schedule(
        () => this.#cancelInFlight(job, 'deadline'),
        job.deadlineAtMs - nowMs,
      );
    }
    return true;
  }

  /** The `new-connection` policy: one more session whenever requests wait and every slot is busy. */
  #growIfSlotBound(): void {
    if (this.options.policy !== 'new-connection' || this.#queue.length === 0) return;
    if (this.#connectionsTarget >= this.options.maxConnections || this.#transport.freeSlots() > 0)
      return;
    const connecting = this.#transport.capacity().sessions.some((s) => s.state === 'connecting');
    if (connecting) return;
    this.#connectionsTarget++;
    this.#transport.resize(this.#connectionsTarget);
  }

  #done(job: Job, outcome: DispatchOutcome): void {
    this.#events.next({ kind: 'stream-ended', atMs: outcome.atMs });
    job.handle = undefined;
    if (job.state !== 'settled') this.#outcome(job, outcome);
    this.#pump();
  }

  #outcome(job: Job, outcome: DispatchOutcome): void {
    const budget = job.budgetMs;
    switch (outcome.kind) {
      case 'response': {
        job.endAtMs = outcome.atMs;
        // A response held back by our own receive window is a window-bound path too (flow-control.json).
        if (outcome.windowStalled === true) job.windowStalled = true;
        const status = outcome.status;
        const retryAfter = retryAfterMs(outcome.headers['retry-after'], Date.now());
        // Only explicit throttling is a congestion signal here: a 503 without `retry-after` may be
        // background, and the controller judges that from its share (core/rules/errorSurge.ts).
        const congestion =
          status === 429
            ? 'http429'
            : status === 503 && retryAfter !== undefined
              ? 'http503'
              : undefined;
        const ok = status < 500 && status !== 429;
        if (!ok) this.#httpErrors++;
        const body = Buffer.from(
          outcome.body.buffer,
          outcome.body.byteOffset,
          outcome.body.byteLength,
        );
        const response: ClientResponse = {
          status,
          headers: outcome.headers,
          body,
          timings: phaseTimings(job, outcome.atMs),
        };
        this.#settle(job, ok ? 'succeeded' : 'failed', undefined, {
          response,
          congestion,
          status,
          retryAfterMs: retryAfter,
        });
        return;
      }
      case 'retryable': {
        const congestion = congestionOfRetry[outcome.reason];
        if (congestion) this.#events.next({ kind: 'congestion', congestion });
        if (job.retries === 0 && outcome.atMs < job.deadlineAtMs) {
          this.#retry(job, outcome.reason);
          return;
        }
        const error = new TransportError(
          {
            failure: 'retry-exhausted',
            detail: `${outcome.reason} again after one retry`,
            http2Code: outcome.http2Code,
          },
          breakdownAt(job, budget, outcome.atMs),
        );
        this.#settle(job, 'failed', error);
        return;
      }
      case 'error': {
        const error = new TransportError(
          {
            failure: outcome.failure,
            detail: outcome.detail,
            ...(outcome.http2Code === undefined ? {} : { http2Code: outcome.http2Code }),
            ...(outcome.causeCode === undefined ? {} : { causeCode: outcome.causeCode }),
          },
          breakdownAt(job, budget, outcome.atMs),
        );
        this.#settle(job, 'failed', error);
        return;
      }
      case 'cancelled':
        this.#settleCancelled(job, outcome.onWire, outcome.atMs);
        return;
    }
  }

  /** Puts a job the server provably did not process back at the head of the queue, once. */
  #retry(job: Job, reason: keyof typeof congestionOfRetry): void {
    job.retries++;
    this.#retries++;
    job.resetAttempt();
    job.timer?.unsubscribe();
    this.#pendingInFlight--;
    this.#pendingQueued++;
    if (reason !== 'enhance-your-calm' && reason !== 'refused-stream') {
      job.state = 'queued';
      this.#queue.unshift(job);
      return;
    }
    // ENHANCE_YOUR_CALM and REFUSED_STREAM say the server is loaded: retrying at once would hit it
    // again in the same instant, so wait a jittered backoff (deterministic per id, so simulations replay).
    const jitter = 0.5 + (Math.imul(job.id, 2654435761) >>> 0) / 2 ** 32;
    const waitMs = Math.min(
      this.options.retryBackoffMs * jitter,
      job.deadlineAtMs - this.#scheduler.now(),
    );
    job.state = 'retry-wait';
    job.timer = this.#scheduler.schedule(
      () => {
        job.timer = undefined;
        if (job.state !== 'retry-wait') return;
        job.state = 'queued';
        this.#queue.unshift(job);
        this.#pump();
      },
      Math.max(0, waitMs),
    );
  }

  #expireQueued(job: Job): void {
    const nowMs = this.#scheduler.now();
    const breakdown = breakdownAt(job, job.budgetMs, nowMs);
    const lost = this.#connectionError;
    if (lost && this.#transport.capacity().readySessions === 0) {
      // It waited through reconnect attempts and no session ever came up: the cause is the
      // connection (e.g. a TLS verification error), so say so rather than "deadline".
      const error = new TransportError(
        {
          failure: 'connect',
          detail: `no session could be established before the deadline: ${lost.detail}`,
          ...(lost.causeCode === undefined ? {} : { causeCode: lost.causeCode }),
        },
        breakdown,
      );
      this.#settle(job, 'failed', error);
    } else {
      // It waited its whole budget in the queue: load's doing by definition.
      this.#settle(job, 'timedOut', new DeadlineError(breakdown, false), { congestion: 'timeout' });
    }
    this.#pump();
  }

  /** Cancels a job on the wire (deadline, abort or close) and settles it now, whatever the transport reports later. */
  #cancelInFlight(job: Job, reason: 'deadline' | 'abort' | 'close'): void {
    // On abort this is still the pending deadline timer; left scheduled it would keep the process alive.
    job.timer?.unsubscribe();
    job.timer = undefined;
    if (job.state !== 'in-flight') return;
    job.cancelReason = reason;
    job.handle?.cancel();
    // The stream was handed to a session (we never queue inside nghttp2), so a cancel now is on the wire.
    if (job.state === 'in-flight') this.#settleCancelled(job, true, this.#scheduler.now());
  }

  #settleCancelled(job: Job, onWire: boolean, atMs: number): void {
    const breakdown = breakdownAt(job, job.budgetMs, atMs);
    if (job.cancelReason === 'abort') {
      this.#settle(job, 'failed', new AbortedError(breakdown, onWire), { cancelledOnWire: onWire });
      return;
    }
    if (job.cancelReason === 'close') {
      this.#settle(job, 'failed', new ClosedError(breakdown), { cancelledOnWire: onWire });
      return;
    }
    // A tail timeout, whose own service time ate the budget, is no load signal (core/rules/loadTimeout.ts).
    const queueWaitMs = (job.dispatchedAtMs ?? atMs) - job.submittedAtMs;
    const load = isLoadTimeout(queueWaitMs, job.budgetMs, this.options.queueTargetFraction);
    this.#settle(job, 'timedOut', new DeadlineError(breakdown, onWire), {
      congestion: load ? 'timeout' : undefined,
      cancelledOnWire: onWire,
    });
  }

  #abort(job: Job): void {
    const nowMs = this.#scheduler.now();
    if (job.state === 'queued' && this.#queue.remove(job)) {
      this.#settle(job, 'failed', new AbortedError(breakdownAt(job, job.budgetMs, nowMs), false));
      return;
    }
    if (job.state === 'retry-wait') {
      this.#settle(job, 'failed', new AbortedError(breakdownAt(job, job.budgetMs, nowMs), false));
      return;
    }
    if (job.state === 'in-flight') this.#cancelInFlight(job, 'abort');
  }

  #shed(job: Job, reason: OverloadReason, predictedWaitMs: number): void {
    this.#rejectedByReason[reason]++;
    this.#events.next(rejectedEvent);
    const nowMs = this.#scheduler.now();
    this.#settle(
      job,
      'rejected',
      new OverloadError(reason, predictedWaitMs, breakdownAt(job, job.budgetMs, nowMs)),
    );
  }

  /** Settles a job exactly once: counters, sample, callback. */
  #settle(
    job: Job,
    outcome: Outcome,
    error: H2flowError | undefined,
    detail: SettleDetail = {},
  ): void {
    const { response, congestion, status, retryAfterMs, cancelledOnWire = false } = detail;
    if (job.state === 'settled') return;
    if (job.state === 'in-flight') this.#pendingInFlight--;
    else this.#pendingQueued--;
    job.state = 'settled';
    job.timer?.unsubscribe();
    job.timer = undefined;
    job.detachAbort?.();
    if (outcome === 'succeeded') this.#succeeded++;
    else if (outcome === 'rejected') this.#rejected++;
    else if (outcome === 'timedOut') this.#timedOut++;
    else this.#failed++;
    if (cancelledOnWire) this.#cancelledOnWire++;
    const sample: RequestSample = {
      submittedAtMs: job.submittedAtMs,
      dispatchedAtMs: job.dispatchedAtMs,
      sentAtMs: job.sentAtMs,
      headersAtMs: job.headersAtMs,
      endAtMs: job.endAtMs,
      outcome,
      settledAtMs: this.#scheduler.now(),
      status,
      retryAfterMs,
      errorCode: error?.code,
      congestion,
      retries: job.retries,
      cancelledOnWire,
      windowStalled: job.windowStalled,
    };
    this.#events.next({ kind: 'settled', sample });
    this.#samples.next(sample);
    try {
      job.callback(error, response);
    } catch (thrown) {
      // A caller's callback must not corrupt the client's bookkeeping; surface it as an uncaught error instead.
      queueMicrotask(() => {
        throw thrown;
      });
    }
    this.#checkIdle();
  }

  #estimate(): DrainEstimate {
    const w = this.#lastWindow;
    const completedTps = w && w.durationMs > 0 ? (w.completed * 1000) / w.durationMs : 0;
    const rateTps = this.#gate?.rateTps ?? 0;
    return {
      drainRateTps: completedTps > 0 ? completedTps : rateTps,
      serviceP99Ms: this.#serviceP99Ms,
    };
  }

  #uncontrolledDecision(): Decision {
    return {
      rateTps: 0,
      connections: this.#connectionsTarget,
      limiting: false,
      reason: 'fixed',
      pathState: 'unknown',
    };
  }

  #transportEvent(event: TransportEvent): void {
    if (event.kind === 'goaway' && event.errorCode !== 0) {
      this.#events.next({
        kind: 'congestion',
        congestion: event.errorCode === enhanceYourCalmCode ? 'enhanceYourCalm' : 'goawayError',
      });
    } else if (event.kind === 'connection-error') {
      // A lost or refused connection is no load signal: the window's ready sessions tell the path.
      this.#connectionError = event;
    } else if (event.kind === 'session-ready') {
      this.#connectionError = undefined;
    }
  }

  #checkIdle(): void {
    if (this.#closed && this.#pendingQueued === 0 && this.#pendingInFlight === 0 && this.#onIdle) {
      const resolve = this.#onIdle;
      this.#onIdle = undefined;
      resolve();
    }
  }
}
