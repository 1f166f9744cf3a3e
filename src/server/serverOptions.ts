import { lognormalSigma } from '../core/lognormal.js';
import {
  rejectUnknownKeys,
  requireAbove,
  requireInteger,
  requireNumber,
  requireOneOf,
} from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { type LatencyDist, latencyDists } from './latencySampler.js';
import { type LatencySpike, requireLatencySpike } from './latencySpike.js';

/**
 * Options of the embedded HTTP/2 test server (`h2flow serve`,
 * {@link startTestServer}). Every field names its unit; docs/server.md
 * explains the capacity model and the faults.
 */
export interface ServerOptions {
  /** Address to bind. Default `'127.0.0.1'` (loopback only, see docs/security.md). */
  readonly host: string;
  /** TCP port; 0 picks a free one. Default 0. */
  readonly port: number;
  /** Serve HTTP/2 over TLS (ALPN `h2`) with a certificate generated at start; otherwise h2c. Default false. */
  readonly tls: boolean;
  /** SETTINGS_MAX_CONCURRENT_STREAMS advertised to every client (RFC 9113 §6.5.2). Default 100. */
  readonly maxConcurrentStreams: number;
  /** Mean service time of a request, in ms. Default 50. */
  readonly latencyMs: number;
  /** Service-time distribution: `const`, `exp` (exponential) or `lognormal`. Default `'const'`. */
  readonly latencyDist: LatencyDist;
  /** p99 of the service time for `lognormal`, in ms; must be above `latencyMs`. Default 3 × `latencyMs`. */
  readonly latencyP99Ms: number | undefined;
  /**
   * Server-wide capacity in requests per second, modelled as
   * K = ceil(capacityTps × latencyMs / 1000) workers with a FIFO in front of
   * them. Default undefined: unlimited (every request is served at once).
   */
  readonly capacityTps: number | undefined;
  /**
   * With `refuseOverCapacity`, the most requests that may wait for a worker;
   * the next is refused. Default undefined: K, so a queued request waits
   * about one service time at most.
   */
  readonly maxQueued: number | undefined;
  /** Flow-control window the server advertises, per stream and per connection, in bytes (RFC 9113 §6.9.2). Default 65,535. */
  readonly windowBytes: number;
  /** Size of the JSON response body, in bytes (at least 11). Default 64. */
  readonly responseBytes: number;
  /** Fault: send GOAWAY(NO_ERROR) on a connection after this many streams on it, like nginx's `keepalive_requests`. Default undefined (off). */
  readonly goawayEvery: number | undefined;
  /** Fault: refuse a stream with RST_STREAM(REFUSED_STREAM) when every worker is busy and `maxQueued` are waiting. Default false. */
  readonly refuseOverCapacity: boolean;
  /** Fault: more RST_STREAM frames than this received on one connection within one second earn GOAWAY(ENHANCE_YOUR_CALM) and a close. Default undefined (off). */
  readonly maxResetsPerS: number | undefined;
  /** Fault: fraction (0..1) of requests answered at once with `errorStatus` (and `retry-after` unless `retryAfterS` is null), spread evenly. Default 0. */
  readonly errorFraction: number;
  /** The status of those answers: 503 or 429. Default 503. */
  readonly errorStatus: 503 | 429;
  /**
   * The `retry-after` header of those answers, in whole seconds; null sends
   * none (a server's background errors, which say nothing about load).
   * Default 1.
   */
  readonly retryAfterS: number | null;
  /**
   * Fault: fraction (0..1) of the requests not given `errorStatus` that are
   * answered 404 at once, spread evenly, using no worker: a client asking for
   * things that do not exist. Default 0.
   */
  readonly notFoundFraction: number;
  /**
   * Fault: a scheduled latency step, timed from the first request (see
   * {@link LatencySpike}), e.g. `{ factor: 10, atMs: 5000, forMs: 3000 }`.
   * Default undefined (none).
   */
  readonly latencySpike: LatencySpike | undefined;
  /** A request body larger than this is answered 413 and the rest of the upload is stopped, in bytes. Default 64 MiB. */
  readonly maxRequestBytes: number;
  /** How long `close()` waits for streams in flight before destroying the connections, in ms. Default 5000. */
  readonly closeTimeoutMs: number;
  /** Seed of the service-time random numbers. Default undefined: a random seed. */
  readonly seed: number | undefined;
}

/** Defaults for {@link ServerOptions}. */
export const defaultServerOptions: ServerOptions = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  tls: false,
  maxConcurrentStreams: 100,
  latencyMs: 50,
  latencyDist: 'const',
  latencyP99Ms: undefined,
  capacityTps: undefined,
  maxQueued: undefined,
  windowBytes: 65_535,
  responseBytes: 64,
  goawayEvery: undefined,
  refuseOverCapacity: false,
  maxResetsPerS: undefined,
  errorFraction: 0,
  errorStatus: 503,
  retryAfterS: 1,
  notFoundFraction: 0,
  latencySpike: undefined,
  maxRequestBytes: 64 * 1024 * 1024,
  closeTimeoutMs: 5000,
  seed: undefined,
});

