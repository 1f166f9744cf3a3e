import { type Counter, type Gauge, type Histogram, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import { type CongestionKind, congestionKinds } from '../core/congestion.js';
import type { ControlWindow } from '../core/controlWindow.js';
import { type Decision, type DecisionReason, decisionReasons } from '../core/decision.js';
import type { Outcome, RequestSample } from '../core/sample.js';
import type { OverloadReason } from '../errors/OverloadError.js';
import {
  congestionKindLabels,
  decisionReasonLabels,
  outcomeLabels,
  type ReportedSessionState,
  rejectionReasonLabels,
  sessionStateLabels,
} from './metricLabels.js';
import type { MetricKey } from './metricNames.js';
import {
  type MetricsOptions,
  type MetricsRegistry,
  resolveMetricsOptions,
} from './metricsOptions.js';
import type { MetricsSource, MetricsStats } from './metricsSource.js';
import { type RegistryMetrics, registryMetrics, type ScrapeCollector } from './registryMetrics.js';

const outcomes = Object.keys(outcomeLabels) as readonly Outcome[];
const rejectionReasons = Object.keys(rejectionReasonLabels) as readonly OverloadReason[];

/** The part of {@link MetricsStats} that the scrape-synced counters mirror. */
type Counted = {
  -readonly [K in Outcome | 'cancelledOnWire' | 'retries']: number;
} & { rejectedByReason: Record<OverloadReason, number> };

/** Builds one cached label child per key, so recording never resolves labels again. */
function childrenOf<K extends string, C>(keys: readonly K[], child: (key: K) => C): Record<K, C> {
  return Object.fromEntries(keys.map((k) => [k, child(k)])) as Record<K, C>;
}

/** Adds to `child` what `total` grew by since `counted`; returns the new count. */
function advance(child: Counter.Internal, total: number, counted: number): number {
  if (total > counted) child.inc(total - counted);
  return total;
}

/**
 * Exports one client's behaviour as Prometheus metrics (names in
 * `metricNames.ts`), on a registry the user passes in or on a private one.
 *
 * The per-request cost is kept to the two latency histograms, fed from
 * `samples$` through label children resolved once. Everything the client
 * already counts (outcomes, cancellations, retries, rejections, in-flight,
 * queued) and the transport's capacity are read at scrape time through
 * prom-client `collect()` callbacks instead; congestion kinds and decision
 * reasons arrive once per control window.
 *
 * Several clients may share a registry: the metric objects are shared per
 * registry and each client writes only its `origin`'s series. Clients of the
 * same origin on one registry add up.
 */
export class ClientMetrics implements ScrapeCollector {
  /** The registry the metrics are registered on. */
  readonly registry: MetricsRegistry;
  /** This client's `origin` label value. */
  readonly origin: string;

  readonly #source: MetricsSource;
  readonly #shared: RegistryMetrics;
  readonly #subscriptions: Subscription[];
  readonly #outcomes: Readonly<Record<Outcome, Counter.Internal>>;
  readonly #wireCancellations: Counter.Internal;
  readonly #retries: Counter.Internal;
  readonly #rejections: Readonly<Record<OverloadReason, Counter.Internal>>;
  readonly #congestion: Readonly<Record<CongestionKind, Counter.Internal>>;
  readonly #decisions: Readonly<Record<DecisionReason, Counter.Internal>>;
  readonly #queueWait: Histogram.Internal<'origin'>;
  readonly #serviceLatency: Histogram.Internal<'origin'>;
  readonly #inFlight: Gauge.Internal<'origin'>;
  readonly #queued: Gauge.Internal<'origin'>;
  readonly #sessions: Readonly<Record<ReportedSessionState, Gauge.Internal<'origin' | 'state'>>>;
  readonly #slotsAvailable: Gauge.Internal<'origin'>;
  readonly #rateDecision: Gauge.Internal<'origin'>;
  readonly #connectionsTarget: Gauge.Internal<'origin'>;
  /** The source totals the scrape-synced counters have been advanced to. */
  readonly #counted: Counted = {
    succeeded: 0,
    rejected: 0,
    timedOut: 0,
    failed: 0,
    cancelledOnWire: 0,
    retries: 0,
    rejectedByReason: {
      'rate-limit': 0,
      'queue-full': 0,
      'queue-wait': 0,
      deadline: 0,
      'no-capacity': 0,
    },
  };
  #lastDecision: Decision | undefined;
  #closed = false;

  /** Registers (once per registry) and starts observing `source`. Throws an `InvalidOptionError` for bad options. */
  constructor(source: MetricsSource, options: Partial<MetricsOptions> = {}) {
    const o = resolveMetricsOptions(options);
    this.origin = o.origin;
    this.registry = o.registry ?? new Registry();
    this.#source = source;
    this.#shared = registryMetrics(this.registry);
    const m = this.#shared.metrics;
    const origin = this.origin;
    this.#outcomes = childrenOf(outcomes, (k) => m.requests.labels(origin, outcomeLabels[k]));
    this.#wireCancellations = m.wireCancellations.labels(origin);
    this.#retries = m.retries.labels(origin);
    this.#rejections = childrenOf(rejectionReasons, (k) =>
      m.rejections.labels(origin, rejectionReasonLabels[k]),
    );
    this.#congestion = childrenOf(congestionKinds, (k) =>
      m.congestionEvents.labels(origin, congestionKindLabels[k]),
    );
    this.#decisions = childrenOf(decisionReasons, (k) =>
      m.decisions.labels(origin, decisionReasonLabels[k]),
    );
    this.#queueWait = m.queueWait.labels(origin);
    this.#serviceLatency = m.serviceLatency.labels(origin);
    this.#inFlight = m.streamsInFlight.labels(origin);
    this.#queued = m.requestsQueued.labels(origin);
    this.#sessions = childrenOf(sessionStateLabels, (k) => m.sessions.labels(origin, k));
    this.#slotsAvailable = m.streamSlotsAvailable.labels(origin);
    this.#rateDecision = m.rateDecision.labels(origin);
    this.#connectionsTarget = m.connectionsTarget.labels(origin);
    // Every counter series exists from the start at 0, so rate() and absent() behave on a fresh client.
    for (const children of [this.#outcomes, this.#rejections, this.#congestion, this.#decisions])
      for (const child of Object.values(children)) child.inc(0);
    this.#wireCancellations.inc(0);
    this.#retries.inc(0);
    this.#shared.attach(this, origin);
    this.#subscriptions = [
      source.samples$.subscribe((s) => this.#onSample(s)),
      source.windows$.subscribe((w) => this.#onWindow(w)),
      source.decisions$.subscribe((d) => this.#onDecision(d)),
    ];
  }

  /** The exposition text of the whole registry (every client on it), in its content type. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** Supplies this client's values for `metric` at scrape time (see {@link ScrapeCollector}). */
  collect(metric: MetricKey): void {
    switch (metric) {
      case 'requests': {
        const s = this.#source.stats();
        for (const o of outcomes)
          this.#counted[o] = advance(this.#outcomes[o], s[o], this.#counted[o]);
        return;
      }
      case 'wireCancellations': {
        const total = this.#source.stats().cancelledOnWire;
        this.#counted.cancelledOnWire = advance(
          this.#wireCancellations,
          total,
          this.#counted.cancelledOnWire,
        );
        return;
      }
      case 'retries': {
        const total = this.#source.stats().retries;
        this.#counted.retries = advance(this.#retries, total, this.#counted.retries);
        return;
      }
      case 'rejections': {
        const byReason = this.#source.stats().rejectedByReason;
        const counted = this.#counted.rejectedByReason;
        for (const r of rejectionReasons)
          counted[r] = advance(this.#rejections[r], byReason[r], counted[r]);
        return;
      }
      case 'streamsInFlight':
        this.#inFlight.inc(this.#source.stats().inFlight);
        return;
      case 'requestsQueued':
        this.#queued.inc(this.#source.stats().queued);
        return;
      case 'sessions': {
        let connecting = 0;
        let ready = 0;
        let draining = 0;
        for (const s of this.#source.capacity().sessions) {
          if (s.state === 'connecting') connecting++;
          else if (s.state === 'ready') ready++;
          else if (s.state === 'draining') draining++;
        }
        this.#sessions.connecting.inc(connecting);
        this.#sessions.ready.inc(ready);
        this.#sessions.draining.inc(draining);
        return;
      }
      case 'streamSlotsAvailable':
        this.#slotsAvailable.inc(this.#source.capacity().slotsAvailable);
        return;
      case 'rateDecision':
        if (this.#lastDecision) this.#rateDecision.inc(this.#lastDecision.rateTps);
        return;
      case 'connectionsTarget':
        if (this.#lastDecision) this.#connectionsTarget.inc(this.#lastDecision.connections);
        return;
      default:
        // Histograms, congestion events and decisions are recorded as events arrive.
        return;
    }
  }

  /**
   * Stops observing: brings the counters up to date one last time, then
   * detaches. Counters and histograms keep their totals on the registry;
   * this client's gauges are no longer reported. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#subscriptions) s.unsubscribe();
    for (const key of ['requests', 'wireCancellations', 'retries', 'rejections'] as const)
      this.collect(key);
    this.#shared.detach(this);
  }

  #onSample(sample: RequestSample): void {
    const dispatchedAtMs = sample.dispatchedAtMs;
    if (dispatchedAtMs === undefined) return;
    this.#queueWait.observe((dispatchedAtMs - sample.submittedAtMs) / 1000);
    if (sample.endAtMs !== undefined && sample.streaming !== true)
      this.#serviceLatency.observe((sample.endAtMs - dispatchedAtMs) / 1000);
  }

  #onWindow(window: ControlWindow): void {
    const counts = window.congestion;
    for (const kind of congestionKinds) {
      const n = counts[kind];
      if (n > 0) this.#congestion[kind].inc(n);
    }
  }

  #onDecision(decision: Decision): void {
    this.#lastDecision = decision;
    this.#decisions[decision.reason].inc();
  }
}
