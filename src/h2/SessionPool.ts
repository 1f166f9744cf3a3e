import type { SchedulerLike, Subscription } from 'rxjs';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type { TransportEvent } from '../transport/Transport.js';
import type { GoawayRecord } from './classifyStreamClose.js';
import { closeGraceMs, H2Session } from './H2Session.js';
import type { H2TransportOptions } from './H2TransportOptions.js';
import { pickSession } from './pickSession.js';
import { reconnectDelayMs } from './reconnectDelay.js';
import type { SessionFailure, SessionHooks } from './sessionHooks.js';

/** Where the pool reports to its transport. */
export interface PoolSink {
  /** A session-level event for `events$`. */
  event(event: TransportEvent): void;
  /** Sessions changed: time for a capacity snapshot. */
  changed(): void;
}

/**
 * The sessions of one origin. It keeps `target` sessions connecting or ready:
 * - it opens sessions up to the target (bounded by `maxConnections`);
 * - it drains extra ones gracefully (no new streams, close when empty);
 * - it replaces sessions that went away (GOAWAY) or failed, with jittered
 *   exponential backoff after failures so a dead server is not hammered;
 * - it picks a session per stream with {@link pickSession}.
 * Connection failures never throw; they become `connection-error` events.
 */
export class SessionPool {
  readonly #origin: URL;
  readonly #options: H2TransportOptions;
  readonly #scheduler: SchedulerLike;
  readonly #sink: PoolSink;
  readonly #hooks: SessionHooks<H2Session>;
  readonly #sessions: H2Session[] = [];
  #target = 0;
  #failures = 0;
  #retryTimer: Subscription | undefined;
  #nextId = 1;
  #closing = false;
  #onEmpty: (() => void) | undefined;

  constructor(origin: URL, options: H2TransportOptions, scheduler: SchedulerLike, sink: PoolSink) {
    this.#origin = origin;
    this.#options = options;
    this.#scheduler = scheduler;
    this.#sink = sink;
    this.#hooks = {
      ready: (s) => this.#onReady(s),
      changed: () => sink.changed(),
      goaway: (s, record) => this.#onGoaway(s, record),
      closed: (s, failure) => this.#onClosed(s, failure),
    };
  }

  /** Every session not yet closed, oldest first. */
  get sessions(): readonly H2Session[] {
    return this.#sessions;
  }

  /** Free stream slots on ready sessions now. */
  freeSlots(): number {
    let free = 0;
    for (const s of this.#sessions) free += s.freeSlots;
    return free;
  }

  /** The session a new stream with a body of `bodyBytes` should go on, or `undefined` if none has a free slot. */
  pick(bodyBytes: number): H2Session | undefined {
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

  /** Drains `session` and replaces it: Node refused a new stream on it (GOAWAY this tick), or its stream ids are nearly used up. */
  retire(session: H2Session): void {
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
    for (const s of [...this.#sessions]) s.drain(closeGraceMs);
    this.#sink.changed();
    this.#checkEmpty();
    return done;
  }

  /** Opens or drains sessions until connecting + ready = target. */
  #maintain(): void {
    if (this.#closing) return;
    const live = this.#sessions.filter((s) => s.state === 'connecting' || s.state === 'ready');
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
    const delayMs = reconnectDelayMs(
      this.#failures,
      this.#options.reconnectBaseMs,
      this.#options.reconnectMaxMs,
    );
    this.#retryTimer = this.#scheduler.schedule(() => {
      this.#retryTimer = undefined;
      if (this.#closing) return;
      const now = this.#sessions.filter((s) => s.state === 'connecting' || s.state === 'ready');
      this.#open(this.#target - now.length);
    }, delayMs);
  }

  #open(count: number): void {
    if (count <= 0) return;
    for (let i = 0; i < count; i++) {
      const id = this.#nextId++;
      this.#sessions.push(
        new H2Session(id, this.#origin, this.#options, this.#scheduler, this.#hooks),
      );
    }
    this.#sink.changed();
  }

  #onReady(session: H2Session): void {
    this.#failures = 0;
    this.#sink.event({ kind: 'session-ready', sessionId: session.id, atMs: this.#now() });
    // It may have been drained while connecting; drain() destroys those.
    this.#sink.changed();
  }

  #onGoaway(session: H2Session, record: GoawayRecord): void {
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

  #onClosed(session: H2Session, failure: SessionFailure | undefined): void {
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
