import { Observable, type Subscription } from 'rxjs';
import type { CapacitySnapshot } from '../core/capacity.js';
import type { ClientStats } from '../core/clientStats.js';
import type { ControlWindow } from '../core/controlWindow.js';
import type { Decision } from '../core/decision.js';
import type { RequestSample } from '../core/sample.js';
import type { TransportErrorDetails } from '../errors/TransportError.js';
import { Limiter, type LimiterPool } from '../limiter/Limiter.js';
import type { MetricsRegistry } from '../metrics/metricsOptions.js';
import { OnDemandMetrics } from '../metrics/onDemandMetrics.js';
import type { Transport, TransportEvent } from '../transport/Transport.js';
import {
  type ClientOptions,
  clientOnlyOptionNames,
  resolveClientOptions,
} from './clientOptions.js';
import { type ClientRequest, type ClientResponse, normalizeRequest } from './clientRequest.js';
import { Job, type SettleCallback } from './job.js';
import { StreamJob } from './streamJob.js';
import {
  normalizeStreamRequest,
  type StreamControl,
  type StreamRequest,
  type StreamSink,
} from './streamRequest.js';

/** ENHANCE_YOUR_CALM (RFC 9113 §7). */
const enhanceYourCalmCode = 0xb;

/**
 * The h2flow client: a {@link Limiter} (admission, queue, deadlines, the
 * control loop) driving a {@link Transport} (real `node:http2` or
 * simulated). It turns caller requests into limiter acquisitions and
 * transport streams, and session events into the limiter's signals. Every
 * request settles exactly once, with a response or a typed error carrying
 * its budget breakdown.
 *
 * All time and timers come from `transport.scheduler`, so the same client
 * runs on the real clock and in the simulator's virtual time.
 */
export class AdaptiveClient {
  /** The resolved options. */
  readonly options: ClientOptions;
  /** The controller this client drives its transport with. */
  readonly limiter: Limiter;
  /** One decision per control window (`rateTps` 0 means "not rate-controlled" for non-adaptive policies). */
  readonly decisions$: Observable<Decision>;
  /** The statistics of each control window. */
  readonly windows$: Observable<ControlWindow>;
  /** One sample per settled request, emitted synchronously as it settles. */
  readonly samples$: Observable<RequestSample>;
  /** Slots and windows per session, whenever sessions change. */
  readonly capacity$: Observable<CapacitySnapshot>;

  readonly #transport: Transport;
  readonly #subscriptions: Subscription[];
  readonly #metrics: OnDemandMetrics;
  /** The last connection failure, until a session becomes ready again. */
  #connectionError: Extract<TransportEvent, { kind: 'connection-error' }> | undefined;
  #closing: Promise<void> | undefined;

  constructor(transport: Transport, options: Partial<ClientOptions> = {}) {
    this.options = resolveClientOptions(options);
    this.#transport = transport;
    const pool: LimiterPool = {
      freeSlots: () => transport.freeSlots(),
      capacity: () => transport.capacity(),
      resize: (connections) => transport.resize(connections),
      whyExpired: () => this.#whyExpired(),
    };
    this.limiter = new Limiter(pool, this.options, transport.scheduler, clientOnlyOptionNames);
    this.decisions$ = this.limiter.decisions$;
    this.windows$ = this.limiter.windows$;
    this.samples$ = this.limiter.samples$;
    this.capacity$ = transport.capacity$;
    // Before anything else subscribes, so a registry clash throws with nothing to undo.
    this.#metrics = new OnDemandMetrics(this.limiter, () => transport.capacity(), {
      origin: this.options.origin,
      registry: this.options.metricsRegistry,
    });
    this.#subscriptions = [
      transport.capacity$.subscribe(() => this.limiter.capacityChanged()),
      transport.events$.subscribe((e) => this.#transportEvent(e)),
    ];
    transport.resize(this.limiter.connectionsTarget);
  }

  /**
   * The prom-client registry holding this client's metrics:
   * `options.metricsRegistry`, or a private one made on first use (its
   * counters hold every request from the start; its latency histograms,
   * the requests settled since).
   */
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
   * synchronously in virtual time. The callback is always called
   * synchronously by whatever settles the request: by `send` itself, before
   * it returns, for a request shed at admission, aborted already, or sent
   * after `close()`; otherwise from the transport's or the clock's event. A
   * malformed request throws an `InvalidOptionError` and is not counted.
   */
  send(request: ClientRequest, callback: SettleCallback): void {
    const req = normalizeRequest(request);
    const job = new Job(req, this.options.maxResponseBytes, this.#transport, callback);
    this.limiter.acquire({ budgetMs: req.timeoutMs, signal: request.signal }, job);
  }

  /**
   * Sends a request and hands its response to `sink` as it arrives (what
   * `h2flow/undici` drives): HEADERS and each DATA chunk, with pause and
   * resume, then exactly one `onEnd` or `onError`. The body may be chunks
   * from an async iterable. The budget runs from now to the response's last
   * byte, so a reader that stalls a paused stream spends it. Shed, expired,
   * aborted and failed requests reach `onError` as `send`'s do; a malformed
   * request throws an `InvalidOptionError`.
   */
  stream(request: StreamRequest, sink: StreamSink): StreamControl {
    const req = normalizeStreamRequest(request);
    const job = new StreamJob(req, this.#transport, sink);
    job.started(this.limiter.acquire({ budgetMs: req.timeoutMs, signal: request.signal }, job));
    return job;
  }

  /** The counters now. They reconcile: submitted = succeeded + rejected + timedOut + failed + inFlight + queued. */
  stats(): ClientStats {
    return this.limiter.stats();
  }

  /**
   * Closes gracefully: new requests get `H2FLOW_CLOSED`; queued and in-flight
   * ones finish or fail within their own budgets; then the sessions close.
   */
  close(): Promise<void> {
    this.#closing ??= this.limiter
      .close()
      .then(() => this.#transport.close())
      .finally(() => {
        for (const s of this.#subscriptions) s.unsubscribe();
        this.#metrics.close();
      });
    return this.#closing;
  }

  /** Why a request waited out its budget: no session could be established (with the last cause), or load. */
  #whyExpired(): TransportErrorDetails | undefined {
    const lost = this.#connectionError;
    if (lost === undefined || this.#transport.capacity().readySessions > 0) return undefined;
    return {
      failure: 'connect',
      detail: `no session could be established before the deadline: ${lost.detail}`,
      ...(lost.causeCode === undefined ? {} : { causeCode: lost.causeCode }),
    };
  }

  #transportEvent(event: TransportEvent): void {
    if (event.kind === 'goaway' && event.errorCode !== 0) {
      this.limiter.congestion(
        event.errorCode === enhanceYourCalmCode ? 'enhanceYourCalm' : 'goawayError',
      );
    } else if (event.kind === 'connection-error') {
      // A lost or refused connection is no load signal: the window's ready sessions tell the path.
      this.#connectionError = event;
      // One that will not come good soon fails the waiting requests now, with its cause.
      if (event.lasting === true && this.#transport.capacity().readySessions === 0) {
        this.limiter.failWaiting(this.#whyExpired()!);
      }
    } else if (event.kind === 'session-ready') {
      this.#connectionError = undefined;
    }
  }
}
