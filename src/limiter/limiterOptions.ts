import {
  type ControllerOptions,
  controllerOptionNames,
  defaultControllerOptions,
  resolveControllerOptions,
} from '../core/controllerOptions.js';
import { rejectUnknownKeys, requireAbove, requireInteger, requireOneOf } from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type { QueueServeOrder } from '../streams/admissionQueue.js';

/**
 * How a limiter decides rate and connections:
 * - `adaptive` (default): h2flow's controller — the rate, Little's-law connections, deadline-aware admission;
 * - `fixed`: `connections` sessions, no rate control, an unbounded (length-capped) queue and one
 *   deadline per request that cancels on the wire when it fires in flight — the naive client, for comparison;
 * - `new-connection`: no rate control; one more session whenever every stream slot is busy,
 *   up to `maxConnections` — Go's default transport, for comparison.
 */
export type LimiterPolicy = 'adaptive' | 'fixed' | 'new-connection';

/** Options of a {@link Limiter}: the controller's options plus admission's. */
export interface LimiterOptions extends ControllerOptions {
  /** Rate and connection policy. Default `'adaptive'`. */
  readonly policy: LimiterPolicy;
  /** Sessions for the `fixed` policy. Default 1. */
  readonly connections: number;
  /** Most requests waiting in the queue; more are shed with `queue-full`. Default 100,000. */
  readonly maxQueueLength: number;
  /** Token-bucket depth, in ms of the current rate. Default 100. */
  readonly burstMs: number;
  /** Base backoff before retrying after ENHANCE_YOUR_CALM or REFUSED_STREAM, ms (jittered ×0.5–1.5). Default 50. */
  readonly retryBackoffMs: number;
  /**
   * Which waiting request a free stream slot goes to: `fifo`, the oldest
   * (as nghttp2 queues streams past the limit, so Node's http2 and grpc-js);
   * `fifo-restart`, the oldest until a request expires in flight, when the
   * backlog is set aside and service restarts with later arrivals (what Go's
   * x/net/http2 strict transport was measured to do, docs/load.md);
   * `lifo`, the newest; `random`, any waiter with equal chance. Meant for
   * the comparison policies. Default `fifo`.
   */
  readonly queueOrder: QueueServeOrder;
  /**
   * Deadline-aware policies: through a latency transient (a window's service
   * p50 above 3 × the baseline), a request admission would shed for its
   * predicted wait waits on standby instead. It takes a free slot only while
   * nothing is queued and the latest completions are back under twice the
   * baseline, newest first; it is shed unsent (`deadline`) once less than
   * that is left of its budget. So a spike costs no more than a plain client
   * loses, and a congested path sheds at once as without it. `false` always
   * sheds at once. Default `true` (docs/controller.md, "Standby").
   */
  readonly standby: boolean;
}

/** Defaults for {@link LimiterOptions}. */
export const defaultLimiterOptions: LimiterOptions = Object.freeze({
  ...defaultControllerOptions,
  policy: 'adaptive',
  connections: 1,
  maxQueueLength: 100_000,
  burstMs: 100,
  retryBackoffMs: 50,
  queueOrder: 'fifo',
  standby: true,
});

const limiterOnlyNames = [
  'policy',
  'connections',
  'maxQueueLength',
  'burstMs',
  'retryBackoffMs',
  'queueOrder',
  'standby',
] as const;

/** Every option name a limiter accepts. */
export const limiterOptionNames: readonly string[] = [
  ...controllerOptionNames,
  ...limiterOnlyNames,
];

/**
 * Merges `partial` over the defaults and validates every field, throwing an
 * `InvalidOptionError` (a RangeError) that names the first bad option and
 * its value. Unknown keys are errors too (beyond `extraNames`, which a
 * caller such as the client validates itself), so a typo never becomes a
 * default.
 */
export function resolveLimiterOptions(
  partial: Partial<LimiterOptions> = {},
  extraNames: readonly string[] = [],
): LimiterOptions {
  if (typeof partial !== 'object' || partial === null) {
    throw new InvalidOptionError('options', partial, 'an object');
  }
  rejectUnknownKeys('options', partial, [...limiterOptionNames, ...extraNames]);
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const merged = { ...defaultLimiterOptions, ...defined } as LimiterOptions;
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
  requireAbove('burstMs', merged.burstMs, 0);
  requireAbove('retryBackoffMs', merged.retryBackoffMs, 0);
  requireOneOf('queueOrder', merged.queueOrder, [
    'fifo',
    'fifo-restart',
    'lifo',
    'random',
  ] as const);
  if (typeof merged.standby !== 'boolean') {
    throw new InvalidOptionError('standby', merged.standby, 'true or false');
  }
  // It reads only its own keys.
  const controller = resolveControllerOptions(merged);
  return Object.freeze({ ...merged, ...controller });
}
