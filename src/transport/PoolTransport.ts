import { type Observable, type SchedulerLike, Subject } from 'rxjs';
import type { CapacitySnapshot } from '../core/capacity.js';
import {
  type OpenSession,
  type PooledSession,
  SessionPool,
  type SessionPoolOptions,
} from './SessionPool.js';
import type {
  DispatchHandle,
  DispatchListener,
  Transport,
  TransportEvent,
  TransportRequest,
} from './Transport.js';

/**
 * A {@link Transport} over a {@link SessionPool}: the part both transports
 * share (capacity snapshots, session events, resizing and closing), so the
 * `node:http2` transport and the simulator's differ only in their sessions
 * and in how a stream is opened on one.
 *
 * `capacity$` and `events$` are hot and do not replay: read `capacity()` for
 * the current state. Both complete when `close()` resolves.
 */
export abstract class PoolTransport<S extends PooledSession> implements Transport {
  /** The clock and timers every timestamp and backoff uses. */
  readonly scheduler: SchedulerLike;
  /** Capacity snapshots whenever sessions change (opening, ready, SETTINGS, GOAWAY, draining, closed). */
  readonly capacity$: Observable<CapacitySnapshot>;
  /** Session-level events: ready, GOAWAY, connection errors, closed. */
  readonly events$: Observable<TransportEvent>;
  /** The sessions. */
  protected readonly pool: SessionPool<S>;
  readonly #capacity = new Subject<CapacitySnapshot>();
  readonly #events = new Subject<TransportEvent>();
  #closing: Promise<void> | undefined;

  constructor(scheduler: SchedulerLike, options: SessionPoolOptions, openSession: OpenSession<S>) {
    this.scheduler = scheduler;
    this.capacity$ = this.#capacity.asObservable();
    this.events$ = this.#events.asObservable();
    this.pool = new SessionPool<S>(
      options,
      scheduler,
      {
        event: (event) => this.#events.next(event),
        changed: () => {
          if (!this.#capacity.closed) this.#capacity.next(this.capacity());
        },
      },
      openSession,
    );
  }

  /** Whether `close()` has been called: no stream is opened from then on. */
  protected get closing(): boolean {
    return this.#closing !== undefined;
  }

  /** Capacity right now, read from the live sessions. */
  capacity(): CapacitySnapshot {
    return this.pool.capacity();
  }

  /** Free stream slots on ready sessions right now (0 once closing). */
  freeSlots(): number {
    return this.#closing === undefined ? this.pool.freeSlots() : 0;
  }

  /** Opens a stream for `request` if a slot is free; otherwise returns `undefined` and takes nothing. */
  abstract dispatch(
    request: TransportRequest,
    listener: DispatchListener,
  ): DispatchHandle | undefined;

  /** Aims for `connections` sessions (clamped to [0, maxConnections]); extra ones drain gracefully. */
  resize(connections: number): void {
    this.pool.resize(connections);
  }

  /**
   * Stops accepting streams, lets in-flight ones finish, closes every
   * session, and resolves when all are closed. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.pool.close().then(() => {
      this.#capacity.complete();
      this.#events.complete();
    });
    return this.#closing;
  }
}
