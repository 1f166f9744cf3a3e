import {
  rejectUnknownKeys,
  requireAbove,
  requireHttpUrl,
  requireInteger,
  requireNumber,
  requireOneOf,
} from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { defaultExpectedStatuses, type StatusRange } from './expectedStatuses.js';

/**
 * How the load generator's client behaves:
 * - `naive`: the seed's client (golang/go#52845) — the client's `fixed`
 *   policy with `connections` sessions, no rate control, one deadline for
 *   the whole request that cancels on the wire when it fires in flight, and
 *   its waiters served as Go's x/net/http2 transport with
 *   StrictMaxConcurrentStreams was measured to serve them
 *   (`queueOrder: 'fifo-restart'`): oldest first, until requests sent too
 *   late expire in flight; then the backlog is left to time out unsent while
 *   later arrivals are served;
 * - `naive-fifo`: the same with its waiters served oldest first, as nghttp2
 *   queues streams past the limit (Node's http2 and grpc-js clients): the
 *   queue then serves only requests about to expire, and goodput collapses;
 * - `adaptive`: h2flow's controller, allowed up to `maxConnections`.
 */
export type LoadPolicy = 'naive' | 'naive-fifo' | 'adaptive';

/** Every load policy, in the order reports show them. */
export const loadPolicies: readonly LoadPolicy[] = ['naive', 'naive-fifo', 'adaptive'];

/** True for the comparison policies that take `connections` (`naive`, `naive-fifo`). */
export function isNaivePolicy(policy: LoadPolicy): boolean {
  return policy !== 'adaptive';
}

/** Options of one open-loop load run ({@link runLoad}). */
export interface LoadOptions {
  /** Target URL, `http://` (h2c, prior knowledge) or `https://` (TLS, ALPN h2); its path and query are requested. No default. */
  readonly url: string;
  /** Offered rate, requests per second, held whatever the responses do. No default. */
  readonly rateTps: number;
  /** Length of the arrival phase, ms; the run then waits (at most one timeout) for requests still open. Default 10,000. */
  readonly durationMs: number;
  /** Most requests sent, count; the run stops offering at whichever bound comes first. Default Infinity. */
  readonly maxRequests: number;
  /** The whole budget of one request, submit to response end, ms. Default 5000. */
  readonly timeoutMs: number;
  /** Client policy. Default `'adaptive'`. */
  readonly policy: LoadPolicy;
  /** Sessions of the `naive` and `naive-fifo` policies, count. Default 1. */
  readonly connections: number;
  /** Most sessions the `adaptive` policy may open, count. Default 8 (the controller's default). */
  readonly maxConnections: number;
  /** HTTP method. Default `GET`, or `POST` when there is a body. */
  readonly method: string | undefined;
  /** Extra request headers (lower-case names; an array repeats the header). Default none. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** Request body, or undefined for none. Default undefined. */
  readonly body: Uint8Array | undefined;
  /**
   * Arrival timer period, ms: each tick sends every request whose intended
   * time has come, so the generator costs one timer per tick, not per
   * request. Default 2.
   */
  readonly tickMs: number;
  /** Leading part of the run left out of `goodputTps`, ms. Default min(5000, 20% of `durationMs`). */
  readonly warmupMs: number | undefined;
  /** The analytic optimum for this run, req/s, when the caller knows it (the demo does); 0 = unknown. Default 0. */
  readonly capacityTps: number;
  /** Label of this run in reports, e.g. `adaptive (max 4)`. Default: the policy name. */
  readonly label: string | undefined;
  /** How often `onProgress` is called, ms. Default 250. */
  readonly progressIntervalMs: number;
  /** Extra CA certificates (PEM) trusted for `https://` targets. Default undefined (Node's roots). */
  readonly ca: string | Buffer | undefined;
  /** Whether TLS certificates are verified. Default true. */
  readonly rejectUnauthorized: boolean;
  /**
   * HTTP statuses that count as success; any other status is an HTTP error,
   * not goodput. Default 200–399 (k6's `expected_statuses`).
   */
  readonly expectedStatuses: readonly StatusRange[];
}

