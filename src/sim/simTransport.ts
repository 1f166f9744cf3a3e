import { PoolTransport } from '../transport/PoolTransport.js';
import { defaultReconnectBaseMs, defaultReconnectMaxMs } from '../transport/reconnectDelay.js';
import type {
  DispatchHandle,
  DispatchListener,
  ResponseHeaders,
  TransportRequest,
} from '../transport/Transport.js';
import type { HeapScheduler } from './heapScheduler.js';
import { Link } from './link.js';
import type { Scenario } from './scenario.js';
import { type ConnectionContext, SimConnection } from './simConnection.js';
import type { SimServer } from './simServer.js';

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
  /** Uniform in [0, 1): the reconnect backoff's jitter (a seeded stream, so runs repeat). */
  readonly random: () => number;
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
 * Its sessions live in production's {@link SessionPool}: the same target
 * keeping, draining, jittered exponential backoff after failures, and
 * session pick (least utilisation, skipping sessions whose body would
 * stall). It never opens more streams on a session than the peer's
 * MAX_CONCURRENT_STREAMS as last received.
 */
export class SimTransport extends PoolTransport<SimConnection> {
  /** The virtual clock everything runs on. */
  declare readonly scheduler: HeapScheduler;

  constructor(options: SimTransportOptions) {
    const { scheduler, server, scenario, clientId, random } = options;
    const { rttMs, bandwidthBytesPerS } = scenario.network;
    const ctx: ConnectionContext = {
      scheduler,
      server,
      clientId,
      upLink: new Link(rttMs, bandwidthBytesPerS),
      downLink: new Link(rttMs, bandwidthBytesPerS),
      scenario,
      responseBody: new Uint8Array(scenario.response.bodyBytes),
      responseHeaders,
    };
    super(
      scheduler,
      {
        // The controller's own cap bounds the target; the pool adds none.
        maxConnections: Number.MAX_SAFE_INTEGER,
        reconnectBaseMs: defaultReconnectBaseMs,
        reconnectMaxMs: defaultReconnectMaxMs,
        closeGraceMs: 0,
        random,
      },
      (id, hooks) => {
        const connection = new SimConnection(ctx, id, hooks);
        connection.connect();
        return connection;
      },
    );
  }

  /** Sessions that are ready or draining (established), the count reports call "connections". */
  get establishedConnections(): number {
    let n = 0;
    for (const c of this.pool.sessions) if (c.state === 'ready' || c.state === 'draining') n++;
    return n;
  }

  /** Opens a stream on the session the pool picks, or returns `undefined` if none has a free slot. */
  dispatch(request: TransportRequest, listener: DispatchListener): DispatchHandle | undefined {
    if (this.closing) return undefined;
    return this.pool.pick(request.body?.byteLength ?? 0)?.dispatch(request, listener);
  }
}