/**
 * The p99 a lognormal server uses: `latencyP99Ms`, or 3 × `latencyMs` when
 * unset (a moderate tail: σ ≈ 0.53).
 */
export function lognormalP99Ms(o: Pick<ServerOptions, 'latencyMs' | 'latencyP99Ms'>): number {
  return o.latencyP99Ms ?? 3 * o.latencyMs;
}

/** The smallest JSON body the server writes, `{"ok":true}`, in bytes. */
export const minResponseBytes = 11;

/** RFC 9113 §6.5.2: SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1 is a FLOW_CONTROL_ERROR. */
const maxWindowBytes = 2 ** 31 - 1;

/**
 * Workers the capacity model uses: K = ceil(capacityTps × latencyMs / 1000).
 * By Little's law K workers, each busy for the mean service time, complete
 * K / latencyMs × 1000 requests per second, so K is the smallest worker count
 * whose throughput reaches `capacityTps`. Infinity when capacity is unlimited.
 */
export function workersFor(capacityTps: number | undefined, latencyMs: number): number {
  if (capacityTps === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.ceil((capacityTps * latencyMs) / 1000));
}

/**
 * Merges `partial` over {@link defaultServerOptions} and validates every
 * field. Throws an {@link InvalidOptionError} (a RangeError) naming the first
 * bad option and its value; unknown keys are rejected so a typo never
 * becomes a silent default.
 */
export function resolveServerOptions(partial: Partial<ServerOptions> = {}): ServerOptions {
  if (typeof partial !== 'object' || partial === null) {
    throw new InvalidOptionError('server options', partial, 'an object');
  }
  rejectUnknownKeys('server', partial, Object.keys(defaultServerOptions));
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const o: ServerOptions = { ...defaultServerOptions, ...defined };
  if (typeof o.host !== 'string' || o.host.trim() === '') {
    throw new InvalidOptionError('host', o.host, 'a host name or address');
  }
  requireInteger('port', o.port, 0, 65_535);
  if (typeof o.tls !== 'boolean') throw new InvalidOptionError('tls', o.tls, 'a boolean');
  requireInteger('maxConcurrentStreams', o.maxConcurrentStreams, 0, 2 ** 32 - 1);
  requireNumber('latencyMs', o.latencyMs, 0, 3_600_000);
  requireOneOf('latencyDist', o.latencyDist, latencyDists);
  if (o.latencyP99Ms !== undefined) {
    if (o.latencyDist !== 'lognormal') {
      throw new InvalidOptionError(
        'latencyP99Ms',
        o.latencyP99Ms,
        `unset unless latencyDist is 'lognormal' (latencyDist is '${o.latencyDist}')`,
      );
    }
    requireAbove('latencyP99Ms', o.latencyP99Ms, o.latencyMs, 3_600_000);
  }
  if (o.latencyDist === 'lognormal') {
    requireAbove('latencyMs', o.latencyMs, 0);
    // Throws when p99/mean is out of the range a lognormal can have.
    lognormalSigma(o.latencyMs, lognormalP99Ms(o), 'latencyP99Ms');
  }
  if (o.capacityTps !== undefined) requireAbove('capacityTps', o.capacityTps, 0, 1e9);
  if (o.maxQueued !== undefined) requireInteger('maxQueued', o.maxQueued, 0);
  requireInteger('windowBytes', o.windowBytes, 1, maxWindowBytes);
  requireInteger('responseBytes', o.responseBytes, minResponseBytes, 64 * 1024 * 1024);
  if (o.goawayEvery !== undefined) requireInteger('goawayEvery', o.goawayEvery, 1);
  if (typeof o.refuseOverCapacity !== 'boolean') {
    throw new InvalidOptionError('refuseOverCapacity', o.refuseOverCapacity, 'a boolean');
  }
  if (o.maxResetsPerS !== undefined) requireInteger('maxResetsPerS', o.maxResetsPerS, 0);
  requireNumber('errorFraction', o.errorFraction, 0, 1);
  if (o.errorStatus !== 503 && o.errorStatus !== 429) {
    throw new InvalidOptionError('errorStatus', o.errorStatus, '503 or 429');
  }
  // RFC 9110 §10.2.3: retry-after is a whole number of seconds.
  if (o.retryAfterS !== null) requireInteger('retryAfterS', o.retryAfterS, 0, 86_400);
  requireNumber('notFoundFraction', o.notFoundFraction, 0, 1);
  const latencySpike =
    o.latencySpike === undefined ? undefined : requireLatencySpike(o.latencySpike);
  requireInteger('maxRequestBytes', o.maxRequestBytes, 0);
  requireNumber('closeTimeoutMs', o.closeTimeoutMs, 0, 3_600_000);
  if (o.seed !== undefined) requireInteger('seed', o.seed, 0, 2 ** 32 - 1);
  return Object.freeze({ ...o, latencySpike });
}
