import { Counter, Gauge, Histogram } from 'prom-client';
import { latencyBucketsSeconds, type MetricKey, metricDefinitions } from './metricNames.js';
import type { MetricsRegistry } from './metricsOptions.js';

/** The prom-client objects behind every h2flow metric on one registry. */
export interface H2flowMetricSet {
  /** `h2flow_requests_total{origin,outcome}`. */
  readonly requests: Counter<'origin' | 'outcome'>;
  /** `h2flow_wire_cancellations_total{origin}`. */
  readonly wireCancellations: Counter<'origin'>;
  /** `h2flow_queue_wait_seconds{origin}`. */
  readonly queueWait: Histogram<'origin'>;
  /** `h2flow_service_latency_seconds{origin}`. */
  readonly serviceLatency: Histogram<'origin'>;
  /** `h2flow_streams_in_flight{origin}`. */
  readonly streamsInFlight: Gauge<'origin'>;
  /** `h2flow_requests_queued{origin}`. */
  readonly requestsQueued: Gauge<'origin'>;
  /** `h2flow_sessions{origin,state}`. */
  readonly sessions: Gauge<'origin' | 'state'>;
  /** `h2flow_stream_slots_available{origin}`. */
  readonly streamSlotsAvailable: Gauge<'origin'>;
  /** `h2flow_rate_decision_requests_per_second{origin}`. */
  readonly rateDecision: Gauge<'origin'>;
  /** `h2flow_connections_target{origin}`. */
  readonly connectionsTarget: Gauge<'origin'>;
  /** `h2flow_congestion_events_total{origin,kind}`. */
  readonly congestionEvents: Counter<'origin' | 'kind'>;
  /** `h2flow_decisions_total{origin,reason}`. */
  readonly decisions: Counter<'origin' | 'reason'>;
  /** `h2flow_retries_total{origin}`. */
  readonly retries: Counter<'origin'>;
  /** `h2flow_rejected_requests_total{origin,reason}`. */
  readonly rejections: Counter<'origin' | 'reason'>;
}

/**
 * Something attached to a registry's metrics that supplies values at scrape
 * time, so nothing is tracked per request for them.
 */
export interface ScrapeCollector {
  /**
   * Brings `metric` up to date just before the registry reads it. For a
   * counter: add what happened since the last scrape. For a gauge: add this
   * collector's current value (the gauge was cleared first, so clients that
   * share an origin sum, and a detached client's series disappear).
   */
  collect(metric: MetricKey): void;
}

/**
 * The h2flow metrics registered on one prom-client registry, shared by every
 * client attached to it. prom-client refuses a second metric with the same
 * name on a registry, so clients of different origins must share these
 * objects and differ only by their `origin` label.
 */
export class RegistryMetrics {
  /** The prom-client metrics. */
  readonly metrics: H2flowMetricSet;
  readonly #registry: MetricsRegistry;
  readonly #collectors = new Set<ScrapeCollector>();
  readonly #histogramOrigins = new Set<string>();

  constructor(registry: MetricsRegistry) {
    this.#registry = registry;
    const scraped = (key: MetricKey) => () => {
      for (const c of this.#collectors) c.collect(key);
    };
    const counter = <L extends string>(
      key: MetricKey,
      labelNames: readonly L[],
      fromScrape: boolean,
    ): Counter<L> =>
      new Counter<L>({
        name: metricDefinitions[key].name,
        help: metricDefinitions[key].help,
        labelNames,
        // Never the prom-client default (the global registry): registration is explicit, below.
        registers: [],
        ...(fromScrape ? { collect: scraped(key) } : {}),
      });
    const gauge = <L extends string>(key: MetricKey, labelNames: readonly L[]): Gauge<L> => {
      const collectors = scraped(key);
      const g: Gauge<L> = new Gauge<L>({
        name: metricDefinitions[key].name,
        help: metricDefinitions[key].help,
        labelNames,
        registers: [],
        collect: () => {
          g.reset();
          collectors();
        },
      });
      return g;
    };
    const histogram = (key: MetricKey): Histogram<'origin'> =>
      new Histogram<'origin'>({
        name: metricDefinitions[key].name,
        help: metricDefinitions[key].help,
        labelNames: ['origin'],
        buckets: [...latencyBucketsSeconds],
        registers: [],
      });
    this.metrics = {
      requests: counter('requests', metricDefinitions.requests.labelNames, true),
      wireCancellations: counter(
        'wireCancellations',
        metricDefinitions.wireCancellations.labelNames,
        true,
      ),
      queueWait: histogram('queueWait'),
      serviceLatency: histogram('serviceLatency'),
      streamsInFlight: gauge('streamsInFlight', metricDefinitions.streamsInFlight.labelNames),
      requestsQueued: gauge('requestsQueued', metricDefinitions.requestsQueued.labelNames),
      sessions: gauge('sessions', metricDefinitions.sessions.labelNames),
      streamSlotsAvailable: gauge(
        'streamSlotsAvailable',
        metricDefinitions.streamSlotsAvailable.labelNames,
      ),
      rateDecision: gauge('rateDecision', metricDefinitions.rateDecision.labelNames),
      connectionsTarget: gauge('connectionsTarget', metricDefinitions.connectionsTarget.labelNames),
      congestionEvents: counter(
        'congestionEvents',
        metricDefinitions.congestionEvents.labelNames,
        false,
      ),
      decisions: counter('decisions', metricDefinitions.decisions.labelNames, false),
      retries: counter('retries', metricDefinitions.retries.labelNames, true),
      rejections: counter('rejections', metricDefinitions.rejections.labelNames, true),
    };
    this.#ensureRegistered();
  }

  /** Adds a collector; (re-)registers the metrics if the registry was cleared since. */
  attach(collector: ScrapeCollector, origin: string): void {
    this.#ensureRegistered();
    this.#collectors.add(collector);
    if (!this.#histogramOrigins.has(origin)) {
      // Zero the origin's series once so dashboards see 0 rather than "no data" before the
      // first request; zeroing again would wipe what another client of that origin observed.
      this.#histogramOrigins.add(origin);
      this.metrics.queueWait.zero({ origin });
      this.metrics.serviceLatency.zero({ origin });
    }
  }

  /** Removes a collector: its gauges stop being reported; its counters keep their totals. */
  detach(collector: ScrapeCollector): void {
    this.#collectors.delete(collector);
  }

  /**
   * Registers every metric that is not on the registry yet. Checks all names
   * first, so a clash (a metric of the same name registered by someone else)
   * fails before anything is registered.
   */
  #ensureRegistered(): void {
    const keys = Object.keys(metricDefinitions) as MetricKey[];
    const missing = keys.filter((key) => {
      const name = metricDefinitions[key].name;
      const existing: unknown = this.#registry.getSingleMetric(name);
      if (existing === undefined) return true;
      if (existing !== this.metrics[key]) {
        throw new Error(
          `h2flow metrics: the registry already holds a metric named ${name} that h2flow did not register`,
        );
      }
      return false;
    });
    for (const key of missing) this.#registry.registerMetric(this.metrics[key]);
  }
}

const perRegistry = new WeakMap<MetricsRegistry, RegistryMetrics>();

/**
 * The h2flow metrics on `registry`, created and registered on first use.
 * Keyed weakly, so a dropped registry takes its metrics with it.
 */
export function registryMetrics(registry: MetricsRegistry): RegistryMetrics {
  let set = perRegistry.get(registry);
  if (set === undefined) {
    set = new RegistryMetrics(registry);
    perRegistry.set(registry, set);
  }
  return set;
}
