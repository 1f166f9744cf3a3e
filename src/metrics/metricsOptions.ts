import type { Registry, RegistryContentType } from 'prom-client';
import { rejectUnknownKeys } from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/** A prom-client registry in either exposition format (Prometheus text or OpenMetrics). */
export type MetricsRegistry = Registry<RegistryContentType>;

/** Options of {@link ClientMetrics}. */
export interface MetricsOptions {
  /**
   * Value of the `origin` label on every series this client exports, normally
   * the URL origin it talks to (`createClient` passes it). Any non-empty
   * string. Default `'unknown'`.
   */
  readonly origin: string;
  /**
   * The prom-client registry to register the metrics on. Several clients may
   * share one (each metric is registered once per registry; clients differ by
   * `origin`). Default: none given, so each client gets a private
   * `new Registry()`; h2flow never registers on prom-client's global registry.
   */
  readonly registry?: MetricsRegistry | undefined;
}

/** Defaults for {@link MetricsOptions}. */
export const defaultMetricsOptions: MetricsOptions = Object.freeze({ origin: 'unknown' });

const metricsOptionNames = ['origin', 'registry'] as const;

/** Validates an `origin` label value: a non-empty string. Throws an {@link InvalidOptionError} naming `name`. */
export function requireOrigin(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(name, value, 'a non-empty string (the origin label value)');
  }
  return value;
}

/**
 * Validates a registry by shape rather than `instanceof`: an application may
 * load its own copy of prom-client, whose `Registry` class is a different
 * object from ours yet works the same. Throws an {@link InvalidOptionError}.
 */
export function requireRegistry(name: string, value: unknown): MetricsRegistry {
  const r = value as Partial<Record<'registerMetric' | 'getSingleMetric' | 'metrics', unknown>>;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof r.registerMetric !== 'function' ||
    typeof r.getSingleMetric !== 'function' ||
    typeof r.metrics !== 'function'
  ) {
    throw new InvalidOptionError(name, value, 'a prom-client Registry');
  }
  return value as MetricsRegistry;
}

/**
 * Merges `partial` over the defaults and validates it. Unknown keys are
 * errors. The registry is kept by reference, never copied or frozen: it is
 * the user's live object.
 */
export function resolveMetricsOptions(partial: Partial<MetricsOptions> = {}): MetricsOptions {
  if (typeof partial !== 'object' || partial === null) {
    throw new InvalidOptionError('metrics options', partial, 'an object');
  }
  rejectUnknownKeys('metrics options', partial, metricsOptionNames);
  const origin = requireOrigin('origin', partial.origin ?? defaultMetricsOptions.origin);
  if (partial.registry === undefined) return Object.freeze({ origin });
  return Object.freeze({ origin, registry: requireRegistry('registry', partial.registry) });
}
