import {
  map,
  type Observable,
  type SchedulerLike,
  Subject,
  type Subscription,
  share,
  takeUntil,
} from 'rxjs';
import { breakdownAt } from '../core/budget.js';
import type { CapacitySnapshot } from '../core/capacity.js';
import type { ClientStats } from '../core/clientStats.js';
import type { CongestionKind } from '../core/congestion.js';
import type { ControlWindow } from '../core/controlWindow.js';
import type { Decision } from '../core/decision.js';
import { FoldedLoop } from '../core/foldedLoop.js';
import type { Outcome, RequestSample } from '../core/sample.js';
import { SeededRandom } from '../core/seededRandom.js';
import { AbortedError } from '../errors/AbortedError.js';
import { ClosedError } from '../errors/ClosedError.js';
import type { H2flowError } from '../errors/H2flowError.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { OverloadError, type OverloadReason } from '../errors/OverloadError.js';
import type { TransportErrorDetails } from '../errors/TransportError.js';
import { WindowAccumulator } from '../stats/windowAccumulator.js';
import { AdmissionQueue, type DrainEstimate } from '../streams/admissionQueue.js';
import { type ControlStep, controlLoop } from '../streams/controlLoop.js';
import { RateGate } from '../streams/rateGate.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';
import { DeadlineTimers } from './deadlineTimers.js';
import { Ledger } from './ledger.js';
import { type LimiterOptions, resolveLimiterOptions } from './limiterOptions.js';
import type { AcquireHandler, AcquireOptions, Acquisition } from './permit.js';
import type { PolicyRules } from './policies/limiterPolicy.js';
import { policyRules } from './policies/policyRules.js';
import { Standby } from './standby.js';
import { type SettleDetail, Ticket, type TicketState } from './ticket.js';
import { TicketEnds } from './ticketEnds.js';

/** What a limiter reads from the connections it limits (its driver's pool). */
export interface LimiterPool {
  /** Streams that may be opened right now. */
  freeSlots(): number;
  /** Sessions and slots now; read once per control window and when connections are judged. */
  capacity(): CapacitySnapshot;
  /** The connection target changed: open or drain sessions toward `connections`. Optional. */
  resize?(connections: number): void;
  /**
   * Why a request waited out its whole budget in the queue, when the pool
   * knows better than "load" (no session could be established: say why).
   * `undefined` means it was load: a `DeadlineError`. Optional.
   */
  whyExpired?(): TransportErrorDetails | undefined;
}

/**
 * h2flow's controller as a component, for any HTTP/2 client: deadline-aware
 * admission with a token bucket at the decided rate, a bounded queue in
 * front of the stream slots, one deadline per request, and the control loop
 * that turns what happens into rate and connection decisions.
 *
 * A driver (h2flow's own client, a node:http2 loop, a fetch dispatcher)
 * calls {@link acquire} per request, opens a stream when the permit is
 * granted, and reports its end on the permit; it tells the limiter when
 * slots free ({@link capacityChanged}). Every request settles exactly once,
 * through its handler's `onSettle`. Counters reconcile:
 * submitted = succeeded + rejected + timedOut + failed + inFlight + queued.
 *
 * All time and timers come from `scheduler`, so it runs on the real clock
 * and in the simulator's virtual time alike.
 */
export class Limiter {
  /** The resolved options. */
  readonly options: LimiterOptions;
  /** One decision per control window (`rateTps` 0 means "not rate-controlled" for non-adaptive policies). */
  readonly decisions$: Observable<Decision>;
  /** The statistics of each control window. */
  readonly windows$: Observable<ControlWindow>;
  /** One sample per settled request, emitted synchronously as it settles (built only while observed). */
  readonly samples$: Observable<RequestSample>;
  /** The clock and timers. */
  readonly scheduler: SchedulerLike;

