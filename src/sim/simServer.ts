import type { ServerStats } from '../core/runResult.js';
import type { SeededRandom } from '../core/seededRandom.js';
import { http2ErrorNames } from '../transport/http2Codes.js';
import type { HeapScheduler } from './heapScheduler.js';
import { LatencyDistribution } from './latencyDistribution.js';
import type { Scenario } from './scenario.js';
import type { SimStream } from './simStream.js';

/** Server-side hooks of a connection, called by the server when settings change or a worker finishes. */
export interface ServerConnection {
  /** The server changed SETTINGS_MAX_CONCURRENT_STREAMS; send it on this connection. */
  sendSettings(maxConcurrentStreams: number): void;
  /** A worker finished `stream`; send its response (unless the stream was reset meanwhile). */
  respond(stream: SimStream): void;
}

/**
 * The server every client of a run talks to: a pool of `workers` serving
 * requests in arrival order, a service-time distribution scaled by the
 * latency schedule, the SETTINGS schedule, connection accounting per client,
 * and the counters a real h2flow test server reports (`ServerStats`).
 *
 * Past capacity (all workers busy) requests wait in one server-wide FIFO, so
 * latency grows with load whatever the number of connections: opening more
 * connections adds stream slots, not service capacity.
 */
export class SimServer {
  /** The server's limits and behaviour, from the scenario. */
  readonly config: Scenario['server'];
  readonly #scheduler: HeapScheduler;
  readonly #rng: SeededRandom;
  readonly #latency: LatencyDistribution;
  #factor = 1;
  #maxConcurrentStreams: number;
  #busyWorkers = 0;
  readonly #waiting: (SimStream | undefined)[] = [];
  #waitingHead = 0;
  #waitingLive = 0;
  readonly #connections = new Set<ServerConnection>();
  readonly #connectionsByClient = new Map<number, number>();
  // Counters (ServerStats).
  #streamsStarted = 0;
  #streamsCompleted = 0;
  readonly #rstReceived: Record<string, number> = {};
  #refused = 0;
  #maxConcurrentSeen = 0;
  #goawaySent = 0;
  #connectionsRefused = 0;

  constructor(scheduler: HeapScheduler, config: Scenario['server'], rng: SeededRandom) {
    this.#scheduler = scheduler;
    this.config = config;
    this.#rng = rng;
    this.#latency = new LatencyDistribution(config.latency);
    this.#maxConcurrentStreams = config.maxConcurrentStreams;
    for (const change of config.settingsSchedule) {
      scheduler.postAndForget(change.atS * 1000, applySettings, {
        server: this,
        value: change.maxConcurrentStreams,
      });
    }
    for (const change of config.latencySchedule) {
      scheduler.postAndForget(change.atS * 1000, applyFactor, {
        server: this,
        value: change.factor,
      });
    }
  }

  /** The virtual clock, ms. */
  now(): number {
    return this.#scheduler.now();
  }

  /** The current SETTINGS_MAX_CONCURRENT_STREAMS. */
  get maxConcurrentStreams(): number {
    return this.#maxConcurrentStreams;
  }

  /** Requests waiting for a worker now. */
  get waiting(): number {
    return this.#waitingLive;
  }

  /** Workers busy now. */
  get busyWorkers(): number {
    return this.#busyWorkers;
  }

  /** Connections refused because a client was at `maxConnectionsPerClient`. */
  get connectionsRefused(): number {
    return this.#connectionsRefused;
  }

  /** A client wants one more connection; false if it is at `maxConnectionsPerClient`. */
  admitConnection(clientId: number): boolean {
    const count = this.#connectionsByClient.get(clientId) ?? 0;
    if (count >= this.config.maxConnectionsPerClient) {
      this.#connectionsRefused++;
      return false;
    }
    this.#connectionsByClient.set(clientId, count + 1);
    return true;
  }

  /** The server side of a connection is up (it has sent its SETTINGS). */
  connectionOpened(connection: ServerConnection): void {
    this.#connections.add(connection);
  }

