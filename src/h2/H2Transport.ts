import { type Observable, type SchedulerLike, Subject } from 'rxjs';
import type { CapacitySnapshot, SessionCapacity } from '../core/capacity.js';
import { requireHttpUrl } from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type {
  DispatchHandle,
  DispatchListener,
  Transport,
  TransportEvent,
  TransportRequest,
} from '../transport/Transport.js';
import { H2Dispatch } from './H2Dispatch.js';
import { type H2TransportOptions, resolveH2TransportOptions } from './H2TransportOptions.js';
import { SessionPool } from './SessionPool.js';

/**
 * The {@link Transport} over `node:http2`: a pool of client sessions to one
 * origin that never opens more streams on a session than the peer's
 * SETTINGS_MAX_CONCURRENT_STREAMS allows, so no request ever waits inside
 * nghttp2 where nobody can measure it. When no ready session has a free slot
 * `dispatch` returns `undefined` and the caller keeps the request in its own
 * measured queue (undici's backpressure contract).
 *
 * `capacity$` and `events$` are hot and do not replay: read `capacity()` for
 * the current state. Both complete when `close()` resolves.
 */
export class H2Transport implements Transport {
  /** The clock and timers every timestamp and backoff uses. */
  readonly scheduler: SchedulerLike;
  /** Capacity snapshots whenever sessions change (opening, ready, SETTINGS, GOAWAY, draining, closed). */
  readonly capacity$: Observable<CapacitySnapshot>;
  /** Session-level events: ready, GOAWAY, connection errors, closed. */
  readonly events$: Observable<TransportEvent>;
  /** The origin, as given (normalized by `URL`). */
  readonly origin: string;
  /** The resolved options. */
  readonly options: H2TransportOptions;
  readonly #capacity = new Subject<CapacitySnapshot>();
  readonly #events = new Subject<TransportEvent>();
  readonly #pool: SessionPool;
  #closing: Promise<void> | undefined;

  constructor(origin: string, options: Partial<H2TransportOptions> = {}) {
    const url = requireHttpUrl('origin', origin);
    this.origin = url.origin;
    this.options = resolveH2TransportOptions(options);
    this.scheduler = this.options.scheduler;
    this.capacity$ = this.#capacity.asObservable();
    this.events$ = this.#events.asObservable();
    this.#pool = new SessionPool(url, this.options, this.scheduler, {
      event: (event) => this.#events.next(event),
      changed: () => {
        if (!this.#capacity.closed) this.#capacity.next(this.capacity());
      },
    });
    if (this.options.initialConnections > 0) this.#pool.resize(this.options.initialConnections);
  }

  /** Capacity right now, read from the live sessions. */
  capacity(): CapacitySnapshot {
    const sessions: SessionCapacity[] = [];
    let readySessions = 0;
    let slotsTotal = 0;
    let slotsInUse = 0;
    let slotsAvailable = 0;
    for (const s of this.#pool.sessions) {
      const c = s.capacity();
      sessions.push(c);
      slotsInUse += c.streamsInFlight;
      if (c.state === 'ready') {
        readySessions++;
        slotsTotal += c.maxConcurrentStreams;
        slotsAvailable += s.freeSlots;
      }
    }
    return {
      atMs: this.scheduler.now(),
      sessions,
      readySessions,
      slotsTotal,
      slotsInUse,
      slotsAvailable,
    };
  }

  /** Free stream slots on ready sessions right now (0 once closing). */
  freeSlots(): number {
    return this.#closing === undefined ? this.#pool.freeSlots() : 0;
  }

  /**
   * Opens a stream for `request` on the session {@link pickSession} chooses,
   * or returns `undefined` (taking nothing) when no ready session has a free
   * slot or the transport is closing.
   */
  dispatch(request: TransportRequest, listener: DispatchListener): DispatchHandle | undefined {
    if (this.#closing !== undefined) return undefined;
    const bodyBytes = request.body?.byteLength ?? 0;
    // Each retired session leaves the pick set, so this ends after at most one
    // try per session.
    for (;;) {
      const session = this.#pool.pick(bodyBytes);
      if (session === undefined) return undefined;
      const dispatch = new H2Dispatch(session, request, listener, this.scheduler);
      if (dispatch.open() === 'opened') {
        if (session.streamIdsNearlyExhausted) this.#pool.retire(session);
        return dispatch;
      }
      this.#pool.retire(session);
    }
  }

  /** Aims for `connections` sessions (clamped to [0, maxConnections]); extra ones drain gracefully. */
  resize(connections: number): void {
    this.#pool.resize(connections);
  }

  /**
   * Stops accepting streams, lets in-flight ones finish, closes every
   * session, and resolves when all are closed. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#pool.close().then(() => {
      this.#capacity.complete();
      this.#events.complete();
    });
    return this.#closing;
  }
}

/**
 * Creates the `node:http2` transport for `origin`: `http://` speaks h2c with
 * prior knowledge, `https://` speaks TLS with ALPN `h2` and verifies the
 * certificate unless `rejectUnauthorized` is false. Throws an
 * {@link InvalidOptionError} for another scheme or a bad option.
 */
export function createH2Transport(
  origin: string,
  options: Partial<H2TransportOptions> = {},
): H2Transport {
  return new H2Transport(origin, options);
}
