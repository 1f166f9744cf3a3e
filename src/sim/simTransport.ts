import { type Observable, Subject } from 'rxjs';
import type { CapacitySnapshot, SessionCapacity } from '../core/capacity.js';
import type {
  DispatchHandle,
  DispatchListener,
  ResponseHeaders,
  Transport,
  TransportEvent,
  TransportRequest,
} from '../transport/Transport.js';
import type { HeapScheduler } from './heapScheduler.js';
import { Link } from './link.js';
import type { Scenario } from './scenario.js';
import { type ConnectionContext, SimConnection } from './simConnection.js';
import type { SimServer } from './simServer.js';

/** How long the pool waits after a refused connection before trying again, ms. */
export const reconnectBackoffMs = 1000;

/** What a {@link SimTransport} is built from. */
export interface SimTransportOptions {
  /** The virtual clock and timers. */
  readonly scheduler: HeapScheduler;
  /** The server (shared by every client of a run). */
  readonly server: SimServer;
  /** The scenario (network, HTTP/2 settings, request and response sizes). */
  readonly scenario: Scenario;
  /** Which client of a fleet this is (0-based). */
  readonly clientId: number;
}

const responseHeaders: ResponseHeaders = Object.freeze({ 'content-type': 'application/json' });

/**
 * The {@link Transport} over the simulated server, so the same
 * `AdaptiveClient` that drives `node:http2` in production drives the model
 * in virtual time. It reports the phases as the real transport does:
 * dispatch is HEADERS handed to a session; `onSent` when the request body's
 * last byte has left (after flow-control windows and the link); `onHeaders`
 * at response HEADERS; `onDone` at response end. `cancel` sends
 * RST_STREAM(CANCEL) and the server counts it.
 *
 * It keeps a pool of `target` sessions (connecting or ready): it opens
 * replacements when a session goes away (GOAWAY, refused connect after a
 * {@link reconnectBackoffMs} backoff) and drains extras when the target
 * falls. It never opens more streams on a session than the peer's
 * MAX_CONCURRENT_STREAMS as last received, and dispatches on the ready
 * session with the most free slots.
 */
export class SimTransport implements Transport {
  /** The virtual clock everything runs on. */
  readonly scheduler: HeapScheduler;
  /** Capacity snapshots, emitted whenever a session changes (ready, SETTINGS, GOAWAY, closed). */
  readonly capacity$: Observable<CapacitySnapshot>;
  /** Session-level events. */
  readonly events$: Observable<TransportEvent>;
  readonly #capacity = new Subject<CapacitySnapshot>();
  readonly #events = new Subject<TransportEvent>();
  readonly #ctx: ConnectionContext;
  readonly #connections: SimConnection[] = [];
  #target = 0;
  #nextSessionId = 1;
  #retryAtMs = -Infinity;
  #retryPosted = false;
  #maintaining = false;
  #closing: Promise<void> | undefined;
  #onClosed: (() => void) | undefined;

