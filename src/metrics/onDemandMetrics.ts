import { ClientMetrics } from './clientMetrics.js';
import type { MetricsOptions, MetricsRegistry } from './metricsOptions.js';
import type { MetricsSource } from './metricsSource.js';

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

  /** Starts at once if `options.registry` is given (a registry clash throws here). */
  constructor(source: MetricsSource, options: Partial<MetricsOptions>) {
    this.#source = source;
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