  readonly #pool: LimiterPool;
  /** A capacity snapshot on demand, for the policy's slot-bound growth (bound once, no closure per call). */
  readonly #capacityNow = (): CapacitySnapshot => this.#pool.capacity();
  readonly #policy: PolicyRules;
  readonly #accumulator: WindowAccumulator;
  readonly #queue: AdmissionQueue<Ticket<unknown>>;
  /** Requests admission predicts would miss, held for a free slot nothing else wants (deadline-aware policies). */
  readonly #standby: Standby | undefined;
  readonly #deadlines: DeadlineTimers<Ticket<unknown>>;
  readonly #gate: RateGate | undefined;
  /** Emits once, on close: completes the control loop for every subscriber and stops its timer. */
  readonly #stopped = new Subject<void>();
  readonly #steps: Observable<ControlStep>;
  readonly #subscriptions: Subscription[] = [];
  readonly #ledger: Ledger;
  readonly #ends: TicketEnds;
  #lastWindow: ControlWindow | undefined;
  /** Service p99 of the latest window that had one, ms (0 until then). */
  #serviceP99Ms = 0;
  /** What {@link #estimate} hands admission, rewritten per request. */
  readonly #drainEstimate = { drainRateTps: 0, serviceP99Ms: 0 };
  /** Whether any window has seen a completion: until then nothing says how fast the queue drains. */
  #drainMeasured = false;
  #connectionsTarget: number;
  #nextId = 1;
  /** Re-entrant pumps (from a driver's callbacks) fold into the running one. */
  readonly #pumpLoop = new FoldedLoop(() => this.#pumpOnce());
  #closed = false;
  #closing: Promise<void> | undefined;
  #onIdle: (() => void) | undefined;
  /** Throws an `InvalidOptionError` naming the first bad option; `extraOptionNames` are a caller's own, validated by it. */
  constructor(
    pool: LimiterPool,
    options: Partial<LimiterOptions> = {},
    scheduler: SchedulerLike = realTimeScheduler,
    extraOptionNames: readonly string[] = [],
  ) {
    this.options = resolveLimiterOptions(options, extraOptionNames);
    const o = this.options;
    this.#pool = pool;
    this.scheduler = scheduler;
    this.#policy = policyRules[o.policy];
    const policy = this.#policy;
    const queueOrderRandom = new SeededRandom(52_845);
    this.#queue = new AdmissionQueue({
      maxQueueLength: o.maxQueueLength,
      maxQueueWaitMs: o.queueLimitFraction * o.timeoutMs,
      deadlineAware: policy.deadlineAware,
      serveOrder: o.queueOrder,
      // Seeded, so a simulated run of the random order replays exactly.
      random: () => queueOrderRandom.next(),
    });
    this.#deadlines = new DeadlineTimers(scheduler, (t) => this.#ends.expire(t));
    this.#standby =
      policy.deadlineAware && o.standby
        ? new Standby(scheduler, o.maxQueueLength, (t) =>
            this.#shed(t, 'deadline', scheduler.now() - t.submittedAtMs),
          )
        : undefined;
    this.#accumulator = new WindowAccumulator(scheduler.now());
    this.#ledger = new Ledger(this.#accumulator);
    this.#ends = new TicketEnds({
      scheduler,
      options: o,
      accumulator: this.#accumulator,
      queue: this.#queue,
      standby: this.#standby,
      ledger: this.#ledger,
      settle: (t, outcome, error, detail) => this.#settle(t, outcome, error, detail),
      pump: () => this.#pump(),
      whyExpired: () => pool.whyExpired?.(),
    });
    this.#connectionsTarget = policy.initialConnections(o);
    this.#steps = controlLoop(
      this.#accumulator,
      { capacity: () => pool.capacity(), queueLength: () => this.#queue.length },
      o,
      scheduler,
    ).pipe(
      map((s) => ({ ...s, decision: policy.decide(s.decision, this.#connectionsTarget) })),
      takeUntil(this.#stopped),
      share(),
    );
    this.decisions$ = this.#steps.pipe(map((s) => s.decision));
    this.windows$ = this.#steps.pipe(map((s) => s.window));
    this.samples$ = this.#ledger.samples$;
    this.#gate = policy.rateGated ? new RateGate(this.decisions$, o, scheduler) : undefined;
    this.#subscriptions.push(this.#steps.subscribe((s) => this.#onStep(s)));
  }

  /** The connection target now: what the driver's pool should hold. */
  get connectionsTarget(): number {
    return this.#connectionsTarget;
  }

  /**
   * Asks for a stream slot for one request. The handler's `onGrant` gets a
   * permit when a slot is free (at once, or from {@link capacityChanged});
   * `onSettle` gets the one result. A request that admission sheds, or that
   * arrives after {@link close}, settles before `acquire` returns. Returns
   * its {@link Acquisition}, whose `abort()` cancels it as its signal would
   * (a driver without an AbortSignal, such as undici's handlers, needs no
   * AbortController per request).
   */
  acquire<R>(request: AcquireOptions, handler: AcquireHandler<R>): Acquisition {
    const nowMs = this.scheduler.now();
    const budgetMs = request.budgetMs ?? this.options.timeoutMs;
    if (!(Number.isFinite(budgetMs) && budgetMs > 0)) {
      throw new InvalidOptionError('budgetMs', budgetMs, 'a finite number > 0');
    }
    const t = new Ticket<R>(this.#nextId++, nowMs, budgetMs, handler, this.#ends);
    if (request.waitOnly === true) t.waitOnly = true;
    this.#ledger.submitted();
    if (this.#closed) {
      this.#settle(t, 'failed', new ClosedError(breakdownAt(t, budgetMs, nowMs)));
      return t;
    }
    const signal = request.signal;
    if (signal?.aborted) {
      this.#settle(t, 'failed', new AbortedError(breakdownAt(t, budgetMs, nowMs), false));
      return t;
    }
    if (this.#gate && !this.#gate.tryTake()) {
      this.#shed(t, 'rate-limit', this.#gate.msUntilToken());
      return t;
    }
    const verdict = this.#queue.judge(budgetMs, this.#estimate());
    if (!verdict.admit) {
      // Only a predicted wait may wait out a latency transient on standby; a full queue may not.
      const standby = verdict.reason !== 'queue-full' && !t.waitOnly ? this.#standby : undefined;
      if (standby?.hold(t, nowMs)) this.#awaitEnd(t, signal);
      else this.#shed(t, verdict.reason, verdict.predictedWaitMs);
      return t;
    }
    this.#accumulator.admitted();
    this.#awaitEnd(t, signal);
    if (this.#queue.length === 0 && this.#pool.freeSlots() > 0) {
      // Nothing waits and a slot is free: granted now, never queued (no queue entry to make and drop).
      this.#grant(t);
    } else {
      this.#queue.push(t);
      this.#pump();
    }
    return t;
  }

  /** Arms a waiting ticket's deadline and its caller's abort. */
  #awaitEnd(t: Ticket<unknown>, signal: AbortSignal | undefined): void {
    t.awaitingDeadline = true;
    this.#deadlines.add(t);
    if (signal) {
      const onAbort = (): void => this.#ends.abort(t);
      signal.addEventListener('abort', onAbort, { once: true });
      t.detachAbort = () => signal.removeEventListener('abort', onAbort);
    }
  }

  /** Slots may have freed or sessions changed: grants waiting requests what is free now. */
  capacityChanged(): void {
    this.#pump();
  }

  /** A session-level congestion signal not tied to one request (e.g. GOAWAY with ENHANCE_YOUR_CALM). */
  congestion(kind: CongestionKind): void {
    this.#accumulator.congestion(kind);
  }

  /**
   * Fails every waiting request now with a `TransportError` of `details`:
   * for a path that cannot carry anything (the server does not speak
   * HTTP/2, its certificate is refused), whose requests would otherwise wait
   * out their budgets for a connection that will not come.
   */
  failWaiting(details: TransportErrorDetails): void {
    for (const t of this.#queue.drain()) this.#ends.failed(t, details);
    for (const t of this.#standby?.drain() ?? []) this.#ends.failed(t, details);
  }

  /** The counters now. They reconcile: submitted = succeeded + rejected + timedOut + failed + inFlight + queued. */
  stats(): ClientStats {
    return this.#ledger.stats();
  }

  /**
   * Stops admitting (new requests get `H2FLOW_CLOSED`) and resolves once
   * every waiting and granted request has settled within its own budget;
   * then the control loop stops and the observables complete.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closed = true;
      this.#closing = new Promise<void>((resolve) => {
        this.#onIdle = resolve;
        this.#checkIdle();
      }).then(() => {
        for (const s of this.#subscriptions) s.unsubscribe();
        this.#gate?.dispose();
        this.#deadlines.clear();
        this.#standby?.drain();
        this.#stopped.next();
        this.#stopped.complete();
        this.#ledger.close();
      });
    }
    return this.#closing;
  }

  /** Settles a ticket exactly once: it leaves the queue's, the heap's and the signal's hold, then the books. */
  #settle<R>(
    t: Ticket<R>,
    outcome: Outcome,
    error: H2flowError | undefined,
    detail: SettleDetail<R> = {},
  ): void {
    if (t.state === 'settled') return;
    const wasInFlight = t.state === 'in-flight';
    if (t.endAtMs !== undefined && t.dispatchedAtMs !== undefined && !t.streaming) {
      this.#standby?.served(t.endAtMs - t.dispatchedAtMs);
    }
    t.backoff?.unsubscribe();
    t.backoff = undefined;
    t.state = 'settled';
    if (t.awaitingDeadline) {
      t.awaitingDeadline = false;
      this.#deadlines.disarmed();
    }
    t.detachAbort?.();
    t.detachAbort = undefined;
    this.#ledger.settled(t, wasInFlight, outcome, error, detail, this.scheduler);
    this.#checkIdle();
  }

  #onStep(s: ControlStep): void {
    this.#lastWindow = s.window;
    // A window with no completions reports p99 0. Keep the last real one: after a stall
    // (SETTINGS_MAX_CONCURRENT_STREAMS 0, a dead server) the deadline rules would otherwise
    // send requests that cannot finish in time, to die as RST_STREAM(CANCEL) (test/faults).
    if (s.window.serviceP99Ms > 0) this.#serviceP99Ms = s.window.serviceP99Ms;
    this.#standby?.windowClosed(s.window.serviceP50Ms, s.state.baselineServiceMs);
    if (s.window.completed > 0) this.#drainMeasured = true;
    if (s.decision.connections !== this.#connectionsTarget) {
      this.#connectionsTarget = s.decision.connections;
      this.#pool.resize?.(this.#connectionsTarget);
    }
  }

  /** Grants queued requests the free stream slots. Re-entrant calls (from a driver's callbacks) fold into one loop. */
  #pump(): void {
    this.#pumpLoop.run();
  }

  #pumpOnce(): void {
    while (this.#queue.length > 0 && this.#pool.freeSlots() > 0) {
      // Empty-handed though not empty: what waits was set aside (`fifo-restart`), never to be granted.
      const next = this.#queue.shift();
      if (next === undefined || !this.#grant(next)) break;
    }
    // Only what nothing in the queue wants goes to standby: newest first, the most budget left.
    const standby = this.#standby;
    while (standby && this.#queue.length === 0 && this.#pool.freeSlots() > 0) {
      const next = standby.take();
      if (next === undefined || !this.#grant(next, standby.needMs)) break;
    }
    if (this.#queue.length > 0 && this.#pool.freeSlots() === 0) this.#growIfSlotBound();
  }

  /**
   * Grants one ticket its slot, if it has `needMs` of its budget left (the
   * service p99 by default; else it is shed unsent); false if the driver
   * found no slot after all (it is back in the queue).
   */
  #grant(t: Ticket<unknown>, needMs = this.#serviceP99Ms): boolean {
    const nowMs = this.scheduler.now();
    if (
      this.#policy.deadlineAware &&
      !t.waitOnly &&
      needMs > 0 &&
      t.deadlineAtMs - nowMs < needMs
    ) {
      // It would very likely expire on the wire and become an RST_STREAM: shed it unsent instead.
      this.#shed(t, 'deadline', nowMs - t.submittedAtMs);
      return true;
    }
    t.state = 'in-flight';
    if (t.waitOnly && t.awaitingDeadline) {
      // Its budget bounded the wait; in flight it has no deadline (and a retry waits at the head).
      t.awaitingDeadline = false;
      this.#deadlines.disarmed();
    }
    this.#ledger.granted();
    t.dispatchedAtMs = nowMs;
    t.streamDone = false;
    this.#accumulator.dispatched(nowMs, nowMs - t.submittedAtMs);
    t.handler?.onGrant(t);
    // The driver may have handed it back (`notSent`) from inside onGrant.
    return (t.state as TicketState) !== 'queued';
  }

  #growIfSlotBound(): void {
    const next = this.#policy.growWhenSlotBound(
      this.#connectionsTarget,
      this.#capacityNow,
      this.options,
    );
    if (next === undefined) return;
    this.#connectionsTarget = next;
    this.#pool.resize?.(next);
  }

  #shed(t: Ticket<unknown>, reason: OverloadReason, predictedWaitMs: number): void {
    this.#ledger.shed(reason);
    this.#settle(
      t,
      'rejected',
      new OverloadError(reason, predictedWaitMs, breakdownAt(t, t.budgetMs, this.scheduler.now())),
    );
  }

  /**
   * How fast the queue drains: the last window's completions; after a window
   * without any, the current rate. Before anything has completed there is no
   * evidence at all, so no wait is predicted (an infinite drain): a burst at
   * start-up waits for its connection rather than being shed against the
   * initial rate (400 requests at once, with 100 req/s assumed, lost 349),
   * and each request's own deadline still bounds its wait.
   */
  #estimate(): DrainEstimate {
    const w = this.#lastWindow;
    const completedTps = w && w.durationMs > 0 ? (w.completed * 1000) / w.durationMs : 0;
    const unmeasured = this.#drainMeasured ? (this.#gate?.rateTps ?? 0) : Infinity;
    // One object, rewritten per request: admission reads it at once and keeps nothing.
    const e = this.#drainEstimate;
    e.drainRateTps = completedTps > 0 ? completedTps : unmeasured;
    e.serviceP99Ms = this.#serviceP99Ms;
    return e;
  }

  #checkIdle(): void {
    if (this.#closed && this.#ledger.pending === 0 && this.#onIdle) {
      const resolve = this.#onIdle;
      this.#onIdle = undefined;
      resolve();
    }
  }
}
