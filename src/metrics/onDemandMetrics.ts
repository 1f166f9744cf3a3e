import type { CapacitySnapshot } from '../core/capacity.js';
import { ClientMetrics } from './clientMetrics.js';
import type { MetricsOptions, MetricsRegistry } from './metricsOptions.js';
import type { MetricsSource } from './metricsSource.js';

/** What metrics read of a limiter: its streams and its counters (a `Limiter` is one). */
export type LimiterMetricsSource = Omit<MetricsSource, 'capacity'>;

/**
 * A client's metrics, opt-in: started at once on the registry the options
 * give, or on a private registry at the first call to {@link registry} or
 * {@link metrics}; until then no prom-client code runs. What the client and
 * the gRPC channel each hold.
 */
export class OnDemandMetrics {
  readonly #source: MetricsSource;
  readonly #options: Partial<MetricsOptions>;
  #metrics: ClientMetrics | undefined;

  /**
   * Metrics of `limiter` and of the pool whose `capacity` it drives. Starts
   * at once if `options.registry` is given (a registry clash throws here).
   */
  constructor(
    limiter: LimiterMetricsSource,
    capacity: () => CapacitySnapshot,
    options: Partial<MetricsOptions>,
  ) {
    this.#source = {
      samples$: limiter.samples$,
      decisions$: limiter.decisions$,
      windows$: limiter.windows$,
      stats: () => limiter.stats(),
      capacity,
    };
    this.#options = options;
    if (options.registry !== undefined) this.#started();
  }

  /** The registry holding the metrics (started if not yet). */
  get registry(): MetricsRegistry {
    return this.#started().registry;
  }

  /** The exposition text of {@link registry} (started if not yet). */
  metrics(): Promise<string> {
    return this.#started().metrics();
  }

  /** Brings the counters up to date and detaches, if started. Idempotent. */
  close(): void {
    this.#metrics?.close();
  }

  #started(): ClientMetrics {
    this.#metrics ??= new ClientMetrics(this.#source, this.#options);
    return this.#metrics;
  }
}
