import { Channel, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import type { CapacitySnapshot, SessionCapacity } from '../core/capacity.js';
import type { LimiterPool } from '../limiter/Limiter.js';

/** One real grpc-js channel: its own HTTP/2 connection, and the calls it carries now. */
export interface ChildChannel {
  readonly id: number;
  readonly channel: Channel;
  inFlight: number;
  /** Takes no new calls; closed once its last call ends. */
  draining: boolean;
}

/**
 * The connections an h2flow gRPC channel spreads its calls over, as a
 * {@link LimiterPool}: N real grpc-js channels, each on a connection of its
 * own (`grpc.use_local_subchannel_pool`: otherwise channels to one target
 * share one), N set by the controller through {@link resize}. grpc-js tells
 * no one the server's SETTINGS_MAX_CONCURRENT_STREAMS and lets nghttp2
 * queue streams past it out of sight, so each child takes at most
 * `streamsPerConnection` calls at once (an option; 100 is what most servers
 * send), and the limiter queues the rest where it can see them and shed
 * what would miss its deadline. A child that is still connecting takes
 * calls too: grpc-js holds them until its connection is up.
 */
export class ChildChannels implements LimiterPool {
  readonly #children: ChildChannel[] = [];
  readonly #target: string;
  readonly #credentials: ChannelCredentials;
  readonly #options: ChannelOptions;
  readonly #streamsPerConnection: number;
  readonly #now: () => number;
  #nextId = 1;
  #closed = false;

  constructor(
    target: string,
    credentials: ChannelCredentials,
    options: ChannelOptions,
    streamsPerConnection: number,
    now: () => number,
  ) {
    this.#target = target;
    this.#credentials = credentials;
    // One connection per child; retries are h2flow's (one, for a refused stream), not grpc-js's too.
    this.#options = { ...options, 'grpc.use_local_subchannel_pool': 1, 'grpc.enable_retries': 0 };
    this.#streamsPerConnection = streamsPerConnection;
    this.#now = now;
  }

  /** The children now (for connectivity and channelz). */
  get children(): readonly ChildChannel[] {
    return this.#children;
  }

  freeSlots(): number {
    let free = 0;
    for (const c of this.#children) {
      if (!c.draining) free += Math.max(0, this.#streamsPerConnection - c.inFlight);
    }
    return free;
  }

  capacity(): CapacitySnapshot {
    const sessions: SessionCapacity[] = this.#children.map((c) => ({
      id: c.id,
      state: c.draining ? 'draining' : 'ready',
      streamsInFlight: c.inFlight,
      maxConcurrentStreams: this.#streamsPerConnection,
      remoteWindowBytes: Number.MAX_SAFE_INTEGER,
      outboundQueueBytes: 0,
    }));
    const ready = sessions.filter((s) => s.state === 'ready');
    const slotsTotal = ready.length * this.#streamsPerConnection;
    const slotsInUse = sessions.reduce((n, s) => n + s.streamsInFlight, 0);
    return {
      atMs: this.#now(),
      sessions,
      readySessions: ready.length,
      slotsTotal,
      slotsInUse,
      slotsAvailable: this.freeSlots(),
    };
  }

  /** Opens children up to `connections`, or drains the least loaded beyond it. */
  resize(connections: number): void {
    if (this.#closed) return;
    const active = this.#children.filter((c) => !c.draining);
    for (let n = active.length; n < connections; n++) {
      const channel = new Channel(this.#target, this.#credentials, this.#options);
      this.#children.push({ id: this.#nextId++, channel, inFlight: 0, draining: false });
    }
    const extra = active.length - Math.max(1, connections);
    if (extra > 0) {
      const leastLoaded = [...active].sort((a, b) => a.inFlight - b.inFlight).slice(0, extra);
      for (const c of leastLoaded) this.#drain(c);
    }
  }

  /** The least loaded child with a free slot, its slot taken; undefined if none. */
  take(): ChildChannel | undefined {
    let best: ChildChannel | undefined;
    for (const c of this.#children) {
      if (c.draining || c.inFlight >= this.#streamsPerConnection) continue;
      if (best === undefined || c.inFlight < best.inFlight) best = c;
    }
    if (best !== undefined) best.inFlight++;
    return best;
  }

  /** A call on `child` ended: its slot is free (and a drained child with none left closes). */
  release(child: ChildChannel): void {
    child.inFlight--;
    if (child.draining && child.inFlight === 0) this.#remove(child);
  }

  /** Closes every child now (grpc-js fails what they still hold). */
  close(): void {
    this.#closed = true;
    for (const c of [...this.#children]) this.#remove(c);
  }

  #drain(child: ChildChannel): void {
    child.draining = true;
    if (child.inFlight === 0) this.#remove(child);
  }

  #remove(child: ChildChannel): void {
    const i = this.#children.indexOf(child);
    if (i >= 0) this.#children.splice(i, 1);
    child.channel.close();
  }
}