  /** The server side of a connection is gone. */
  connectionClosed(connection: ServerConnection, clientId: number): void {
    this.#connections.delete(connection);
    const count = this.#connectionsByClient.get(clientId) ?? 0;
    if (count <= 1) this.#connectionsByClient.delete(clientId);
    else this.#connectionsByClient.set(clientId, count - 1);
  }

  /** Should a stream opening now be refused for overload (`refuseWhenQueuedOver`)? */
  overloaded(): boolean {
    return this.#waitingLive > this.config.refuseWhenQueuedOver;
  }

  /** A stream was accepted on a connection that now has `activeOnConnection` streams. */
  streamStarted(activeOnConnection: number): void {
    this.#streamsStarted++;
    if (activeOnConnection > this.#maxConcurrentSeen) this.#maxConcurrentSeen = activeOnConnection;
  }

  /** A response was sent to the end. */
  streamCompleted(): void {
    this.#streamsCompleted++;
  }

  /** A stream was refused (RST_STREAM(REFUSED_STREAM) sent). */
  streamRefused(): void {
    this.#refused++;
  }

  /** A GOAWAY was sent. */
  goawaySent(): void {
    this.#goawaySent++;
  }

  /** An RST_STREAM arrived with `code`. */
  resetReceived(code: number): void {
    const name = http2ErrorNames[code] ?? `0x${code.toString(16)}`;
    this.#rstReceived[name] = (this.#rstReceived[name] ?? 0) + 1;
  }

  /** A complete request wants a worker: it is served now, or waits in the FIFO. */
  submit(stream: SimStream): void {
    if (this.#busyWorkers < this.config.workers) {
      this.#serve(stream);
    } else {
      stream.serverPhase = 'waiting';
      this.#waiting.push(stream);
      this.#waitingLive++;
    }
  }

  /** A waiting request was reset or dropped: it leaves the FIFO (lazily). */
  withdraw(stream: SimStream): void {
    if (stream.serverPhase === 'waiting') this.#waitingLive--;
  }

  /** The counters so far, in the shape reports use. */
  stats(): ServerStats {
    return {
      streamsStarted: this.#streamsStarted,
      streamsCompleted: this.#streamsCompleted,
      rstReceived: { ...this.#rstReceived },
      refused: this.#refused,
      maxConcurrentSeen: this.#maxConcurrentSeen,
      goawaySent: this.#goawaySent,
    };
  }

  /** Service of `stream` ended: free the worker, start the next waiting request, send the response. */
  finished(stream: SimStream): void {
    this.#busyWorkers--;
    this.#next();
    // A stream reset while in service still used its worker (the work is wasted), but gets no response.
    if (!stream.serverCancelled) stream.serverSide.respond(stream);
  }

  /** @internal Applies a SETTINGS change to every open connection. */
  setMaxConcurrentStreams(value: number): void {
    this.#maxConcurrentStreams = value;
    for (const connection of this.#connections) connection.sendSettings(value);
  }

  /** @internal Changes the service-time multiplier (latency spikes). */
  setFactor(value: number): void {
    this.#factor = value;
  }

  #serve(stream: SimStream): void {
    this.#busyWorkers++;
    stream.serverPhase = 'serving';
    const serviceMs = this.#latency.sample(this.#rng) * this.#factor;
    this.#scheduler.postAndForget(this.#scheduler.now() + serviceMs, serviceDone, stream);
  }

  #next(): void {
    const queue = this.#waiting;
    while (this.#waitingHead < queue.length) {
      const stream = queue[this.#waitingHead]!;
      queue[this.#waitingHead++] = undefined;
      if (stream.serverPhase !== 'waiting') continue;
      this.#waitingLive--;
      this.#serve(stream);
      break;
    }
    if (this.#waitingHead > 1024 && this.#waitingHead * 2 > queue.length) {
      queue.splice(0, this.#waitingHead);
      this.#waitingHead = 0;
    }
  }
}

function serviceDone(stream: SimStream): void {
  stream.serverSide.serviceDone(stream);
}

function applySettings(change: { server: SimServer; value: number }): void {
  change.server.setMaxConcurrentStreams(change.value);
}

function applyFactor(change: { server: SimServer; value: number }): void {
  change.server.setFactor(change.value);
}
