import {
  type ControllerOptions,
  controllerOptionNames,
  defaultControllerOptions,
  resolveControllerOptions,
} from '../core/controllerOptions.js';
import { rejectUnknownKeys, requireAbove, requireInteger, requireOneOf } from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import {
  defaultMetricsOptions,
  type MetricsRegistry,
  requireOrigin,
  requireRegistry,
} from '../metrics/metricsOptions.js';
import type { QueueServeOrder } from '../streams/admissionQueue.js';

/**
 * How the client decides rate and connections:
 * - `adaptive` (default): h2flow's controller — AIMD rate, Little's-law connections, deadline-aware admission;
 * - `fixed`: `connections` sessions, no rate control, an unbounded (length-capped) queue and one
 *   deadline per request that cancels on the wire when it fires in flight — the naive client, for comparison;
 * - `new-connection`: no rate control; opens another session whenever every stream slot is busy,
 *   up to `maxConnections` — Go's default transport, for comparison.
 */
export type ClientPolicy = 'adaptive' | 'fixed' | 'new-connection';

/** Options of an {@link AdaptiveClient}: the controller's options plus the client's own. */
export interface ClientOptions extends ControllerOptions {
  /** Rate and connection policy. Default `'adaptive'`. */
  readonly policy: ClientPolicy;
  /** Sessions for the `fixed` policy. Default 1. */
  readonly connections: number;
  /** Most requests waiting in the queue; more are shed with `queue-full`. Default 100,000. */
  readonly maxQueueLength: number;
  /** Longest response body accepted, bytes; a longer one fails and its stream is reset. Default 16 MiB. */
  readonly maxResponseBytes: number;
  /** Token-bucket depth, in ms of the current rate. Default 100. */
  readonly burstMs: number;
  /** Base backoff before retrying after ENHANCE_YOUR_CALM or REFUSED_STREAM, ms (jittered ×0.5–1.5). Default 50. */
  readonly retryBackoffMs: number;
  /**
   * Which waiting request a free stream slot goes to: `fifo`, the oldest
   * (as nghttp2 queues streams past the limit, so Node's http2 and grpc-js);
   * `random`, any waiter with equal chance (Go's x/net/http2 strict
   * transport, which wakes its waiters with `sync.Cond.Broadcast`). Meant for
   * the comparison policies. Default `fifo`.
   */
  readonly queueOrder: QueueServeOrder;
  /** Value of the `origin` label on this client's metrics (`createClient` passes the URL origin). Default `'unknown'`. */
  readonly origin: string;
  /**
   * prom-client registry for this client's metrics; many clients may share one
   * (told apart by `origin`). Kept by reference, never copied. Default: none,
   * so the client creates a private registry (never prom-client's global one).
   */
  readonly metricsRegistry?: MetricsRegistry | undefined;
}

/** Defaults for {@link ClientOptions}. */
export const defaultClientOptions: ClientOptions = Object.freeze({
  ...defaultControllerOptions,
  policy: 'adaptive',
  connections: 1,
  maxQueueLength: 100_000,
  maxResponseBytes: 16 * 1024 * 1024,
  burstMs: 100,
  retryBackoffMs: 50,
  queueOrder: 'fifo',
  origin: defaultMetricsOptions.origin,
});

const clientOnlyNames = [
  'policy',
  'connections',
  'maxQueueLength',
  'maxResponseBytes',
  'burstMs',
  'retryBackoffMs',
  'queueOrder',
  'origin',
  'metricsRegistry',
] as const;

/** Every option name a client accepts. */
export const clientOptionNames: readonly string[] = [...controllerOptionNames, ...clientOnlyNames];

/**
 * Merges `partial` over the defaults and validates every field, throwing an
 * `InvalidOptionError` (a RangeError) that names the first bad option and
 * its value. Unknown keys are errors too, so a typo never becomes a default.
 */
export function resolveClientOptions(partial: Partial<ClientOptions> = {}): ClientOptions {
  if (typeof partial !== 'object' || partial === null) {
    throw new InvalidOptionError('options', partial, 'an object');
  }
  rejectUnknownKeys('options', partial, clientOptionNames);
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const merged = { ...defaultClientOptions, ...defined } as ClientOptions;
  requireOneOf('policy', merged.policy, ['adaptive', 'fixed', 'new-connection'] as const);
  requireInteger('connections', merged.connections, 1, 1024);
  if (merged.policy === 'fixed' && partial.maxConnections === undefined) {
    // A fixed pool of N needs room for N; lift the adaptive default cap so `connections` alone suffices.
    (merged as { maxConnections: number }).maxConnections = Math.max(
      merged.maxConnections,
      merged.connections,
    );
  }
  if (merged.policy === 'fixed' && merged.connections > merged.maxConnections) {
    throw new InvalidOptionError(
      'connections',
      merged.connections,
      `<= maxConnections (${merged.maxConnections})`,
    );
  }
  requireInteger('maxQueueLength', merged.maxQueueLength, 1);
  requireInteger('maxResponseBytes', merged.maxResponseBytes, 0);
  requireAbove('burstMs', merged.burstMs, 0);
  requireAbove('retryBackoffMs', merged.retryBackoffMs, 0);
  requireOneOf('queueOrder', merged.queueOrder, ['fifo', 'random'] as const);
  requireOrigin('origin', merged.origin);
  if (merged.metricsRegistry !== undefined)
    requireRegistry('metricsRegistry', merged.metricsRegistry);
  const controller = resolveControllerOptions(merged);
  return Object.freeze({ ...merged, ...controller });
}