  constructor(options: SimTransportOptions) {
    const { scheduler, server, scenario, clientId } = options;
    this.scheduler = scheduler;
    this.capacity$ = this.#capacity.asObservable();
    this.events$ = this.#events.asObservable();
    const { rttMs, bandwidthBytesPerS } = scenario.network;
    this.#ctx = {
      scheduler,
      server,
      clientId,
      upLink: new Link(rttMs, bandwidthBytesPerS),
      downLink: new Link(rttMs, bandwidthBytesPerS),
      scenario,
      responseBody: new Uint8Array(scenario.response.bodyBytes),
      responseHeaders,
      sessionChanged: () => this.#sessionChanged(),
      event: (event) => this.#events.next(event),
      connectFailed: () => this.#connectFailed(),
    };
  }

  /** Sessions that are ready or draining (established), the count reports call "connections". */
  get establishedConnections(): number {
    let n = 0;
    for (const c of this.#connections) if (c.state === 'ready' || c.state === 'draining') n++;
    return n;
  }

  /** Capacity right now. */
  capacity(): CapacitySnapshot {
    const nowMs = this.scheduler.now();
    const sessions: SessionCapacity[] = [];
    let readySessions = 0;
    let slotsTotal = 0;
    let slotsInUse = 0;
    let slotsAvailable = 0;
    for (const c of this.#connections) {
      sessions.push({
        id: c.id,
        state: c.state,
        streamsInFlight: c.inFlight.size,
        maxConcurrentStreams: c.maxConcurrentStreams,
        remoteWindowBytes: c.up.windowBytes(nowMs),
        outboundQueueBytes: c.outboundQueueBytes,
      });
      slotsInUse += c.inFlight.size;
      if (c.state === 'ready') {
        readySessions++;
        slotsTotal += c.maxConcurrentStreams;
        slotsAvailable += c.freeSlots;
      }
    }
    return { atMs: nowMs, sessions, readySessions, slotsTotal, slotsInUse, slotsAvailable };
  }

  /** Free stream slots on ready sessions right now. */
  freeSlots(): number {
    let free = 0;
    for (const c of this.#connections) free += c.freeSlots;
    return free;
  }

  /** Opens a stream on the ready session with the most free slots, or returns `undefined` if none has one. */
  dispatch(request: TransportRequest, listener: DispatchListener): DispatchHandle | undefined {
    if (this.#closing !== undefined) return undefined;
    let best: SimConnection | undefined;
    let bestFree = 0;
    for (const c of this.#connections) {
      const free = c.freeSlots;
      if (free > bestFree) {
        best = c;
        bestFree = free;
      }
    }
    return best?.dispatch(request, listener);
  }

  /** Aims for `connections` sessions (connecting or ready); extras drain gracefully. */
  resize(connections: number): void {
    if (this.#closing !== undefined) return;
    this.#target = Math.max(0, Math.floor(connections));
    this.#maintain();
  }

  /** Stops taking streams, lets in-flight ones finish, then closes every session. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#target = 0;
      this.#closing = new Promise<void>((resolve) => {
        this.#onClosed = resolve;
      });
      for (const c of [...this.#connections]) c.drain();
      this.#checkClosed();
    }
    return this.#closing;
  }

  #sessionChanged(): void {
    for (let i = this.#connections.length - 1; i >= 0; i--) {
      if (this.#connections[i]!.state === 'closed') this.#connections.splice(i, 1);
    }
    this.#maintain();
    this.#capacity.next(this.capacity());
    this.#checkClosed();
  }

  #connectFailed(): void {
    this.#retryAtMs = this.scheduler.now() + reconnectBackoffMs;
    this.#sessionChanged();
  }

  /** Opens or drains sessions until connecting + ready = target. */
  #maintain(): void {
    // Draining a connecting session closes it, which re-enters here through #sessionChanged.
    if (this.#closing !== undefined || this.#maintaining) return;
    this.#maintaining = true;
    try {
      this.#rebalance();
    } finally {
      this.#maintaining = false;
    }
  }

  #rebalance(): void {
    const live = this.#connections.filter((c) => c.state === 'connecting' || c.state === 'ready');
    let excess = live.length - this.#target;
    if (excess > 0) {
      // Drain sessions that are still connecting first, then the least busy.
      live.sort(
        (a, b) =>
          Number(b.state === 'connecting') - Number(a.state === 'connecting') ||
          a.inFlight.size - b.inFlight.size ||
          b.id - a.id,
      );
      for (const c of live) {
        if (excess-- <= 0) break;
        c.drain();
      }
      return;
    }
    const nowMs = this.scheduler.now();
    if (excess < 0 && nowMs < this.#retryAtMs) {
      if (!this.#retryPosted) {
        this.#retryPosted = true;
        this.scheduler.postAndForget(this.#retryAtMs, retryConnect, this);
      }
      return;
    }
    for (; excess < 0; excess++) {
      const c = new SimConnection(this.#ctx, this.#nextSessionId++);
      this.#connections.push(c);
      c.connect();
    }
  }

  /** @internal The reconnect backoff is over. */
  retry(): void {
    this.#retryPosted = false;
    this.#sessionChanged();
  }

  #checkClosed(): void {
    if (this.#onClosed !== undefined && this.#connections.length === 0) {
      const resolve = this.#onClosed;
      this.#onClosed = undefined;
      resolve();
    }
  }
}

function retryConnect(transport: SimTransport): void {
  transport.retry();
}