/** Defaults for {@link LoadOptions} (`url` and `rateTps` have none). */
export const defaultLoadOptions: Omit<LoadOptions, 'url' | 'rateTps'> = Object.freeze({
  durationMs: 10_000,
  maxRequests: Number.POSITIVE_INFINITY,
  timeoutMs: 5000,
  policy: 'adaptive',
  connections: 1,
  maxConnections: 8,
  method: undefined,
  headers: Object.freeze({}),
  body: undefined,
  tickMs: 2,
  warmupMs: undefined,
  capacityTps: 0,
  label: undefined,
  progressIntervalMs: 250,
  ca: undefined,
  rejectUnauthorized: true,
  expectedStatuses: defaultExpectedStatuses,
});

const optionNames = ['url', 'rateTps', ...Object.keys(defaultLoadOptions)];

/** Longest warm-up left out of goodput by default, ms: the controller's slow start is over well before. */
const maxDefaultWarmupMs = 5000;

/**
 * Merges `partial` over the defaults and validates every field, throwing an
 * {@link InvalidOptionError} (a RangeError) naming the first bad option and
 * its value. `warmupMs` comes back resolved.
 */
export function resolveLoadOptions(
  partial: Partial<LoadOptions> & Pick<LoadOptions, 'url' | 'rateTps'>,
): LoadOptions & { readonly warmupMs: number } {
  rejectUnknownKeys('load', partial, optionNames);
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const o = { ...defaultLoadOptions, ...defined } as LoadOptions;
  requireHttpUrl('url', o.url);
  requireAbove('rateTps', o.rateTps, 0, 1e7);
  requireAbove('durationMs', o.durationMs, 0, 86_400_000);
  if (o.maxRequests !== Number.POSITIVE_INFINITY) requireInteger('maxRequests', o.maxRequests, 1);
  requireAbove('timeoutMs', o.timeoutMs, 0, 3_600_000);
  requireOneOf('policy', o.policy, loadPolicies);
  requireInteger('connections', o.connections, 1, 1024);
  requireInteger('maxConnections', o.maxConnections, 1, 1024);
  requireAbove('tickMs', o.tickMs, 0, 1000);
  if (o.warmupMs !== undefined) requireNumber('warmupMs', o.warmupMs, 0, o.durationMs);
  requireNumber('capacityTps', o.capacityTps, 0, 1e9);
  requireAbove('progressIntervalMs', o.progressIntervalMs, 0);
  if (typeof o.rejectUnauthorized !== 'boolean') {
    throw new InvalidOptionError('rejectUnauthorized', o.rejectUnauthorized, 'a boolean');
  }
  if (o.body !== undefined && !(o.body instanceof Uint8Array)) {
    throw new InvalidOptionError('body', o.body, 'a Uint8Array');
  }
  requireStatusRanges(o.expectedStatuses);
  const warmupMs = o.warmupMs ?? Math.min(maxDefaultWarmupMs, o.durationMs / 5);
  return Object.freeze({ ...o, warmupMs });
}

/** The label a run gets in reports: `naive`, `naive-fifo (2 conns)`, `adaptive (max 4)`, or the caller's. */
export function loadLabel(
  o: Pick<LoadOptions, 'policy' | 'connections' | 'maxConnections' | 'label'>,
): string {
  if (o.label !== undefined) return o.label;
  if (isNaivePolicy(o.policy)) {
    return o.connections === 1 ? o.policy : `${o.policy} (${o.connections} conns)`;
  }
  return `adaptive (max ${o.maxConnections})`;
}

function requireStatusRanges(ranges: readonly StatusRange[]): void {
  const valid =
    Array.isArray(ranges) &&
    ranges.length > 0 &&
    ranges.every(
      (r) =>
        Number.isInteger(r?.fromStatus) &&
        Number.isInteger(r?.toStatus) &&
        r.fromStatus >= 100 &&
        r.toStatus <= 599 &&
        r.fromStatus <= r.toStatus,
    );
  if (!valid) {
    throw new InvalidOptionError(
      'expectedStatuses',
      ranges,
      'a non-empty list of { fromStatus, toStatus } ranges within 100-599',
    );
  }
}
