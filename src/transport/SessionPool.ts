import type { SchedulerLike, Subscription } from 'rxjs';
import type { CapacitySnapshot } from '../core/capacity.js';
import { FoldedLoop } from '../core/foldedLoop.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { type CapacitySource, capacitySnapshot } from './capacitySnapshot.js';
import type { GoawayRecord } from './classifyStreamClose.js';
import { type PickCandidate, pickSession } from './pickSession.js';
import { reconnectDelayMs } from './reconnectDelay.js';
import type { SessionFailure, SessionHooks } from './sessionHooks.js';
import type { SessionState } from './sessionState.js';
import type { TransportEvent } from './Transport.js';

/** What the pool needs of one session: a `node:http2` session in production, a modelled connection in the simulator. */
export interface PooledSession extends PickCandidate, CapacitySource {
  /** Transport-local id. */
  readonly id: number;
  /** Where it is in its life. */
  readonly state: SessionState;
  /**
   * Stops new streams and closes once in-flight ones end; a session still
   * connecting is given up. After `graceMs` a session that has not closed is
   * destroyed (a transport without real sockets may ignore it).
   */
  drain(graceMs?: number): void;
}

/**
 * Opens session `id`, reporting to `hooks`. It must not call a hook before
 * it returns: the pool adds the session to its list only then.
 */
export type OpenSession<S> = (id: number, hooks: SessionHooks<S>) => S;

/** The pool's settings. */
export interface SessionPoolOptions {
  /** Most sessions connecting or ready at once. */
  readonly maxConnections: number;
  /** First reconnect delay after a failure (then doubled per attempt, jittered), ms. */
  readonly reconnectBaseMs: number;
  /** Longest reconnect delay, ms. */
  readonly reconnectMaxMs: number;
  /** The grace `close()` gives each session before it is destroyed, ms. */
  readonly closeGraceMs: number;
  /** Uniform in [0, 1) for the backoff's jitter: `Math.random` in production, a seeded stream in the simulator. */
  readonly random: () => number;
}

/** Where the pool reports to its transport. */
export interface PoolSink {
  /** A session-level event for `events$`. */
  event(event: TransportEvent): void;
  /** Sessions changed: time for a capacity snapshot. */
  changed(): void;
}

/**
 * The sessions of one origin, for either transport. It keeps `target`
 * sessions connecting or ready:
 * - it opens sessions up to the target (bounded by `maxConnections`);
 * - it drains extra ones gracefully (no new streams, close when empty),
 *   those still connecting first, then the ones with fewest streams;
 * - it replaces sessions that went away (GOAWAY) or failed, with jittered
 *   exponential backoff after failures so a dead server is not hammered;
 * - it picks a session per stream with {@link pickSession}.
 * Connection failures never throw; they become `connection-error` events.
 */
export class SessionPool<S extends PooledSession> {
  readonly #options: SessionPoolOptions;
  readonly #scheduler: SchedulerLike;
  readonly #sink: PoolSink;
  readonly #openSession: OpenSession<S>;
  readonly #hooks: SessionHooks<S>;
  readonly #sessions: S[] = [];
  #target = 0;
  #failures = 0;
  #retryTimer: Subscription | undefined;
  #nextId = 1;
  #closing = false;
  /** A session may close inside `drain()` (one still connecting, in the simulator), re-entering the upkeep; it folds into the running one. */
  readonly #upkeep = new FoldedLoop(() => this.#rebalance());
  #onEmpty: (() => void) | undefined;

