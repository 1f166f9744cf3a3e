import type { SchedulerLike } from 'rxjs';
import { rejectUnknownKeys, requireInteger } from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';
import { defaultReconnectBaseMs, defaultReconnectMaxMs } from '../transport/reconnectDelay.js';

/** One MiB, in bytes. */
const MiB = 1024 * 1024;

/**
 * Largest flow-control window HTTP/2 allows (2^31 - 1 bytes, RFC 9113 §6.9.1);
 * SETTINGS_INITIAL_WINDOW_SIZE above it is a FLOW_CONTROL_ERROR (§6.5.2).
 */
export const maxWindowBytes = 2 ** 31 - 1;

/**
 * Options of the `node:http2` transport. Every field has its unit in its
 * JSDoc and a default in {@link defaultH2TransportOptions}.
 */
export interface H2TransportOptions {
  /**
   * Clock (`now()`, ms) for every timestamp and timers for connect timeouts
   * and reconnect backoff. Default: the real-time scheduler with a monotonic
   * high-resolution clock (`performance.timeOrigin + performance.now()`).
   */
  readonly scheduler: SchedulerLike;
  /** Sessions opened at creation, before the first `resize()`, count. Default 1. */
  readonly initialConnections: number;
  /** Most sessions `resize()` may open (larger targets are clamped), count. Default 64. */
  readonly maxConnections: number;
  /**
   * Client-side cap on streams per session, on top of the peer's
   * SETTINGS_MAX_CONCURRENT_STREAMS, which is unlimited until the peer says
   * otherwise (RFC 9113 §6.5.2), count. Default 1000.
   */
  readonly maxStreamsPerSession: number;
  /**
   * SETTINGS_INITIAL_WINDOW_SIZE we advertise: how many bytes the server may
   * send on one stream before we grant more, bytes. Node's default of 65,535
   * would stall every response larger than that for a round trip. Default 1 MiB.
   */
  readonly initialWindowSize: number;
  /**
   * Connection-level receive window set with `session.setLocalWindowSize()`
   * once connected, so that many streams of large responses do not share
   * the 65,535-byte connection window (RFC 9113 §6.9.2), bytes. Default 16 MiB.
   */
  readonly connectionWindowBytes: number;
  /** Time from `connect` to the peer's first SETTINGS before the attempt is abandoned, ms. Default 10,000. */
  readonly connectTimeoutMs: number;
  /** First reconnect delay after a failure (then doubled per attempt, jittered), ms. Default 100. */
  readonly reconnectBaseMs: number;
  /** Longest reconnect delay, ms. Default 10,000. */
  readonly reconnectMaxMs: number;
  /** Extra CA certificates (PEM) trusted for `https://` origins, as Node's `tls` `ca`. Default undefined (Node's bundled roots). */
  readonly ca: string | Buffer | readonly (string | Buffer)[] | undefined;
  /** Whether TLS certificates are verified, as Node's `tls` option. Default true. */
  readonly rejectUnauthorized: boolean;
  /** TLS SNI and certificate host name, as Node's `tls` option. Default undefined (the origin's host name). */
  readonly servername: string | undefined;
}

/** Defaults for {@link H2TransportOptions}. */
export const defaultH2TransportOptions: H2TransportOptions = Object.freeze({
  scheduler: realTimeScheduler,
  initialConnections: 1,
  maxConnections: 64,
  maxStreamsPerSession: 1000,
  initialWindowSize: MiB,
  connectionWindowBytes: 16 * MiB,
  connectTimeoutMs: 10_000,
  reconnectBaseMs: defaultReconnectBaseMs,
  reconnectMaxMs: defaultReconnectMaxMs,
  ca: undefined,
  rejectUnauthorized: true,
  servername: undefined,
});

const optionNames = Object.keys(defaultH2TransportOptions);

/**
 * Merges `partial` over the defaults and validates every field. Throws an
 * {@link InvalidOptionError} (a RangeError) naming the first bad option,
 * including keys that are not transport options.
 */
export function resolveH2TransportOptions(
  partial: Partial<H2TransportOptions> = {},
): H2TransportOptions {
  if (typeof partial !== 'object' || partial === null) {
    throw new InvalidOptionError('options', partial, 'an object');
  }
  rejectUnknownKeys('H2TransportOptions', partial, optionNames);
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const o: H2TransportOptions = { ...defaultH2TransportOptions, ...defined };
  const s = o.scheduler as Partial<SchedulerLike> | null;
  if (typeof s !== 'object' || s === null || typeof s.now !== 'function') {
    throw new InvalidOptionError('scheduler', o.scheduler, 'an rxjs SchedulerLike');
  }
  if (typeof s.schedule !== 'function') {
    throw new InvalidOptionError('scheduler', o.scheduler, 'an rxjs SchedulerLike');
  }
  requireInteger('maxConnections', o.maxConnections, 1, 1024);
  requireInteger('initialConnections', o.initialConnections, 0, o.maxConnections);
  // 2^31 - 1 is the largest stream id space a session can use (RFC 9113 §5.1.1).
  requireInteger('maxStreamsPerSession', o.maxStreamsPerSession, 1, maxWindowBytes);
  requireInteger('initialWindowSize', o.initialWindowSize, 0, maxWindowBytes);
  // Below the protocol's initial 65,535 bytes (RFC 9113 §6.9.2) the window
  // would only starve responses: it is a floor, never a tuning knob.
  requireInteger('connectionWindowBytes', o.connectionWindowBytes, 65_535, maxWindowBytes);
  requireInteger('connectTimeoutMs', o.connectTimeoutMs, 1);
  requireInteger('reconnectBaseMs', o.reconnectBaseMs, 1);
  requireInteger('reconnectMaxMs', o.reconnectMaxMs, o.reconnectBaseMs);
  if (typeof o.rejectUnauthorized !== 'boolean') {
    throw new InvalidOptionError('rejectUnauthorized', o.rejectUnauthorized, 'a boolean');
  }
  if (o.servername !== undefined && (typeof o.servername !== 'string' || o.servername === '')) {
    throw new InvalidOptionError('servername', o.servername, 'a non-empty string');
  }
  if (o.ca !== undefined && !isCa(o.ca)) {
    throw new InvalidOptionError('ca', o.ca, 'a PEM string, a Buffer, or an array of them');
  }
  return Object.freeze(o);
}

function isCa(value: unknown): boolean {
  const one = (v: unknown): boolean => typeof v === 'string' || Buffer.isBuffer(v);
  return one(value) || (Array.isArray(value) && value.every(one));
}
