import { requireInteger } from '../core/validate.js';
import {
  defaultLimiterOptions,
  type LimiterOptions,
  type LimiterPolicy,
  limiterOptionNames,
  resolveLimiterOptions,
} from '../limiter/limiterOptions.js';
import {
  defaultMetricsOptions,
  type MetricsRegistry,
  requireOrigin,
  requireRegistry,
} from '../metrics/metricsOptions.js';

/** How the client decides rate and connections (the limiter's policies). */
export type ClientPolicy = LimiterPolicy;

/** Options of an {@link AdaptiveClient}: its limiter's options plus the client's own. */
export interface ClientOptions extends LimiterOptions {
  /** Longest response body accepted, bytes; a longer one fails and its stream is reset. Default 16 MiB. */
  readonly maxResponseBytes: number;
  /** Value of the `origin` label on this client's metrics (`createClient` passes the URL origin). Default `'unknown'`. */
  readonly origin: string;
  /**
   * prom-client registry for this client's metrics; many clients may share one
   * (told apart by `origin`). Kept by reference, never copied. Default: none.
   * Metrics are opt-in: without a registry no prom-client code runs per
   * request, and a private registry (never prom-client's global one) is made
   * on the first call to `metrics()` or `metricsRegistry`.
   */
  readonly metricsRegistry?: MetricsRegistry | undefined;
}

/** Defaults for {@link ClientOptions}. */
export const defaultClientOptions: ClientOptions = Object.freeze({
  ...defaultLimiterOptions,
  maxResponseBytes: 16 * 1024 * 1024,
  origin: defaultMetricsOptions.origin,
});

/** The client's options that are not its limiter's. */
export const clientOnlyOptionNames = ['maxResponseBytes', 'origin', 'metricsRegistry'] as const;

/** Every option name a client accepts. */
export const clientOptionNames: readonly string[] = [
  ...limiterOptionNames,
  ...clientOnlyOptionNames,
];

/**
 * Merges `partial` over the defaults and validates every field, throwing an
 * `InvalidOptionError` (a RangeError) that names the first bad option and
 * its value. Unknown keys are errors too, so a typo never becomes a default.
 */
export function resolveClientOptions(partial: Partial<ClientOptions> = {}): ClientOptions {
  const limiter = resolveLimiterOptions(partial, clientOnlyOptionNames);
  const merged = { ...defaultClientOptions, ...definedOf(partial), ...limiter } as ClientOptions;
  requireInteger('maxResponseBytes', merged.maxResponseBytes, 0);
  requireOrigin('origin', merged.origin);
  if (merged.metricsRegistry !== undefined)
    requireRegistry('metricsRegistry', merged.metricsRegistry);
  return Object.freeze(merged);
}

function definedOf(partial: object): object {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
}