  constructor(
    options: SessionPoolOptions,
    scheduler: SchedulerLike,
    sink: PoolSink,
    openSession: OpenSession<S>,
  ) {
    this.#options = options;
    this.#scheduler = scheduler;
    this.#sink = sink;
    this.#openSession = openSession;
    this.#hooks = {
      ready: (s) => this.#onReady(s),
      changed: () => sink.changed(),
      goaway: (s, record) => this.#onGoaway(s, record),
      closed: (s, failure) => this.#onClosed(s, failure),
    };
  }

  /** Every session not yet closed, oldest first. */
  get sessions(): readonly S[] {
    return this.#sessions;
  }

  /** Free stream slots on ready sessions now. */
  freeSlots(): number {
    let free = 0;
    for (const s of this.#sessions) free += s.freeSlots;
    return free;
  }

  /** Capacity now, read from the live sessions. */
  capacity(): CapacitySnapshot {
    return capacitySnapshot(this.#sessions, this.#scheduler.now());
  }

  /** The session a new stream with a body of `bodyBytes` should go on, or `undefined` if none has a free slot. */
  pick(bodyBytes: number): S | undefined {
    return this.#closing ? undefined : pickSession(this.#sessions, bodyBytes);
  }

  /** Aims for `connections` sessions connecting or ready, clamped to [0, maxConnections]. */
  resize(connections: number): void {
    if (typeof connections !== 'number' || Number.isNaN(connections)) {
      throw new InvalidOptionError('connections', connections, 'a number');
    }
    if (this.#closing) return;
    this.#target = Math.min(this.#options.maxConnections, Math.max(0, Math.floor(connections)));
    this.#maintain();
  }

  /** Drains `session` and replaces it: it refused a new stream (GOAWAY this tick), or its stream ids are nearly used up. */
  retire(session: S): void {
    session.drain();
    this.#maintain();
    this.#sink.changed();
  }

  /** Stops opening sessions, drains every session, and resolves once all have closed. */
  close(): Promise<void> {
    this.#closing = true;
    this.#target = 0;
    this.#retryTimer?.unsubscribe();
    this.#retryTimer = undefined;
    const done = new Promise<void>((resolve) => {
      this.#onEmpty = resolve;
    });
    for (const s of [...this.#sessions]) s.drain(this.#options.closeGraceMs);
    this.#sink.changed();
    this.#checkEmpty();
    return done;
  }

  /** Opens or drains sessions until connecting + ready = target. */
  #maintain(): void {
    this.#upkeep.run();
  }

  #rebalance(): void {
    if (this.#closing) return;
    const live = this.#live();
    if (live.length > this.#target) {
      // Drain sessions still connecting first (nothing to lose), then the
      // ones with the fewest streams in flight (they empty soonest).
      live.sort(
        (a, b) =>
          Number(b.state === 'connecting') - Number(a.state === 'connecting') ||
          a.streamsInFlight - b.streamsInFlight,
      );
      for (const s of live.slice(0, live.length - this.#target)) s.drain();
      this.#sink.changed();
      return;
    }
    const missing = this.#target - live.length;
    if (missing === 0 || this.#retryTimer !== undefined) return;
    if (this.#failures === 0) {
      this.#open(missing);
      return;
    }
    const { reconnectBaseMs, reconnectMaxMs, random } = this.#options;
    const delayMs = reconnectDelayMs(this.#failures, reconnectBaseMs, reconnectMaxMs, random);
    this.#retryTimer = this.#scheduler.schedule(() => {
      this.#retryTimer = undefined;
      if (this.#closing) return;
      this.#open(this.#target - this.#live().length);
    }, delayMs);
  }

  #live(): S[] {
    return this.#sessions.filter((s) => s.state === 'connecting' || s.state === 'ready');
  }

  #open(count: number): void {
    if (count <= 0) return;
    for (let i = 0; i < count; i++) {
      this.#sessions.push(this.#openSession(this.#nextId++, this.#hooks));
    }
    this.#sink.changed();
  }

  #onReady(session: S): void {
    this.#failures = 0;
    this.#sink.event({ kind: 'session-ready', sessionId: session.id, atMs: this.#now() });
    // It may have been drained while connecting; drain() gives those up.
    this.#sink.changed();
  }

  #onGoaway(session: S, record: GoawayRecord): void {
    this.#sink.event({
      kind: 'goaway',
      sessionId: session.id,
      errorCode: record.code,
      lastStreamId: record.lastStreamId,
      atMs: this.#now(),
    });
    // NO_ERROR is a routine shutdown (server restart, connection rotation):
    // replace at once. An error code means the server is unhappy with us or
    // itself, so the replacement waits out a backoff.
    if (record.code !== 0) this.#failures++;
    this.#maintain();
    this.#sink.changed();
  }

  #onClosed(session: S, failure: SessionFailure | undefined): void {
    const i = this.#sessions.indexOf(session);
    if (i >= 0) this.#sessions.splice(i, 1);
    const atMs = this.#now();
    if (failure !== undefined) {
      this.#failures++;
      this.#sink.event({
        kind: 'connection-error',
        sessionId: session.id,
        detail: failure.detail,
        causeCode: failure.causeCode,
        lasting: failure.lasting,
        atMs,
      });
    }
    this.#sink.event({ kind: 'session-closed', sessionId: session.id, atMs });
    this.#maintain();
    this.#sink.changed();
    this.#checkEmpty();
  }

  #checkEmpty(): void {
    if (this.#closing && this.#sessions.length === 0) this.#onEmpty?.();
  }

  #now(): number {
    return this.#scheduler.now();
  }
}
